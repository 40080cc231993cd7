package io.hotpass.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.platform.outbox.Outbox;
import io.hotpass.platform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Audit entries the gateway's database cannot take wait on disk and reach the outbox once it can. */
@QuarkusTest
class AuditSpoolTest {

    static final String DB = "hotpass_gateway_test";

    @Inject
    AuditSpool spool;

    @Inject
    Outbox outbox;

    static long rows(UUID id) throws Exception {
        try (Connection c = TestDatabase.asOwner(DB);
                PreparedStatement ps = c.prepareStatement("select count(*) from outbox_event where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void asOwner(String sql) throws Exception {
        try (Connection c = TestDatabase.asOwner(DB); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static Map<String, Object> entry(UUID id) {
        return Map.of("eventId", id.toString(), "tenant", "acme", "actor", "apikey:x", "action", "ingest:dataset:create",
                "method", "POST", "path", "/api/v1/ingest/datasets", "status", 201, "decision", "allow");
    }

    @Test
    void theSpoolLivesInTheJvmsTempDirectoryNamedAfterTheDatabase() {
        // Not a folder literally named "${java.io.tmpdir}" under the working directory (which is what an expression in
        // an injection point's defaultValue gave: SmallRye Config does not expand those).
        assertEquals(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "hotpass-gateway-audit-" + DB), spool.file().getParent());
    }

    @Test
    void entriesWaitWhileTheDatabaseRefusesThemAndArriveOnceWhenItTakesThemAgain() throws Exception {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        asOwner("revoke insert on outbox_event from hotpass_app");
        try {
            assertTrue(spool.spool(first, "acme", entry(first)));
            assertTrue(spool.spool(second, "acme", entry(second)));
            spool.drain();
            assertEquals(2, spool.pending(), "nothing moves while the database refuses");
            assertEquals(0, rows(first));
            // Operators and drills see the backlog: hotpass_audit_spool_pending.
            io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200)
                    .body(org.hamcrest.Matchers.containsString("hotpass_audit_spool_pending 2.0"));
        } finally {
            asOwner("grant insert on outbox_event to hotpass_app");
        }
        spool.drain();
        assertEquals(0, spool.pending());
        assertFalse(Files.exists(spool.file()), "an empty spool is removed");
        io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("hotpass_audit_spool_pending 0.0"));
        assertEquals(1, rows(first));
        assertEquals(1, rows(second));
    }

    @Test
    void anEntryAlreadyInTheOutboxIsNotWrittenTwice() throws Exception {
        UUID id = UUID.randomUUID();
        outbox.enqueue(id, "audit", "AuditEntry", "acme", entry(id));
        assertTrue(spool.spool(id, "acme", entry(id))); // as if a drain inserted it, then stopped before rewriting
        spool.drain();
        assertEquals(0, spool.pending());
        assertEquals(1, rows(id));
    }
}
