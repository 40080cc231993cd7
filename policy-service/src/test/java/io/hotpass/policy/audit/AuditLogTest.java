package io.hotpass.policy.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.platform.testing.TestDatabase;
import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The audit chain: appended once per event, readable by auditors only, and tamper-evident. */
@QuarkusTest
class AuditLogTest {

    static final String DB = "hotpass_policy_test";

    @Inject
    AuditLog log;

    static String service(String tenant) {
        return TestTokens.token("svc:gateway", tenant, Set.of("hotpass-service"), Set.of());
    }

    static String auditor(String tenant) {
        return TestTokens.token("auditor-1", tenant, Set.of("auditor"), Set.of());
    }

    static Map<String, Object> entry(String tenant, String action, OffsetDateTime at) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", UUID.randomUUID().toString());
        e.put("occurredAt", at.toString());
        e.put("tenant", tenant);
        e.put("actor", "apikey:abc");
        e.put("action", action);
        e.put("resource", "tenant/" + tenant + "/datasets");
        e.put("decision", "allowed");
        e.put("status", 201);
        e.put("method", "POST");
        e.put("path", "/api/v1/ingest/datasets");
        return e;
    }

    static String tenant() {
        return "aud-" + UUID.randomUUID().toString().substring(0, 8);
    }

    void append(String tenant, int n) {
        for (int i = 0; i < n; i++) {
            given().auth().oauth2(service(tenant)).contentType(ContentType.JSON)
                    .body(entry(tenant, "ingest:dataset:create", OffsetDateTime.now())).post("/audit").then().statusCode(201);
        }
    }

    @Test
    void entriesChainAndARedeliveryIsStoredOnce() {
        String tenant = tenant();
        Map<String, Object> e = entry(tenant, "ingest:dataset:create", OffsetDateTime.now());
        e.put("path", "/api/v1/ingest/datasets?token=abc.def.ghi&access_token=s3cret");
        Integer first = given().auth().oauth2(service(tenant)).header("Hotpass-Event-Id", e.get("eventId"))
                .contentType(ContentType.JSON).body(e).post("/audit").then().statusCode(201).extract().path("seq");
        Integer again = given().auth().oauth2(service(tenant)).contentType(ContentType.JSON).body(e).post("/audit")
                .then().statusCode(201).extract().path("seq");
        assertEquals(first, again);
        append(tenant, 3);
        given().auth().oauth2(auditor(tenant)).get("/audit").then().statusCode(200)
                .body("entries", hasSize(4)).body("entries.seq", contains(1, 2, 3, 4))
                .body("entries[0].prevHash", equalTo(AuditChain.GENESIS))
                .body("entries[0].path", not(containsString("s3cret")));
        given().auth().oauth2(auditor(tenant)).get("/audit/verify").then().statusCode(200)
                .body("valid", equalTo(true)).body("entriesChecked", equalTo(4));
    }

    @Test
    void onlyAuditorsOfTheTenantReadAndOnlyServicesAppend() {
        String tenant = tenant();
        append(tenant, 1);
        given().auth().oauth2(TestTokens.forTenant(tenant)).get("/audit").then().statusCode(403).body("code", equalTo("forbidden"));
        given().auth().oauth2(auditor("someone-else")).queryParam("tenant", tenant).get("/audit")
                .then().statusCode(404).body("code", equalTo("tenant_not_found"));
        given().auth().oauth2(auditor("someone-else")).get("/audit").then().statusCode(200).body("entries", hasSize(0));
        given().auth().oauth2(TestTokens.forTenant(tenant)).contentType(ContentType.JSON)
                .body(entry(tenant, "x:y:z", OffsetDateTime.now())).post("/audit").then().statusCode(403);
    }

    @Test
    void editingAnEntryIsNamedByVerify() throws SQLException {
        String tenant = tenant();
        append(tenant, 5);
        owner("update audit_entry set actor = 'someone-innocent' where tenant_id = ? and seq = 3", tenant);
        given().auth().oauth2(auditor(tenant)).get("/audit/verify").then().statusCode(200)
                .body("valid", equalTo(false)).body("firstBrokenSeq", equalTo(3))
                .body("reason", containsString("content"));
    }

    @Test
    void deletingAnEntryIsNamedByVerify() throws SQLException {
        String tenant = tenant();
        append(tenant, 5);
        owner("delete from audit_entry where tenant_id = ? and seq = 2", tenant);
        given().auth().oauth2(auditor(tenant)).get("/audit/verify").then().statusCode(200)
                .body("valid", equalTo(false)).body("firstBrokenSeq", equalTo(2)).body("reason", containsString("missing"));
    }

    @Test
    void reorderingEntriesIsNamedByVerify() throws SQLException {
        String tenant = tenant();
        append(tenant, 5);
        owner("update audit_entry set seq = -2 where tenant_id = ? and seq = 2", tenant);
        owner("update audit_entry set seq = 2 where tenant_id = ? and seq = 4", tenant);
        owner("update audit_entry set seq = 4 where tenant_id = ? and seq = -2", tenant);
        ChainVerification v = log.verify(tenant);
        assertFalse(v.valid());
        assertEquals(2L, v.firstBrokenSeq());
    }

    @Test
    void truncatingTheEndIsNamedByVerify() throws SQLException {
        String tenant = tenant();
        append(tenant, 4);
        owner("delete from audit_entry where tenant_id = ? and seq = 4", tenant);
        ChainVerification v = log.verify(tenant);
        assertFalse(v.valid());
        assertTrue(v.reason().contains("head"), v.reason());
    }

    @Test
    void theApplicationRoleCannotChangeEntries() throws SQLException {
        String tenant = tenant();
        append(tenant, 1);
        try (Connection c = TestDatabase.asApp(DB)) {
            c.setAutoCommit(false);
            io.hotpass.platform.tenancy.TenantSession.apply(c, tenant);
            try (PreparedStatement ps = c.prepareStatement("update audit_entry set actor = 'x' where tenant_id = ?")) {
                ps.setString(1, tenant);
                SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, ps::executeUpdate);
                assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
            }
            c.rollback();
        }
    }

    @Test
    void retentionLeavesAChainThatStillVerifies() {
        String tenant = tenant();
        OffsetDateTime old = OffsetDateTime.now().minusDays(500);
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(service(tenant)).contentType(ContentType.JSON)
                    .body(entry(tenant, "old:thing:done", old.plusMinutes(i))).post("/audit").then().statusCode(201);
        }
        append(tenant, 2);
        assertEquals(3, log.applyRetention(tenant, OffsetDateTime.now().minusDays(400)));
        ChainVerification v = log.verify(tenant);
        assertTrue(v.valid(), String.valueOf(v));
        assertEquals(2, v.entriesChecked());
        assertEquals(3L, v.startsAfterSeq());
    }

    private static void owner(String sql, String tenant) throws SQLException {
        try (Connection c = TestDatabase.asOwner(DB); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenant);
            ps.executeUpdate();
        }
    }
}
