package io.hotpass.ingest.upload;

import static io.hotpass.ingest.upload.Uploads.HEADER;
import static io.hotpass.ingest.upload.Uploads.as;
import static io.hotpass.ingest.upload.Uploads.row;
import static io.hotpass.ingest.upload.Uploads.upload;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.ingest.run.RunService;
import io.hotpass.platform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Upload runs: state and counters, the SSE stream, and runs a stopped process left behind. */
@QuarkusTest
class RunTest {

    @Inject
    RunService runs;

    @Test
    void storedRunReportsItsCountersAndStreamsItsFinalState() throws Exception {
        String t = Uploads.tenant("run");
        String ds = Uploads.dataset(t, true);
        String csv = HEADER + row("A", "a@x.co.za", "0821234567", "R1") + row("B", "bad", "0821234567", "R2");
        String runId = upload(t, ds, csv).then().statusCode(201).extract().header("Hotpass-Run-Id");
        as(t).get("/runs/" + runId).then().statusCode(200).body("state", equalTo("stored"))
                .body("rowsRead", equalTo(2)).body("rowsStored", equalTo(1)).body("rowsQuarantined", equalTo(1))
                .body("bytesRead", equalTo(csv.length())).body("version", equalTo(1))
                .body("datasetId", equalTo(ds)).body("finishedAt", org.hamcrest.Matchers.notNullValue());
        String events = as(t).accept("text/event-stream").get("/runs/" + runId + "/events").then().statusCode(200)
                .contentType(containsString("text/event-stream")).extract().asString();
        assertTrue(events.contains("\"state\":\"stored\""), events);
        as("other-tenant").get("/runs/" + runId).then().statusCode(404).body("code", equalTo("run_not_found"));
        as("other-tenant").get("/runs/" + runId + "/events").then().statusCode(404);
        // START and COMPLETE lineage events for the run, in the tenant's namespace.
        assertEquals(2, Uploads.count("select count(*) from outbox_event where tenant_id = ? and event_type = 'RunEvent'"
                + " and payload->'run'->>'runId' = ? and payload->'outputs'->0->>'namespace' = ?", t, runId, t));
        assertEquals(1, Uploads.count("select count(*) from outbox_event where payload->'run'->>'runId' = ?"
                + " and payload->>'eventType' = 'COMPLETE'"
                + " and payload->'outputs'->0->'facets'->'version'->>'datasetVersion' = '1'", runId));
    }

    @Test
    void failedUploadHasAFailedRunWithAFailEvent() throws Exception {
        String t = Uploads.tenant("runfail");
        String ds = Uploads.dataset(t, false);
        String runId = upload(t, ds, HEADER).then().statusCode(422).extract().path("runId");
        as(t).get("/runs/" + runId).then().statusCode(200).body("state", equalTo("failed"))
                .body("errorCode", equalTo("no_rows"));
        assertEquals(1, Uploads.count("select count(*) from outbox_event where payload->'run'->>'runId' = ?"
                + " and payload->>'eventType' = 'FAIL'", runId));
    }

    @Test
    void runsInterruptedByAStopAreFailedCleanlyAtStartUp() throws Exception {
        String t = Uploads.tenant("stale");
        String ds = Uploads.dataset(t, false);
        UUID stale = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        try (Connection c = TestDatabase.asOwner(Uploads.DB); PreparedStatement ps = c.prepareStatement(
                "insert into upload_run (id, tenant_id, dataset_id, state, mode, format, created_by, heartbeat_at)"
                        + " values (?, ?, ?::uuid, 'parsing', 'backfill', 'csv', 'test', now() - ?::interval)")) {
            for (Object[] r : new Object[][] {{stale, "10 minutes"}, {fresh, "0 seconds"}}) {
                ps.setObject(1, r[0]);
                ps.setString(2, t);
                ps.setString(3, ds);
                ps.setString(4, (String) r[1]);
                ps.executeUpdate();
            }
        }
        runs.failStale(Duration.ofMinutes(1)); // what start-up does with its own threshold
        as(t).get("/runs/" + stale).then().statusCode(200).body("state", equalTo("failed"))
                .body("errorCode", equalTo("interrupted"));
        as(t).get("/runs/" + fresh).then().statusCode(200).body("state", equalTo("parsing"));
        assertEquals(0, Uploads.versions(ds));
        // Lineage hears the end of the interrupted run, in the same transaction that failed it.
        assertEquals(1, Uploads.count("select count(*) from outbox_event where payload->'run'->>'runId' = ?"
                + " and payload->>'eventType' = 'FAIL'", stale.toString()));
        assertEquals(0, Uploads.count("select count(*) from outbox_event where payload->'run'->>'runId' = ?", fresh.toString()));
    }

    @Test
    void progressIsVisibleWhileTheBodyIsStillArriving() throws Exception {
        String t = Uploads.tenant("live");
        String ds = Uploads.dataset(t, true);
        Feeding upload = feeding(t, ds);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Uploads.count(
                "select count(*) from upload_run where dataset_id = ?::uuid", ds) == 1);
        String runId = runIdOf(ds);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            io.restassured.response.Response r = as(t).get("/runs/" + runId);
            return "mapped".equals(r.path("state")) && ((Number) r.path("rowsRead")).longValue() > 0;
        });
        assertEquals(0, Uploads.versions(ds), "no version while the upload runs");
        upload.finish();
        assertEquals(201, upload.answer().get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode());
        as(t).get("/runs/" + runId).then().body("state", equalTo("stored")).body("rowsStored", equalTo(3001));
    }

    /**
     * A live upload whose bytes stop arriving (a slow client, a partitioned network) keeps its
     * heartbeat, so the sweeper leaves it alone; and one that was failed anyway while it waited (its
     * process paused longer than stale-after, as the ingest-partitioned drill found) stores nothing
     * when its bytes come back: 409 run_interrupted, no version, and no second end told to lineage.
     */
    @Test
    void aStalledUploadKeepsItsHeartbeatAndOneEndedMeanwhileStoresNothing() throws Exception {
        String t = Uploads.tenant("stall");
        String ds = Uploads.dataset(t, true);
        Feeding upload = feeding(t, ds);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Uploads.count(
                "select count(*) from upload_run where dataset_id = ?::uuid and state = 'mapped'", ds) == 1);
        String runId = runIdOf(ds);

        // No byte arrives now. Its heartbeat made old, the process beats it fresh again by itself.
        Uploads.execute("update upload_run set heartbeat_at = now() - interval '10 minutes' where id = ?::uuid", runId);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Uploads.count(
                "select count(*) from upload_run where id = ?::uuid and heartbeat_at > now() - interval '30 seconds'", runId) == 1);
        runs.failStale(Duration.ofMinutes(1));
        as(t).get("/runs/" + runId).then().body("state", equalTo("mapped"));

        // Ended meanwhile all the same (as the sweeper of a replica would end a run whose process was paused).
        Uploads.execute("update upload_run set state = 'failed', error_code = 'interrupted', finished_at = now()"
                + " where id = ?::uuid", runId);
        upload.finish();
        io.restassured.response.Response r = upload.answer().get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(409, r.statusCode(), r.asString());
        assertEquals("run_interrupted", r.path("code"));
        assertEquals(0, Uploads.versions(ds), "no version for a failed run");
        assertEquals(0, Uploads.rows(ds));
        as(t).get("/runs/" + runId).then().body("state", equalTo("failed")).body("errorCode", equalTo("interrupted"));
        assertEquals(0, Uploads.count("select count(*) from outbox_event where payload->'run'->>'runId' = ?"
                + " and payload->>'eventType' in ('COMPLETE', 'FAIL')", runId), "the run's end was told by whoever ended it, once");
        // The same file sent again is stored, once.
        upload(t, ds, rows(3000) + LAST).then().statusCode(201)
                .body("version.number", equalTo(1)).body("version.rowCount", equalTo(3001));
    }

    @Test
    void anUploadCancelledMidStreamFailsItsRunAndLeavesNothing() throws Exception {
        String t = Uploads.tenant("cancel");
        String ds = Uploads.dataset(t, true);
        String first = rows(3000);
        byte[] part = first.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // A raw client that promises far more bytes than it sends, then goes away.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /datasets/" + ds + "/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + io.hotpass.platform.testing.TestTokens.forTenant(t) + "\r\n"
                    + "Content-Type: text/csv\r\nContent-Length: " + (part.length * 10L) + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(part);
            out.flush();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Uploads.count(
                    "select count(*) from upload_run where dataset_id = ?::uuid", ds) == 1);
            String runId = runIdOf(ds);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                io.restassured.response.Response r = as(t).get("/runs/" + runId);
                return ((Number) r.path("rowsRead")).longValue() > 0;
            });
            socket.setSoLinger(true, 0); // RST, as a killed client or a dropped connection would
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Uploads.count(
                "select count(*) from upload_run where dataset_id = ?::uuid and state = 'failed'", ds) == 1);
        assertEquals(1, Uploads.count("select count(*) from upload_run where dataset_id = ?::uuid"
                + " and error_code = 'upload_interrupted'", ds), "the run says why it failed");
        assertEquals(0, Uploads.versions(ds), "no version");
        assertEquals(0, Uploads.rows(ds), "no rows");
        // The dataset is untouched: the same file uploaded whole is version 1.
        upload(t, ds, first).then().statusCode(201).body("version.number", equalTo(1))
                .body("version.rowCount", equalTo(3000));
    }

    static final String LAST = row("Last", "l@x.co.za", "0821234567", "K-last");

    /** The header and {@code n} clean rows. */
    private static String rows(int n) {
        StringBuilder b = new StringBuilder(HEADER);
        for (int i = 0; i < n; i++) {
            b.append(row("Org " + i, "o" + i + "@x.co.za", "0821234567", "K" + i));
        }
        return b.toString();
    }

    /** An upload whose body the test feeds: 3,000 rows sent at once, the last row when it {@link #finish}es. */
    private record Feeding(java.io.PipedOutputStream feed, java.util.concurrent.CompletableFuture<io.restassured.response.Response> answer) {
        void finish() throws java.io.IOException {
            feed.write(LAST.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            feed.close();
        }
    }

    private static Feeding feeding(String t, String ds) throws java.io.IOException {
        java.io.PipedOutputStream feed = new java.io.PipedOutputStream();
        java.io.PipedInputStream body = new java.io.PipedInputStream(feed, 64 * 1024);
        java.util.concurrent.CompletableFuture<io.restassured.response.Response> answer = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> as(t).contentType("text/csv").body(body).post("/datasets/" + ds + "/uploads"));
        feed.write(rows(3000).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        feed.flush();
        return new Feeding(feed, answer);
    }

    private static String runIdOf(String ds) throws Exception {
        try (Connection c = TestDatabase.asOwner(Uploads.DB);
                PreparedStatement ps = c.prepareStatement("select id from upload_run where dataset_id = ?::uuid")) {
            ps.setString(1, ds);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
