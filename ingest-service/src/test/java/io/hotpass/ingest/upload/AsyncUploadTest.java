package io.hotpass.ingest.upload;

import static io.hotpass.ingest.upload.Uploads.HEADER;
import static io.hotpass.ingest.upload.Uploads.as;
import static io.hotpass.ingest.upload.Uploads.row;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous uploads ({@code ?async=true}) end to end on the in-process runner: the file is
 * staged and queued (202 + the run's Location), a runner parses it with the synchronous upload's
 * own code, and the version equals what a synchronous upload of the same file makes; checks that
 * need no parsing refuse at once with nothing staged; a file that fails parsing fails its run.
 */
@QuarkusTest
class AsyncUploadTest {

    /** 3,000 clean rows, a row with a bad email (quarantined), a duplicate row key (quarantined). */
    static String file() {
        StringBuilder b = new StringBuilder(HEADER);
        for (int i = 0; i < 3000; i++) {
            b.append(row("Org " + i, "info" + i + "@org.co.za", "0821234567", "REG-" + i));
        }
        b.append(row("Bad Mail", "not-an-email", "0821234567", "REG-X"));
        b.append(row("Org 7 again", "again@org.co.za", "0821234567", "REG-7"));
        return b.toString();
    }

    static Response async(String tenant, String dataset, String query, byte[] body) {
        return as(tenant).contentType("text/csv").header("X-File-Name", "orgs.csv").body(body)
                .post("/datasets/" + dataset + "/uploads?async=true" + query);
    }

    /** Follows the run until it ends (stored or failed). */
    static JsonPath await(String tenant, String runId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            JsonPath run = as(tenant).get("/runs/" + runId).then().statusCode(200).extract().jsonPath();
            String state = run.getString("state");
            if (state.equals("stored") || state.equals("failed")) {
                return run;
            }
            assertTrue(System.currentTimeMillis() < deadline, "run " + runId + " still " + state);
            Thread.sleep(100);
        }
    }

    @Test
    void anAsyncUploadMakesTheVersionASynchronousUploadMakes() throws Exception {
        String t = Uploads.tenant("async");
        String sync = Uploads.dataset(t, true);
        String queued = Uploads.dataset(t, true);
        byte[] csv = file().getBytes(StandardCharsets.UTF_8);

        Uploads.upload(t, sync, csv).then().statusCode(201);
        Response accepted = async(t, queued, "", csv);
        accepted.then().statusCode(202);
        String runId = accepted.jsonPath().getString("id");
        assertNotNull(runId);
        assertEquals("/runs/" + runId, java.net.URI.create(accepted.header("Location")).getPath());
        assertEquals(runId, accepted.header("Hotpass-Run-Id"));

        JsonPath run = await(t, runId);
        assertEquals("stored", run.getString("state"), run.prettify());
        assertEquals(1, run.getInt("version"));
        assertEquals(3002, run.getLong("rowsRead"));
        assertEquals(3000, run.getLong("rowsStored"));
        assertEquals(2, run.getLong("rowsQuarantined"));
        assertEquals(csv.length, run.getLong("bytesRead"));
        assertEquals(csv.length, run.getLong("totalBytes"));

        // The same version: counts, content hash, mapping, columns, source; the same rows and quarantine.
        Map<String, Object> a = as(t).get("/datasets/" + sync + "/versions/1").then().statusCode(200).extract().jsonPath().getMap("");
        Map<String, Object> b = as(t).get("/datasets/" + queued + "/versions/1").then().statusCode(200).extract().jsonPath().getMap("");
        for (String k : new String[] {"number", "parent", "kind", "status", "rowCount", "rowsAdded", "rowsRemoved",
                "rowsChanged", "rowsQuarantined", "contentSha256", "columns", "mapping", "source"}) {
            assertEquals(a.get(k), b.get(k), k);
        }
        assertEquals(runId, b.get("runId"));
        assertEquals(3000, ((Number) b.get("rowCount")).intValue());
        String rowsA = as(t).accept("application/x-ndjson").get("/datasets/" + sync + "/versions/1/rows").asString();
        String rowsB = as(t).accept("application/x-ndjson").get("/datasets/" + queued + "/versions/1/rows").asString();
        assertEquals(3000, rowsB.lines().count());
        assertEquals(rowsA, rowsB);
        java.util.List<Object> qa = as(t).get("/datasets/" + sync + "/versions/1/quarantine").then().statusCode(200)
                .extract().jsonPath().getList("items");
        java.util.List<Object> qb = as(t).get("/datasets/" + queued + "/versions/1/quarantine").then().statusCode(200)
                .extract().jsonPath().getList("items");
        assertEquals(2, qb.size(), String.valueOf(qb));
        assertEquals(qa, qb);

        // The staged file is gone, the queue row closed; START and COMPLETE lineage events as for a synchronous run.
        assertEquals(0, Uploads.count("select count(*) from upload_staged_chunk where run_id = ?::uuid", runId));
        assertEquals(1, Uploads.count("select count(*) from upload_run_queue where run_id = ?::uuid and state = 'done'", runId));
        assertEquals(2, Uploads.count("select count(*) from outbox_event where payload->'run'->>'runId' = ?"
                + " and payload->>'eventType' in ('START', 'COMPLETE')", runId));

        // Byte-identical content again: the run ends stored on the current version, and no second version exists.
        String again = async(t, queued, "", csv).then().statusCode(202).extract().path("id");
        JsonPath second = await(t, again);
        assertEquals("stored", second.getString("state"));
        assertEquals(1, second.getInt("version"));
        assertEquals(1, Uploads.versions(queued));

        // An incremental async upload with If-Match: version 2, like the synchronous path.
        String changed = HEADER + row("Org 1 renamed", "info1@org.co.za", "0821234567", "REG-1");
        String inc = async(t, queued, "&mode=incremental", changed.getBytes(StandardCharsets.UTF_8)).then()
                .statusCode(202).extract().path("id");
        JsonPath third = await(t, inc);
        assertEquals("stored", third.getString("state"), third.prettify());
        assertEquals(2, third.getInt("version"));
        as(t).get("/datasets/" + queued + "/versions/2").then().body("rowsChanged", equalTo(1))
                .body("rowCount", equalTo(3000));
    }

    @Test
    void anAsyncXlsxUploadReadsTheNamedSheetLikeASynchronousOne() throws Exception {
        String t = Uploads.tenant("asyncxlsx");
        String sync = Uploads.dataset(t, false);
        String queued = Uploads.dataset(t, false);
        byte[] wb = XlsxUploadTest.workbook();
        XlsxUploadTest.upload(t, sync, wb, "Second").then().statusCode(201);
        String runId = as(t).contentType(XlsxUploadTest.XLSX).header("X-File-Name", "orgs.xlsx").body(wb)
                .post("/datasets/" + queued + "/uploads?async=true&sheet=Second").then().statusCode(202)
                .extract().path("id");
        JsonPath run = await(t, runId);
        assertEquals("stored", run.getString("state"), run.prettify());
        Map<String, Object> a = as(t).get("/datasets/" + sync + "/versions/1").then().extract().jsonPath().getMap("");
        Map<String, Object> b = as(t).get("/datasets/" + queued + "/versions/1").then().extract().jsonPath().getMap("");
        for (String k : new String[] {"rowCount", "rowsQuarantined", "contentSha256", "columns", "mapping", "source"}) {
            assertEquals(a.get(k), b.get(k), k);
        }
        assertEquals("Second", ((Map<?, ?>) b.get("source")).get("sheet"));
        // A sheet the workbook does not have fails the run with the synchronous upload's code.
        String missing = as(t).contentType(XlsxUploadTest.XLSX).header("X-File-Name", "orgs.xlsx").body(wb)
                .post("/datasets/" + queued + "/uploads?async=true&sheet=Nope").then().statusCode(202).extract().path("id");
        JsonPath failed = await(t, missing);
        assertEquals("failed", failed.getString("state"));
        assertEquals("sheet_not_found", failed.getString("errorCode"));
        assertEquals(0, Uploads.count("select count(*) from upload_staged_chunk where tenant_id = ?", t));
    }

    @Test
    void checksThatNeedNoParsingRefuseAtOnceAndStageNothing() throws Exception {
        String t = Uploads.tenant("asyncbad");
        String ds = Uploads.dataset(t, false);
        byte[] csv = (HEADER + row("A", "a@x.co.za", "0821234567", "R1")).getBytes(StandardCharsets.UTF_8);
        async(t, ds, "&preview=true", csv).then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("errors[0].field", equalTo("async"));
        async(t, ds, "&mode=sideways", csv).then().statusCode(400).body("errors[0].field", equalTo("mode"));
        async(t, ds, "&delimiter=ab", csv).then().statusCode(400).body("errors[0].field", equalTo("delimiter"));
        async(t, ds, "&encoding=no-such-charset", csv).then().statusCode(400).body("errors[0].field", equalTo("encoding"));
        async(t, ds, "&sheet=Orgs", csv).then().statusCode(400).body("errors[0].field", equalTo("sheet"));
        async(t, ds, "&mapping=nope", csv).then().statusCode(400).body("errors[0].field", equalTo("mapping"));
        async(t, ds, "&mode=incremental", csv).then().statusCode(422).body("code", equalTo("row_key_required"));
        as(t).contentType("text/csv").header("If-Match", "\"v7\"").body(csv)
                .post("/datasets/" + ds + "/uploads?async=true").then().statusCode(412)
                .body("code", equalTo("precondition_failed"));
        async(t, java.util.UUID.randomUUID().toString(), "", csv).then().statusCode(404)
                .body("code", equalTo("dataset_not_found"));
        async(t, ds, "", new byte[0]).then().statusCode(422).body("code", equalTo("empty_file"));
        as(t).contentType("application/pdf").body(csv).post("/datasets/" + ds + "/uploads?async=true").then()
                .statusCode(415);
        async("other-tenant", ds, "", csv).then().statusCode(404);
        assertEquals(0, Uploads.count("select count(*) from upload_run where tenant_id = ?", t));
        assertEquals(0, Uploads.count("select count(*) from upload_run_queue where tenant_id = ?", t));
        assertEquals(0, Uploads.count("select count(*) from upload_staged_chunk where tenant_id = ?", t));
    }

    @Test
    void aFileThatFailsToParseFailsItsRunAndDropsItsStagedBytes() throws Exception {
        String t = Uploads.tenant("asyncfail");
        String ds = Uploads.dataset(t, false);
        String runId = async(t, ds, "", HEADER.getBytes(StandardCharsets.UTF_8)).then().statusCode(202).extract().path("id");
        JsonPath run = await(t, runId);
        assertEquals("failed", run.getString("state"));
        assertEquals("no_rows", run.getString("errorCode"), "the code a synchronous upload answers");
        assertEquals(0, Uploads.versions(ds));
        assertEquals(0, Uploads.count("select count(*) from upload_staged_chunk where run_id = ?::uuid", runId));
        assertEquals(1, Uploads.count("select count(*) from upload_run_queue where run_id = ?::uuid and state = 'done'"
                + " and attempts = 1", runId), "content failures are not retried");
        assertEquals(1, Uploads.count("select count(*) from outbox_event where payload->'run'->>'runId' = ?"
                + " and payload->>'eventType' = 'FAIL'", runId));
        // Row-level security: another tenant sees neither the run nor its queue row.
        as("other-tenant").get("/runs/" + runId).then().statusCode(404);
    }
}
