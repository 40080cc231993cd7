package io.hotpass.ingest.upload;

import static io.hotpass.ingest.upload.Uploads.HEADER;
import static io.hotpass.ingest.upload.Uploads.as;
import static io.hotpass.ingest.upload.Uploads.row;
import static io.hotpass.ingest.upload.Uploads.upload;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The bad-input corpus: each file is a clear 4xx problem+json (with a failed run) or quarantined
 * rows, and a rejected file leaves no version, no row and no quarantine entry behind.
 */
@QuarkusTest
class BadInputTest {

    ValidatableResponse rejected(byte[] file, int status, String code) throws Exception {
        String t = Uploads.tenant("bad");
        String ds = Uploads.dataset(t, false);
        ValidatableResponse r = upload(t, ds, file).then().statusCode(status).contentType("application/problem+json")
                .body("code", equalTo(code)).body("runId", notNullValue());
        assertEquals(0, Uploads.versions(ds), "no version");
        assertEquals(0, Uploads.rows(ds), "no rows");
        assertEquals(0, Uploads.count("select count(*) from quarantine_row where dataset_id = ?::uuid", ds), "no quarantine");
        assertEquals(1, Uploads.count("select count(*) from upload_run where dataset_id = ?::uuid and state = 'failed'"
                + " and error_code = ?", ds, code), "the run is failed with the code");
        return r;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFileNameThatIsAPathOrTooLongIsRefusedBeforeAnythingIsRead() throws Exception {
        String t = Uploads.tenant("bad");
        String ds = Uploads.dataset(t, false);
        byte[] csv = utf8(HEADER + row("A", "a@x.co.za", "0821234567", "R1"));
        for (String name : new String[] {"../../../etc/cron.d/hotpass.csv", "C:\\orgs.csv", "..", "a\tb.csv",
                "x".repeat(256) + ".csv"}) {
            as(t).contentType("text/csv").header("X-File-Name", name).body(csv).post("/datasets/" + ds + "/uploads").then()
                    .statusCode(400).contentType("application/problem+json").body("code", equalTo("validation_failed"))
                    .body("errors[0].field", equalTo("X-File-Name"));
        }
        assertEquals(0, Uploads.versions(ds), "no version");
        assertEquals(0, Uploads.count("select count(*) from upload_run where dataset_id = ?::uuid", ds), "no run started");
        as(t).contentType("text/csv").header("X-File-Name", "Organisations (März 2026).csv").body(csv)
                .post("/datasets/" + ds + "/uploads").then().statusCode(201)
                .body("version.source.fileName", equalTo("Organisations (März 2026).csv"));
    }

    @Test
    void emptyFile() throws Exception {
        rejected(new byte[0], 422, "empty_file");
    }

    @Test
    void headerOnly() throws Exception {
        rejected(utf8(HEADER), 422, "no_rows");
    }

    @Test
    void duplicateHeaders() throws Exception {
        rejected(utf8("Name,Email,email\nA,a@x.co.za,b@x.co.za\n"), 422, "duplicate_columns").body("columns", hasItem("email"));
    }

    @Test
    void unterminatedQuote() throws Exception {
        rejected(utf8(HEADER + row("A", "a@x.co.za", "0821234567", "R1") + "\"Broken,a@x.co.za\n"), 400, "malformed_csv");
    }

    @Test
    void invalidUtf8WhenDeclared() throws Exception {
        byte[] ok = utf8(HEADER + row("A", "a@x.co.za", "0821234567", "R1"));
        byte[] bad = Arrays.copyOf(ok, ok.length + 4);
        bad[ok.length] = 'X';
        bad[ok.length + 1] = (byte) 0xC3; // a lead byte followed by no continuation
        bad[ok.length + 2] = ',';
        bad[ok.length + 3] = '\n';
        String t = Uploads.tenant("bad");
        String ds = Uploads.dataset(t, false);
        as(t).contentType("text/csv").queryParam("encoding", "UTF-8").body(bad).post("/datasets/" + ds + "/uploads")
                .then().statusCode(400).body("code", equalTo("invalid_encoding")).body("errors.field", hasItem("encoding"));
        assertEquals(0, Uploads.versions(ds));
        assertEquals(0, Uploads.rows(ds));
    }

    @Test
    void hugeField() throws Exception {
        // Two MiB in one quoted cell: larger than the 1 MiB field limit.
        String huge = "\"" + "x".repeat(2 * 1024 * 1024) + "\"";
        rejected(utf8("Name,Email\n" + huge + ",a@x.co.za\n"), 413, "field_too_large");
    }

    @Test
    void tenThousandColumns() throws Exception {
        StringBuilder h = new StringBuilder("Name");
        for (int i = 1; i < 10_000; i++) {
            h.append(",c").append(i);
        }
        rejected(utf8(h + "\nA" + ",x".repeat(9_999) + "\n"), 422, "too_many_columns");
    }

    @Test
    void noColumnMapsToTheProfile() throws Exception {
        rejected(utf8("foo,bar\n1,2\n3,4\n"), 422, "no_columns_mapped");
    }

    @Test
    void zipFileSentAsCsv() throws Exception {
        // A zip (what an .xlsx is) sent as CSV: decoded as Windows-1252, no header maps onto the profile.
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("xl/workbook.xml"));
            zip.write(utf8("<workbook>" + "<sheet name=\"s\"/>\n".repeat(200) + "</workbook>"));
            zip.closeEntry();
        }
        String t = Uploads.tenant("bad");
        String ds = Uploads.dataset(t, false);
        upload(t, ds, bytes.toByteArray()).then().statusCode(422).contentType("application/problem+json")
                .body("code", org.hamcrest.Matchers.oneOf("no_columns_mapped", "no_rows", "empty_file", "duplicate_columns"));
        assertEquals(0, Uploads.versions(ds));
        assertEquals(0, Uploads.rows(ds));
    }

    @Test
    void raggedRowsAndBadValuesAreQuarantinedNotDropped() throws Exception {
        String t = Uploads.tenant("ragged");
        String ds = Uploads.dataset(t, true);
        String csv = HEADER + row("A", "a@x.co.za", "0821234567", "R1")
                + "Short,row\n"
                + row("B", "b@x.co.za", "0821234567", "R2").replace("2023-05-01", "31/02/2023")
                + row("C", "c@x.co.za", "0821234567", "R1")
                + row("", "d@x.co.za", "0821234567", "R4")
                + row("E", "e@x.co.za", "0821234567", "R5").replace(",12,", ",-3,");
        upload(t, ds, csv).then().statusCode(201).body("version.rowCount", equalTo(1))
                .body("version.rowsQuarantined", equalTo(5));
        as(t).queryParam("limit", 100).get("/datasets/" + ds + "/versions/1/quarantine").then().statusCode(200)
                .body("items.reason", equalTo(java.util.List.of("ragged_row", "invalid_date", "duplicate_row_key",
                        "missing_required", "out_of_range")))
                .body("items[1].rawValue", equalTo("31/02/2023")).body("items[1].field", equalTo("last_inspection_date"))
                .body("items[0].rawRow.'Organisation Name'", equalTo("Short"));
    }

    @Test
    void duplicateKeysInOneFileAreQuarantinedAcrossBatchesAndTheFirstOccurrenceIsKept() throws Exception {
        // A key seen earlier in the file — 2,000 rows before, or on the line before — makes the later
        // row a duplicate_row_key; the first occurrence is the one stored.
        String t = Uploads.tenant("dupkeys");
        String ds = Uploads.dataset(t, true);
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 2500; i++) {
            String key = i == 11 ? "K10" : "K" + (i < 2000 ? i : i - 2000);
            csv.append(row("Org " + i, "o" + i + "@x.co.za", "0821234567", key));
        }
        // Stored: K0..K1999 but K11 from the first 2,000 rows, then K11 from row 2011. The rest of the
        // last 500 rows and row 11 are duplicates.
        upload(t, ds, csv.toString()).then().statusCode(201).body("version.rowCount", equalTo(2000))
                .body("version.rowsQuarantined", equalTo(500));
        assertEquals(2000, Uploads.rows(ds));
        assertEquals(500, Uploads.count("select count(*) from quarantine_row where dataset_id = ?::uuid"
                + " and reason = 'duplicate_row_key' and field = 'registration_number'", ds));
        // Row 11 is line 13 (header, then line 2 for row 0); its raw value is the key, its row the normalised one.
        as(t).queryParam("limit", 1).get("/datasets/" + ds + "/versions/1/quarantine").then().statusCode(200)
                .body("items[0].line", equalTo(13)).body("items[0].rawValue", equalTo("K10"))
                .body("items[0].rawRow.name", equalTo("Org 11"));
        String rows = as(t).accept("application/x-ndjson").get("/datasets/" + ds + "/versions/1/rows")
                .then().statusCode(200).extract().asString();
        assertEquals(true, rows.contains("{\"_rowId\":\"K10\",\"name\":\"Org 10\","), "the first K10 is kept");
        assertEquals(true, rows.contains("{\"_rowId\":\"K11\",\"name\":\"Org 2011\","), "K11 first appears in row 2011");
        assertEquals(true, rows.contains("{\"_rowId\":\"K499\",\"name\":\"Org 499\","), "not its duplicate from row 2499");
    }
}
