package io.hotpass.enrichment.plan;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hotpass.enrichment.runner.RunExecutor;
import io.hotpass.platform.testing.TestDatabase;
import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Leases on runs that take longer than the lease: the heartbeat keeps a live run's lease (nobody
 * claims it again), and a run whose lease was taken over stops and stores nothing. Rows are
 * streamed slowly (1 row a second) against a 3 s lease renewed every second.
 */
@QuarkusTest
@TestProfile(PlanRunLeaseTest.Profile.class)
@QuarkusTestResource(IngestStub.class)
class PlanRunLeaseTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hotpass.enrichment.runners.lease", "PT3S", "hotpass.enrichment.runners.heartbeat", "1s",
                    "hotpass.enrichment.runners.poll-interval", "1s");
        }
    }

    private static final String DB = "hotpass_enrichment_test";
    private static final String TENANT = "lease";
    private static final String TOKEN = TestTokens.forTenant(TENANT);

    @Inject
    RunExecutor executor;

    @Inject
    io.hotpass.enrichment.runner.InProcessLauncher inProcess;

    /** A plan over 6 rows streamed one a second, 6 of them matching a registry. */
    private static String slowPlan() {
        UUID reg = IngestStub.dataset("register", List.of(IngestStub.row("_rowId", "c1", "registration_number", "2001/123456/07",
                "phone", "+27215550123")));
        String registry = "reg-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON)
                .body(Map.of("name", registry, "datasetId", reg, "matchOn", List.of("registration_number")))
                .post("/registries").then().statusCode(201);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            rows.add(IngestStub.row("_rowId", "r" + i, "registration_number", "2001/123456/07"));
        }
        UUID ds = IngestStub.dataset("slow", rows);
        IngestStub.ROW_DELAY_MILLIS.put(ds, 1000L);
        return given().auth().oauth2(TOKEN).contentType(ContentType.JSON)
                .body(Map.of("datasetId", ds, "version", 1, "fields", List.of("phone"), "sources",
                        List.of("registry:" + registry)))
                .post("/plans").then().statusCode(201).extract().path("id");
    }

    private static Object[] state(String id) throws Exception {
        try (Connection c = TestDatabase.asOwner(DB); PreparedStatement ps = c.prepareStatement("select r.state,"
                + " r.attempts, p.status, (select count(*) from plan_change x where x.plan_id = p.id) from plan_run r"
                + " join enrichment_plan p on p.id = r.plan_id where r.plan_id = ?::uuid")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Object[] {rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4)};
            }
        }
    }

    @Test
    void theHeartbeatKeepsALongRunsLeaseSoItIsComputedOnce() throws Exception {
        String id = slowPlan();
        await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(state(id)[2]));
        Object[] s = state(id);
        assertEquals("done", s[0]);
        assertEquals(1, s[1], "six seconds of work under a three-second lease, never claimed again");
        assertEquals(6L, s[3]);
    }

    @Test
    void aRunWhoseLeaseWasTakenOverStopsAndStoresNothing() throws Exception {
        String id = slowPlan();
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.runningHere() == 1 && (int) state(id)[1] == 1);
        // Another dispatcher claimed it (as after a partition): attempt 2, a long lease of its own.
        try (Connection c = TestDatabase.asOwner(DB); Statement st = c.createStatement()) {
            st.executeUpdate("update plan_run set attempts = 2, lease_owner = 'elsewhere/1', lease_expires_at = now()"
                    + " + interval '1 hour' where plan_id = '" + id + "'");
        }
        // The heartbeat finds the lease gone and interrupts attempt 1, which stops at its next row.
        await().atMost(Duration.ofSeconds(20)).until(() -> inProcess.freeSlots() == 2);
        Object[] s = state(id);
        assertEquals("running", s[0], "the run is attempt 2's");
        assertEquals(2, s[1]);
        assertEquals("running", s[2], "attempt 1 did not finish the plan");
        assertEquals(0L, s[3], "attempt 1 stored none of its changes");
        try (Connection c = TestDatabase.asOwner(DB); Statement st = c.createStatement()) {
            st.executeUpdate("update plan_run set state = 'done' where plan_id = '" + id + "'");
        }
    }
}
