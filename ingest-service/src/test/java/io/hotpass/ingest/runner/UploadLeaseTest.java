package io.hotpass.ingest.runner;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.platform.runner.RunQueue;
import io.hotpass.platform.testing.TestDatabase;
import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Queued uploads whose runner dies: an expired lease is claimed again (a new attempt starts over),
 * a runner that lost its lease commits nothing even when it parses to the end, so a run never makes
 * two versions; spent attempts fail the run ({@code run_interrupted}) and drop its staged file; and
 * the {@code --run <id>} entry point. The dispatcher is driven by hand; its timer and wake-up are off.
 */
@QuarkusTest
@TestProfile(UploadLeaseTest.Profile.class)
class UploadLeaseTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hotpass.ingest.runners.poll-interval", "1h", "hotpass.ingest.runners.wake-on-queue", "false",
                    "hotpass.ingest.runners.heartbeat", "1h", "hotpass.ingest.upload.progress-interval-ms", "20");
        }
    }

    static final String DB = "hotpass_ingest_test";
    static final String HEADER = "Organisation Name,Contact Email,Registration No\n";
    static final RestAssuredConfig AS_SENT = io.restassured.RestAssured.config().encoderConfig(
            EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    @Inject
    UploadQueue queue;

    @Inject
    UploadDispatcher dispatcher;

    @Inject
    UploadExecutor executor;

    @Inject
    InProcessLauncher inProcess;

    @Inject
    RunCommand command;

    private final String tenant = "lease-" + UUID.randomUUID().toString().substring(0, 8);

    private RequestSpecification as() {
        return given().config(AS_SENT).auth().oauth2(TestTokens.forTenant(tenant));
    }

    private String dataset() {
        return as().contentType(ContentType.JSON).body("{\"name\":\"orgs-" + UUID.randomUUID().toString().substring(0, 6)
                + "\",\"profile\":\"organisation\",\"rowKey\":[\"registration_number\"]}").post("/datasets").then()
                .statusCode(201).extract().path("id");
    }

    private String queueUpload(String dataset) {
        return queueUpload(dataset, 500);
    }

    private String queueUpload(String dataset, int rows) {
        StringBuilder b = new StringBuilder(HEADER);
        for (int i = 0; i < rows; i++) {
            b.append("Org ").append(i).append(",info").append(i).append("@org.co.za,REG-").append(i).append('\n');
        }
        return as().contentType("text/csv").header("X-File-Name", "orgs.csv").body(b.toString().getBytes(StandardCharsets.UTF_8))
                .post("/datasets/" + dataset + "/uploads?async=true").then().statusCode(202)
                .body("state", equalTo("queued")).extract().path("id");
    }

    static long count(String sql, Object... args) throws Exception {
        try (Connection c = TestDatabase.asOwner(DB); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void expireLease(String runId) throws Exception {
        try (Connection c = TestDatabase.asOwner(DB); PreparedStatement ps = c.prepareStatement(
                "update upload_run_queue set lease_expires_at = now() - interval '1 second' where run_id = ?::uuid")) {
            ps.setString(1, runId);
            assertEquals(1, ps.executeUpdate());
        }
    }

    private ClaimedUpload claim(String runId, String owner) {
        return queue.claim(new RunQueue.Candidate(UUID.fromString(runId), tenant), owner, inProcess);
    }

    private String awaitEnd(String runId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            String state = as().get("/runs/" + runId).then().statusCode(200).extract().path("state");
            if (state.equals("stored") || state.equals("failed")) {
                return state;
            }
            assertTrue(System.currentTimeMillis() < deadline, "run " + runId + " still " + state);
            Thread.sleep(100);
        }
    }

    @Test
    void aDeadRunnersRunIsClaimedAgainAndMakesExactlyOneVersion() throws Exception {
        String ds = dataset();
        String runId = queueUpload(ds);
        long chunks = count("select count(*) from upload_staged_chunk where run_id = ?::uuid", runId);
        assertTrue(chunks > 1, "the file is staged in chunks: " + chunks);

        // Attempt 1's runner claims the run, then stops renewing (it died, or hangs).
        ClaimedUpload first = claim(runId, "dead-runner/1");
        assertNotNull(first);
        assertEquals(1, first.attempt());
        assertNull(claim(runId, "someone-else/2"), "a live lease is not claimed again");
        expireLease(runId);

        // Attempt 2 claims it; the first runner, back from its pause, parses the whole file but its
        // version's transaction finds the attempt fenced off and rolls back.
        ClaimedUpload second = claim(runId, "runner/2");
        assertEquals(2, second.attempt());
        assertFalse(executor.execute(first, false));
        assertEquals(0, count("select count(*) from dataset_version where dataset_id = ?::uuid", ds));
        assertEquals(chunks, count("select count(*) from upload_staged_chunk where run_id = ?::uuid", runId),
                "the staged file stays for the attempt that holds the run");

        assertTrue(executor.execute(second, false));
        as().get("/runs/" + runId).then().body("state", equalTo("stored")).body("version", equalTo(1))
                .body("rowsRead", equalTo(500)).body("rowsStored", equalTo(500));
        assertEquals(1, count("select count(*) from dataset_version where dataset_id = ?::uuid", ds));
        assertEquals(500, count("select count(*) from dataset_row where dataset_id = ?::uuid", ds));
        assertEquals(0, count("select count(*) from upload_staged_chunk where run_id = ?::uuid", runId));
        // The stale attempt once more, after the end: nothing to read, nothing written.
        assertFalse(executor.execute(first, false));
        as().get("/runs/" + runId).then().body("state", equalTo("stored")).body("version", equalTo(1));
        assertEquals(1, count("select count(*) from dataset_version where dataset_id = ?::uuid", ds));
    }

    @Test
    void anExpiredLeaseIsDispatchedAgainAndSpentAttemptsFailTheRun() throws Exception {
        String ds = dataset();
        String ok = queueUpload(ds);
        claim(ok, "dead-runner/1");
        expireLease(ok);
        assertEquals(1, dispatcher.tick(), "the dispatcher claims the expired run for the in-process pool");
        assertEquals("stored", awaitEnd(ok));
        assertEquals(2L, (long) (Integer) queue.state(UUID.fromString(ok), tenant).orElseThrow()[1]);

        String r = queueUpload(ds);
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertEquals(attempt, claim(r, "dead-runner/" + attempt).attempt());
            expireLease(r);
        }
        assertEquals(0, dispatcher.tick(), "attempts are spent: nothing is launched");
        as().get("/runs/" + r).then().body("state", equalTo("failed")).body("errorCode", equalTo("run_interrupted"))
                .body("errorDetail", startsWith("the upload was interrupted 3 times"));
        assertEquals(0, count("select count(*) from upload_staged_chunk where run_id = ?::uuid", r));
        assertEquals(1, count("select count(*) from upload_run_queue where run_id = ?::uuid and state = 'done'", r));
        assertEquals(1, count("select count(*) from outbox_event where payload->'run'->>'runId' = ?"
                + " and payload->>'eventType' = 'FAIL'", r));
        assertEquals(1, count("select count(*) from dataset_version where dataset_id = ?::uuid", ds));
    }

    @Test
    void aRunnerSavesItsProgressOnTheRunAsItGoes() throws Exception {
        String ds = dataset();
        String r = queueUpload(ds, 60_000);
        ClaimedUpload run = claim(r, "runner/1");
        java.util.concurrent.ExecutorService elsewhere = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Boolean> done = elsewhere.submit(() -> executor.execute(run, false));
            // What another replica (or the service, for a runner Job) sees: the saved counters, not this process's memory.
            boolean sawProgress = false;
            while (!done.isDone() && !sawProgress) {
                sawProgress = count("select count(*) from upload_run where id = ?::uuid and finished_at is null"
                        + " and state in ('parsing', 'mapped') and rows_read > 0 and bytes_read > 0 and total_bytes > bytes_read", r) == 1;
                Thread.sleep(5);
            }
            assertTrue(done.get(), "the run is stored");
            assertTrue(sawProgress, "progress was saved on the run while it was parsed");
        } finally {
            elsewhere.shutdownNow();
        }
        as().get("/runs/" + r).then().body("state", equalTo("stored")).body("rowsRead", equalTo(60_000));
    }

    @Test
    void aRunnerThatFindsItsLeaseLostStopsReadingAndKeepsNothing() throws Exception {
        String ds = dataset();
        String r = queueUpload(ds, 120_000);
        ClaimedUpload first = claim(r, "paused-runner/1");
        java.util.concurrent.ExecutorService elsewhere = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Boolean> done = elsewhere.submit(() -> executor.execute(first, false));
            while (count("select count(*) from upload_run where id = ?::uuid and rows_read > 0", r) == 0) {
                assertFalse(done.isDone(), "the first attempt is still parsing");
                Thread.sleep(5);
            }
            // Its lease expires meanwhile (a long pause) and another attempt claims the run.
            expireLease(r);
            ClaimedUpload second = claim(r, "runner/2");
            assertEquals(2, second.attempt());
            executor.heartbeat(); // the first runner's next renewal finds the run taken
            assertFalse(done.get(), "the first attempt stops without storing anything");
            assertEquals(0, count("select count(*) from dataset_version where dataset_id = ?::uuid", ds));
            assertTrue(executor.execute(second, false));
        } finally {
            elsewhere.shutdownNow();
        }
        as().get("/runs/" + r).then().body("state", equalTo("stored")).body("version", equalTo(1))
                .body("rowsRead", equalTo(120_000));
        assertEquals(1, count("select count(*) from dataset_version where dataset_id = ?::uuid", ds));
    }

    @Test
    void theStaleRunSweeperLeavesQueuedRunsToTheQueue() throws Exception {
        String ds = dataset();
        String r = queueUpload(ds);
        try (Connection c = TestDatabase.asOwner(DB); PreparedStatement ps = c.prepareStatement(
                "update upload_run set heartbeat_at = now() - interval '1 hour' where id = ?::uuid")) {
            ps.setString(1, r);
            ps.executeUpdate();
        }
        try (Connection c = TestDatabase.asOwner(DB); PreparedStatement ps = c.prepareStatement(
                "select count(*) from fail_stale_upload_runs('1 minute') where run_id = ?::uuid")) {
            ps.setString(1, r);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
        }
        as().get("/runs/" + r).then().body("state", equalTo("queued"));
        assertEquals(0, command.run(UUID.fromString(r), java.util.Optional.empty()));
        as().get("/runs/" + r).then().body("state", equalTo("stored"));
    }

    @Test
    void theRunEntryPointParsesOneQueuedUploadAndSaysHowItEnded() throws Exception {
        IngestMain main = new IngestMain();
        main.command = command;
        main.dispatcher = new UploadDispatcher(); // disabled by --run: not this test app's dispatcher
        assertEquals(2, main.run("--run"), "no id");
        assertEquals(2, main.run("--run", "not-a-uuid"));
        assertEquals(1, main.run("--run", UUID.randomUUID().toString()), "no such run");

        String ds = dataset();
        String r = queueUpload(ds);
        assertEquals(0, main.run("--run", r), "started by hand: the queued run is claimed here and stored");
        as().get("/runs/" + r).then().body("state", equalTo("stored")).body("version", equalTo(1));
        assertEquals(1, main.run("--run", r), "a finished run is not run again");
        assertEquals(1, count("select count(*) from dataset_version where dataset_id = ?::uuid", ds));
    }
}
