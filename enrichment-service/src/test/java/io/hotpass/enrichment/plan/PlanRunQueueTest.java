package io.hotpass.enrichment.plan;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hotpass.enrichment.client.IngestClient;
import io.hotpass.enrichment.runner.RunDispatcher;
import io.hotpass.enrichment.runner.RunExecutor;
import io.hotpass.enrichment.runner.RunSpec;
import io.hotpass.platform.testing.TestDatabase;
import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The durable run queue with the in-process launcher: a plan whose runner died (its lease expired)
 * is claimed again, starts over and completes exactly once; a live lease is left alone; a runner
 * that lost its lease writes nothing; spent attempts fail the plan cleanly.
 */
@QuarkusTest
@QuarkusTestResource(IngestStub.class)
class PlanRunQueueTest {

    private static final String DB = "hotpass_enrichment_test";
    private static final String TENANT = "runq";
    private static final String TOKEN = TestTokens.forTenant(TENANT);

    @Inject
    RunDispatcher dispatcher;

    @Inject
    RunExecutor executor;

    @Inject
    io.hotpass.enrichment.runner.RunQueue queue;

    @Inject
    PlanRunner runner;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper mapper;

    /** A ready plan over a 2-row dataset and a registry: 2 changes (phone and email of r1). */
    private String readyPlan() {
        UUID reg = IngestStub.dataset("register", List.of(IngestStub.row("_rowId", "c1", "name", "Blue Sky Aviation (Pty) Ltd",
                "registration_number", "2001/123456/07", "phone", "+27215550123", "email", "info@bluesky.co.za")));
        String registry = "reg-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON)
                .body(Map.of("name", registry, "datasetId", reg, "matchOn", List.of("registration_number")))
                .post("/registries").then().statusCode(201);
        UUID ds = IngestStub.dataset("orgs", List.of(
                IngestStub.row("_rowId", "r1", "name", "Blue Sky Aviation", "registration_number", "2001/123456/07", "email",
                        "old@bluesky.co.za"),
                IngestStub.row("_rowId", "r2", "name", "Nobody Ltd", "registration_number", "1999/000001/07")));
        String id = given().auth().oauth2(TOKEN).contentType(ContentType.JSON)
                .body(Map.of("datasetId", ds, "version", 1, "fields", List.of("phone", "email"), "sources",
                        List.of("registry:" + registry)))
                .post("/plans").then().statusCode(201).extract().path("id");
        awaitStatus(id, "ready");
        return id;
    }

    private static void awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> status.equals(
                given().auth().oauth2(TOKEN).get("/plans/" + id).then().statusCode(200).extract().path("status")));
    }

    /** As a process that died mid-run leaves a plan: running, half its changes written, attempt 1's lease held. */
    private static void leaveAsDeadRunnerWould(String id, int attempts, String leaseExpiresIn) throws SQLException {
        try (Connection c = TestDatabase.asOwner(DB); Statement st = c.createStatement()) {
            // One transaction: the scheduled dispatcher (every 2 s) must never see the expired lease
            // without the half-written change, or it starts over before that change exists.
            c.setAutoCommit(false);
            st.executeUpdate("update plan_run set state = 'running', attempts = " + attempts + ", lease_owner ="
                    + " 'dead-host/1', lease_expires_at = now() + interval '" + leaseExpiresIn + "', claimed_at ="
                    + " now() - interval '10 minutes', finished_at = null where plan_id = '" + id + "'");
            st.executeUpdate("update enrichment_plan set status = 'running', rows_done = 1, changes_count = 3"
                    + " where id = '" + id + "'");
            st.executeUpdate("insert into plan_change (tenant_id, plan_id, seq, row_id, op, field, old_value, new_value,"
                    + " confidence, evidence) values ('" + TENANT + "', '" + id + "', 3, 'r2', 'upsert', 'phone', null,"
                    + " 'half-written', 0.5, '[]')");
            c.commit();
        }
    }

    private static List<String> changes(String id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = TestDatabase.asOwner(DB); PreparedStatement ps = c.prepareStatement(
                "select seq || ':' || row_id || ':' || field || '=' || new_value from plan_change where plan_id = ?::uuid"
                        + " order by seq")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static Object[] run(String id) throws SQLException {
        try (Connection c = TestDatabase.asOwner(DB); PreparedStatement ps = c.prepareStatement(
                "select state, attempts, lease_owner from plan_run where plan_id = ?::uuid")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Object[] {rs.getString(1), rs.getInt(2), rs.getString(3)};
            }
        }
    }

    @Test
    void aPlanWhoseRunnerDiedIsClaimedAgainStartsOverAndCompletesExactlyOnce() throws Exception {
        String id = readyPlan();
        List<String> computed = changes(id);
        assertEquals(List.of("1:r1:phone=+27215550123", "2:r1:email=info@bluesky.co.za"), computed);
        assertEquals("done", run(id)[0]);
        assertEquals(1, run(id)[1]);

        leaveAsDeadRunnerWould(id, 1, "-1 second");
        executor.rememberCallerToken(UUID.fromString(id), TOKEN); // no service key in tests: the caller's token
        dispatcher.tick();
        awaitStatus(id, "ready");

        assertEquals(computed, changes(id), "started over: the half-written change is gone, each change stored once");
        given().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString(
                "hotpass_enrichment_plan_runs_claimed_total{restart=\"true\"}"));
        assertEquals("done", run(id)[0]);
        assertEquals(2, run(id)[1], "claimed once more");
        given().auth().oauth2(TOKEN).get("/plans/" + id).then().body("progress.rowsDone", equalTo(2))
                .body("progress.rowsTotal", equalTo(2)).body("changes", equalTo(2));

        // The dead attempt wakes up (a long GC pause, a partition): its writes are refused by the fence.
        // It computes the same plan in full, with the same sources, and tries to store it.
        RunSpec spec;
        try (Connection c = TestDatabase.asOwner(DB); PreparedStatement ps = c.prepareStatement(
                "select spec::text from plan_run where plan_id = ?::uuid")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                spec = mapper.readValue(rs.getString(1), RunSpec.class);
            }
        }
        String datasetId = given().auth().oauth2(TOKEN).get("/plans/" + id).then().extract().path("datasetId");
        runner.run(new PlanRunner.Job(UUID.fromString(id), TENANT, 1, UUID.fromString(datasetId), 1,
                List.of("phone", "email"), spec.registries(), false, IngestClient.Credentials.bearer(TOKEN)));
        assertEquals(computed, changes(id), "a runner that lost its lease stores nothing");
        given().auth().oauth2(TOKEN).get("/plans/" + id).then().body("status", equalTo("ready")).body("changes",
                equalTo(2));
    }

    @Test
    void aLiveLeaseIsLeftAlone() throws Exception {
        String id = readyPlan();
        leaveAsDeadRunnerWould(id, 1, "1 hour");
        dispatcher.tick();
        assertEquals("running", run(id)[0]);
        assertEquals(1, run(id)[1], "nobody claims a run whose lease is held");
        assertEquals("dead-host/1", run(id)[2]);
        assertEquals(3, changes(id).size(), "its changes are its runner's business");
        try (Connection c = TestDatabase.asOwner(DB); Statement st = c.createStatement()) {
            st.executeUpdate("update plan_run set state = 'done' where plan_id = '" + id + "'");
        }
    }

    @Test
    void aRunReleasedAtShutdownIsQueuedAgainWithoutSpendingAnAttempt() throws Exception {
        String id = readyPlan();
        leaveAsDeadRunnerWould(id, 2, "1 hour"); // attempt 2 running here, lease held
        try (Connection hold = TestDatabase.asOwner(DB); Statement st = hold.createStatement()) {
            // Holding the dispatch lock as another replica would keeps the scheduled dispatcher (every
            // 2 s) from claiming the released run before it is looked at; closing the session frees it.
            st.execute("select pg_advisory_lock(" + io.hotpass.enrichment.runner.RunDispatcher.LOCK_KEY + ")");
            queue.release(UUID.fromString(id), TENANT, 1);
            assertEquals("running", run(id)[0], "another attempt's release changes nothing");
            queue.release(UUID.fromString(id), TENANT, 2);
            assertEquals("queued", run(id)[0]);
            assertEquals(1, run(id)[1], "the interrupted attempt is not counted");
        }
        executor.rememberCallerToken(UUID.fromString(id), TOKEN);
        dispatcher.tick();
        awaitStatus(id, "ready");
        assertEquals(2, run(id)[1]);
        assertEquals(List.of("1:r1:phone=+27215550123", "2:r1:email=info@bluesky.co.za"), changes(id));
    }

    @Test
    void spentAttemptsFailThePlanCleanly() throws Exception {
        String id = readyPlan();
        leaveAsDeadRunnerWould(id, 3, "-1 second");
        dispatcher.tick();
        awaitStatus(id, "failed");
        given().auth().oauth2(TOKEN).get("/plans/" + id).then().body("error.code", equalTo("run_interrupted"))
                .body("changes", equalTo(0));
        assertEquals(List.of(), changes(id), "a failed plan keeps no half diff");
        given().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString(
                "hotpass_enrichment_plan_runs_failed_total{code=\"run_interrupted\"}"));
        assertEquals("done", run(id)[0]);
        assertEquals(3, run(id)[1]);
        given().auth().oauth2(TOKEN).get("/plans/" + id + "/diff").then().statusCode(200).body("items.size()",
                equalTo(0));
        assertFalse(dispatcher.tick() > 0 && "running".equals(run(id)[0]), "a failed plan is not claimed again");
        assertEquals("done", run(id)[0]);
    }
}
