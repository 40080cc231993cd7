package io.hotpass.ingest.upload;

import static io.hotpass.ingest.upload.Uploads.HEADER;
import static io.hotpass.ingest.upload.Uploads.as;
import static io.hotpass.ingest.upload.Uploads.row;
import static io.hotpass.ingest.upload.Uploads.upload;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.Charset;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UploadResourceTest {

    static final String CSV = HEADER
            + row("Atlas Aero CC", " INFO@Atlas.co.za ", "+27 18 159 0830", "2017/061981/23")
            + row("Sun Air", "ops@sun.co.za", "(021) 555-1234", "2009/260494/07")
            + row("Bad Mail", "not-an-email", "0821234567", "2014/930129/23");

    @Test
    void csvBecomesVersionOneWithNormalisedRowsAndQuarantine() throws Exception {
        String t = Uploads.tenant("up");
        String ds = Uploads.dataset(t, true);
        Response r = upload(t, ds, CSV);
        r.then().statusCode(201).header("ETag", "\"v1\"").header("Location", containsString("/versions/1"))
                .body("deduplicated", equalTo(false)).body("version.number", equalTo(1))
                .body("version.rowCount", equalTo(2)).body("version.rowsQuarantined", equalTo(1))
                .body("version.parent", nullValue()).body("version.source.fileName", equalTo("orgs.csv"))
                .body("version.contentSha256", notNullValue());
        as(t).get("/datasets/" + ds).then().statusCode(200).header("ETag", "\"v1\"");

        String ndjson = as(t).accept("application/x-ndjson").get("/datasets/" + ds + "/versions/1/rows")
                .then().statusCode(200).contentType(containsString("application/x-ndjson")).extract().asString();
        List<String> lines = ndjson.lines().toList();
        assertEquals(2, lines.size(), ndjson);
        // Each line is the row as stored (ADR 0024): compact, fields in the profile's order.
        assertTrue(lines.get(0).startsWith("{\"_rowId\":\"2009/260494/07\",\"name\":\"Sun Air\",\"email\":"), lines.get(0));
        assertTrue(ndjson.contains("\"email\":\"info@atlas.co.za\""), ndjson);
        assertTrue(ndjson.contains("\"phone\":\"+27181590830\""), ndjson);
        assertTrue(ndjson.contains("\"phone\":\"+27215551234\""), ndjson);
        assertTrue(ndjson.contains("\"country\":\"ZA\""), ndjson);
        assertTrue(ndjson.contains("\"website\":\"http://example.co.za/\""), ndjson);
        assertTrue(ndjson.contains("\"fleet_size\":12"), ndjson);

        as(t).get("/datasets/" + ds + "/versions/1/quarantine").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].reason", equalTo("invalid_email"))
                .body("items[0].field", equalTo("email")).body("items[0].rawValue", equalTo("not-an-email"))
                .body("items[0].line", equalTo(4));

        as(t).get("/datasets/" + ds + "/versions/1").then().statusCode(200).header("ETag", "\"v1\"")
                .body("columns.name", hasItem("registration_number")).body("mapping[0].field", equalTo("name"));
    }

    @Test
    void jsonRowsArePagedAndCsvIsStreamed() {
        String t = Uploads.tenant("page");
        String ds = Uploads.dataset(t, true);
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 5; i++) {
            csv.append(row("Org " + i, "a" + i + "@x.co.za", "0821234567", "2000/00000" + i + "/07"));
        }
        upload(t, ds, csv.toString()).then().statusCode(201);
        Response p1 = as(t).queryParam("limit", 3).get("/datasets/" + ds + "/versions/1/rows");
        p1.then().statusCode(200).body("items", hasSize(3)).body("items[0]._rowId", equalTo("2000/000000/07"))
                .body("nextCursor", notNullValue());
        as(t).queryParam("limit", 3).queryParam("cursor", p1.path("nextCursor").toString())
                .get("/datasets/" + ds + "/versions/1/rows").then().statusCode(200).body("items", hasSize(2))
                .body("items[0]._rowId", equalTo("2000/000003/07")).body("nextCursor", nullValue());
        String out = as(t).accept("text/csv").get("/datasets/" + ds + "/versions/1/rows").then().statusCode(200)
                .extract().asString();
        assertTrue(out.startsWith("_rowId,name,email,phone,website"), out);
        assertTrue(out.contains("'+27821234567"), "phone cells starting with + are neutralised: " + out);
        assertEquals(6, out.lines().count());
    }

    @Test
    void byteIdenticalReuploadAnswersTheSameVersion() throws Exception {
        String t = Uploads.tenant("dedupe");
        String ds = Uploads.dataset(t, true);
        upload(t, ds, CSV).then().statusCode(201).body("version.number", equalTo(1));
        upload(t, ds, CSV).then().statusCode(200).body("deduplicated", equalTo(true)).body("version.number", equalTo(1))
                .header("ETag", "\"v1\"");
        assertEquals(1, Uploads.versions(ds));
        assertEquals(2, Uploads.rows(ds));
    }

    @Test
    void backfillAndIncrementalWriteOnlyChangedRows() throws Exception {
        String t = Uploads.tenant("incr");
        String ds = Uploads.dataset(t, true);
        upload(t, ds, HEADER + row("A", "a@x.co.za", "0821234567", "R1") + row("B", "b@x.co.za", "0821234567", "R2")
                + row("C", "c@x.co.za", "0821234567", "R3")).then().statusCode(201);
        // Incremental: B changes, D is new, A and C are untouched and not rewritten.
        as(t).contentType("text/csv").queryParam("mode", "incremental")
                .body(HEADER + row("B2", "b@x.co.za", "0821234567", "R2") + row("D", "d@x.co.za", "0821234567", "R4")
                        + row("A", "a@x.co.za", "0821234567", "R1"))
                .post("/datasets/" + ds + "/uploads").then().statusCode(201).body("version.number", equalTo(2))
                .body("version.parent", equalTo(1)).body("version.rowCount", equalTo(4))
                .body("version.rowsAdded", equalTo(1)).body("version.rowsChanged", equalTo(1))
                .body("version.rowsRemoved", equalTo(0));
        assertEquals(5, Uploads.rows(ds), "3 rows of v1 + changed B + new D");
        // Backfill: only A remains.
        upload(t, ds, HEADER + row("A", "a@x.co.za", "0821234567", "R1")).then().statusCode(201)
                .body("version.number", equalTo(3)).body("version.rowCount", equalTo(1))
                .body("version.rowsRemoved", equalTo(3));
        assertEquals(5, Uploads.rows(ds), "a backfill that only removes rows writes no row");
        // Every version stays readable.
        as(t).queryParam("limit", 10).get("/datasets/" + ds + "/versions/1/rows").then().body("items", hasSize(3))
                .body("items[1].name", equalTo("B"));
        as(t).queryParam("limit", 10).get("/datasets/" + ds + "/versions/2/rows").then().body("items", hasSize(4))
                .body("items[1].name", equalTo("B2"));
        as(t).get("/datasets/" + ds + "/versions").then().statusCode(200).body("items.number", equalTo(List.of(3, 2, 1)));
    }

    @Test
    void aCharsetInTheContentTypeIsTheDeclaredEncoding() {
        String t = Uploads.tenant("cs");
        String ds = Uploads.dataset(t, false);
        byte[] cp1252 = (HEADER + row("Société Générale", "s@x.co.za", "0821234567", "R9")).getBytes(Charset.forName("windows-1252"));
        // Declared UTF-8 but not UTF-8: refused, never guessed into Windows-1252.
        as(t).contentType("text/csv; charset=utf-8").body(cp1252).post("/datasets/" + ds + "/uploads").then()
                .statusCode(400).body("code", equalTo("invalid_encoding"));
        as(t).contentType("text/csv; charset=windows-1252").body(cp1252).post("/datasets/" + ds + "/uploads").then()
                .statusCode(201).body("version.source.encoding", equalTo("windows-1252"));
        as(t).queryParam("limit", 10).get("/datasets/" + ds + "/versions/1/rows").then()
                .body("items[0].name", equalTo("Société Générale"));
        // ?encoding= wins over the header.
        as(t).contentType("text/csv; charset=utf-8").queryParam("encoding", "windows-1252").body(cp1252)
                .post("/datasets/" + ds + "/uploads").then().statusCode(200).body("deduplicated", equalTo(true));
    }

    @Test
    void windows1252AndBomAreDetected() {
        String t = Uploads.tenant("enc");
        String ds = Uploads.dataset(t, false);
        byte[] cp1252 = (HEADER + row("Société Générale", "s@x.co.za", "0821234567", "R9")).getBytes(Charset.forName("windows-1252"));
        upload(t, ds, cp1252).then().statusCode(201).body("version.source.encoding", equalTo("windows-1252"));
        as(t).queryParam("limit", 10).get("/datasets/" + ds + "/versions/1/rows").then()
                .body("items[0].name", equalTo("Société Générale"));
        byte[] body = (HEADER.replace(',', ';') + row("Zoë", "z@x.co.za", "0821234567", "R8").replace(',', ';'))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bom = new byte[body.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bom, 3, body.length);
        upload(t, ds, bom).then().statusCode(201).body("version.source.bom", equalTo(true))
                .body("version.source.delimiter", equalTo(";")).body("version.columns.name", hasItem("name"));
        as(t).queryParam("limit", 10).get("/datasets/" + ds + "/versions/2/rows").then()
                .body("items[0].name", equalTo("Zoë"));
    }

    @Test
    void previewStoresNothingAndOverrideChangesTheMapping() throws Exception {
        String t = Uploads.tenant("prev");
        String ds = Uploads.dataset(t, false);
        String csv = "Company,E-mail,Tel,Notes\nAtlas,INFO@atlas.co.za,0821234567,hello\n";
        as(t).contentType("text/csv").queryParam("preview", true).body(csv).post("/datasets/" + ds + "/uploads")
                .then().statusCode(200).body("mapping.find { it.source == 'Company' }.field", equalTo("name"))
                .body("mapping.find { it.source == 'E-mail' }.method", equalTo("synonym"))
                .body("unmappedColumns", equalTo(List.of("Notes")))
                .body("sample[0].row.email", equalTo("info@atlas.co.za"))
                .body("sample[0].row.phone", equalTo("+27821234567"));
        as(t).contentType("text/csv").queryParam("preview", true)
                .queryParam("mapping", "{\"Notes\":\"category\",\"Tel\":null}").body(csv).post("/datasets/" + ds + "/uploads")
                .then().statusCode(200).body("mapping.find { it.source == 'Notes' }.field", equalTo("category"))
                .body("unmappedColumns", equalTo(List.of("Tel"))).body("sample[0].row.category", equalTo("hello"));
        as(t).contentType("text/csv").queryParam("preview", true).queryParam("mapping", "{\"Nope\":\"name\"}")
                .body(csv).post("/datasets/" + ds + "/uploads").then().statusCode(400)
                .body("errors.field", hasItem("mapping"));
        assertEquals(0, Uploads.versions(ds));
    }

    @Test
    void otherTenantsDatasetIs404AndNothingIsStored() throws Exception {
        String t = Uploads.tenant("own");
        String ds = Uploads.dataset(t, true);
        upload("intruder", ds, CSV).then().statusCode(404).body("code", equalTo("dataset_not_found"));
        as("intruder").get("/datasets/" + ds + "/versions/1/rows").then().statusCode(404);
        assertEquals(0, Uploads.versions(ds));
        io.restassured.RestAssured.given().contentType("text/csv").body(CSV).post("/datasets/" + ds + "/uploads")
                .then().statusCode(401);
    }

    @Test
    void ndjsonUploadsMapKeysLikeHeadersAndQuarantineBadLines() throws Exception {
        String t = Uploads.tenant("nd");
        String ds = Uploads.dataset(t, true);
        String body = "{\"company\":\"Atlas\",\"email\":\"A@x.co.za\",\"registration_no\":\"R1\",\"fleet\":3}\n"
                + "not json at all\n"
                + "\n"
                + "{\"company\":\"Sun\",\"registration_no\":\"R2\",\"extra\":{\"a\":1}}\n";
        as(t).contentType("application/x-ndjson").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/datasets/" + ds + "/uploads").then().statusCode(201)
                .body("version.rowCount", equalTo(2)).body("version.rowsQuarantined", equalTo(1))
                .body("version.source.format", equalTo("ndjson"))
                .body("version.mapping.find { it.source == 'company' }.field", equalTo("name"));
        as(t).queryParam("limit", 10).get("/datasets/" + ds + "/versions/1/rows").then()
                .body("items[0].email", equalTo("a@x.co.za")).body("items[0].fleet_size", equalTo(3))
                .body("items[1].name", equalTo("Sun"));
        as(t).get("/datasets/" + ds + "/versions/1/quarantine").then().body("items[0].reason", equalTo("invalid_json"))
                .body("items[0].line", equalTo(2)).body("items[0].rawValue", equalTo("not json at all"));
        String t2 = Uploads.tenant("nd");
        String empty = Uploads.dataset(t2, false);
        as(t2).contentType("application/x-ndjson").body("\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/datasets/" + empty + "/uploads").then()
                .statusCode(422).body("code", equalTo("empty_file"));
        assertEquals(0, Uploads.versions(empty));
    }

    @Test
    void rowsAsOfAPointInTimeReadTheVersionThenCurrent() {
        String t = Uploads.tenant("asof");
        String ds = Uploads.dataset(t, true);
        as(t).get("/datasets/" + ds + "/rows").then().statusCode(404).body("code", equalTo("version_not_found"));
        upload(t, ds, HEADER + row("A", "a@x.co.za", "0821234567", "R1")).then().statusCode(201);
        String v1At = as(t).get("/datasets/" + ds + "/versions/1").then().extract().path("createdAt");
        upload(t, ds, HEADER + row("B", "b@x.co.za", "0821234567", "R2")).then().statusCode(201);
        as(t).queryParam("asOf", v1At).get("/datasets/" + ds + "/rows").then().statusCode(200)
                .header("Hotpass-Version", "1").body("items._rowId", equalTo(List.of("R1")));
        as(t).get("/datasets/" + ds + "/rows").then().statusCode(200).header("Hotpass-Version", "2")
                .body("items._rowId", equalTo(List.of("R2")));
        as(t).queryParam("asOf", "2000-01-01T00:00:00Z").get("/datasets/" + ds + "/rows").then().statusCode(404);
        as(t).queryParam("asOf", "yesterday").get("/datasets/" + ds + "/rows").then().statusCode(400)
                .body("errors.field", hasItem("asOf"));
    }

    @Test
    void aFirstVersionWithoutRowKeyKeepsFileOrderAndQuarantineAndTheNextGoesThroughStaging() throws Exception {
        // The first version of a dataset without a row key is inserted straight into dataset_row in batches
        // (UploadService.Direct); 2,500 rows make three batches, with quarantined rows among them.
        String t = Uploads.tenant("first");
        String ds = Uploads.dataset(t, false);
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 2500; i++) {
            csv.append(row("Org " + i, i % 1000 == 7 ? "not-an-email" : "a" + i + "@x.co.za", "0821234567", "2000/" + i + "/07"));
        }
        upload(t, ds, csv.toString()).then().statusCode(201).body("version.rowCount", equalTo(2497))
                .body("version.rowsQuarantined", equalTo(3)).body("version.rowsAdded", equalTo(2497));
        assertEquals(2497, Uploads.rows(ds));
        as(t).get("/datasets/" + ds + "/versions/1/quarantine").then().statusCode(200)
                .body("items.line", equalTo(List.of(9, 1009, 2009))).body("items.reason", hasItem("invalid_email"));
        // Row ids ascend in file order (zero-padded lines), so rows read back in the order of the file.
        List<String> names = as(t).accept("application/x-ndjson").get("/datasets/" + ds + "/versions/1/rows")
                .then().statusCode(200).extract().asString().lines()
                .map(l -> l.replaceAll(".*\"name\": ?\"([^\"]*)\".*", "$1")).toList();
        assertEquals(2497, names.size());
        assertEquals("Org 0", names.get(0));
        assertEquals("Org 10", names.get(9));
        assertEquals("Org 2499", names.get(2496));

        // A second upload compares with the first through the staging table: one row changed, one removed.
        String changed = csv.toString().replace("Org 42,", "Org Forty-Two,").replace(row("Org 43", "a43@x.co.za",
                "0821234567", "2000/43/07"), "");
        upload(t, ds, changed).then().statusCode(201).body("version.number", equalTo(2))
                .body("version.rowCount", equalTo(2496)).body("version.rowsAdded", equalTo(1))
                .body("version.rowsRemoved", equalTo(2)).body("version.rowsChanged", equalTo(0));
        assertEquals(2498, Uploads.rows(ds)); // row-level versions: 2,497 + the one new row, no copies
    }
}
