package io.hotpass.ingest.upload;

import static io.hotpass.ingest.upload.Uploads.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** XLSX uploads: read a row at a time from a spooled file, hostile workbooks refused with 422. */
@QuarkusTest
class XlsxUploadTest {

    static final String XLSX = UploadResource.XLSX_TYPE;

    static final String[] HEADER = {"Organisation Name", "Contact Email", "Phone", "Website", "City", "Country",
        "Registration No", "Fleet Size", "Founded", "Last Inspection"};

    /** A workbook as a spreadsheet program writes it: numbers as numbers, dates as styled serials. */
    static byte[] workbook() throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            CellStyle date = wb.createCellStyle();
            date.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
            Sheet orgs = wb.createSheet("Orgs");
            Row h = orgs.createRow(0);
            for (int i = 0; i < HEADER.length; i++) {
                h.createCell(i).setCellValue(HEADER[i]);
            }
            Object[][] rows = {
                {"Atlas Aero CC", " INFO@Atlas.co.za ", 27181590830d, "atlas.co.za", "Cape Town", "RSA", "2017/061981/23", 12d, 1999d, LocalDate.of(2023, 5, 1)},
                {"Sun Air", "ops@sun.co.za", "(021) 555-1234", null, "Durban", "South Africa", "2009/260494/07", 3d, 2004d, null},
                {"Bad Mail", "not-an-email", "0821234567", null, "Pretoria", "ZA", "2014/930129/23", null, null, null},
            };
            // Row 3 (index 2) stays empty: empty rows are skipped, the line numbers stay the sheet's.
            for (int r = 0; r < rows.length; r++) {
                Row row = orgs.createRow(r == 0 ? 1 : r + 2);
                for (int c = 0; c < rows[r].length; c++) {
                    Object v = rows[r][c];
                    if (v instanceof String s) {
                        row.createCell(c).setCellValue(s);
                    } else if (v instanceof Double d) {
                        row.createCell(c).setCellValue(d);
                    } else if (v instanceof LocalDate d) {
                        var cell = row.createCell(c);
                        cell.setCellValue(d);
                        cell.setCellStyle(date);
                    }
                }
            }
            Sheet second = wb.createSheet("Second");
            Row h2 = second.createRow(0);
            h2.createCell(0).setCellValue("Company");
            h2.createCell(1).setCellValue("E-mail");
            Row r2 = second.createRow(1);
            r2.createCell(0).setCellValue("Second Co");
            r2.createCell(1).setCellValue("hi@second.co.za");
            wb.write(out);
            return out.toByteArray();
        }
    }

    static Response upload(String tenant, String ds, byte[] body, String sheet) {
        var req = as(tenant).contentType(XLSX).header("X-File-Name", "orgs.xlsx").body(body);
        if (sheet != null) {
            req.queryParam("sheet", sheet);
        }
        return req.post("/datasets/" + ds + "/uploads");
    }

    @Test
    void theFirstSheetBecomesAVersionWithTypedCellsAsText() throws Exception {
        String t = Uploads.tenant("xlsx");
        String ds = Uploads.dataset(t, true);
        byte[] wb = workbook();
        upload(t, ds, wb, null).then().statusCode(201).body("version.number", equalTo(1))
                .body("version.rowCount", equalTo(2)).body("version.rowsQuarantined", equalTo(1))
                .body("version.source.format", equalTo("xlsx")).body("version.source.fileName", equalTo("orgs.xlsx"));

        String ndjson = as(t).accept("application/x-ndjson").get("/datasets/" + ds + "/versions/1/rows")
                .then().statusCode(200).extract().asString();
        assertTrue(ndjson.contains("\"email\":\"info@atlas.co.za\""), ndjson);
        // A phone typed as a number is not turned into 2.7E10 on the way.
        assertTrue(ndjson.contains("\"phone\":\"+27181590830\""), ndjson);
        assertTrue(ndjson.contains("\"phone\":\"+27215551234\""), ndjson);
        assertTrue(ndjson.contains("\"last_inspection_date\":\"2023-05-01\""), ndjson);
        assertTrue(ndjson.contains("\"fleet_size\":12"), ndjson);
        assertTrue(ndjson.contains("\"founded_year\":1999"), ndjson);
        assertTrue(ndjson.contains("\"country\":\"ZA\""), ndjson);
        assertFalse(ndjson.contains("E10"), ndjson);

        // Lines are the sheet's row numbers: the bad row is row 5 (row 3 is empty).
        as(t).get("/datasets/" + ds + "/versions/1/quarantine").then().statusCode(200)
                .body("items[0].reason", equalTo("invalid_email")).body("items[0].line", equalTo(5));

        // The same bytes again are the same version.
        upload(t, ds, wb, null).then().statusCode(200).body("deduplicated", equalTo(true));
        assertEquals(1, Uploads.versions(ds));
    }

    @Test
    void aNamedSheetIsReadAndAMissingOneIsNamed() throws Exception {
        String t = Uploads.tenant("sheet");
        String ds = Uploads.dataset(t, false);
        byte[] wb = workbook();
        upload(t, ds, wb, "Nope").then().statusCode(422).body("code", equalTo("sheet_not_found"))
                .body("sheets", equalTo(List.of("Orgs", "Second")));
        as(t).contentType(XLSX).queryParam("preview", true).queryParam("sheet", "Second").body(wb)
                .post("/datasets/" + ds + "/uploads").then().statusCode(200)
                .body("mapping.find { it.source == 'Company' }.field", equalTo("name"))
                .body("sample[0].row.email", equalTo("hi@second.co.za"));
        assertEquals(0, Uploads.versions(ds));
        upload(t, ds, wb, "Second").then().statusCode(201).body("version.rowCount", equalTo(1))
                .body("version.source.sheet", equalTo("Second"));
        as(t).contentType("text/csv").queryParam("sheet", "Second").body("a,b\n1,2\n").post("/datasets/" + ds + "/uploads")
                .then().statusCode(400).body("errors.field", hasItem("sheet"));
    }

    @Test
    void somethingThatIsNotAWorkbookIs422AndStoresNothing() throws Exception {
        String t = Uploads.tenant("notxl");
        String ds = Uploads.dataset(t, false);
        upload(t, ds, "Company,Email\nA,a@b.co\n".getBytes(StandardCharsets.UTF_8), null).then().statusCode(422)
                .body("code", equalTo("invalid_xlsx")).body("detail", containsString("not an XLSX workbook"));
        assertEquals(0, Uploads.versions(ds));
        // A run was recorded and failed cleanly with the same code.
        assertEquals(1, Uploads.count("select count(*) from upload_run where dataset_id = ?::uuid and state = 'failed'",
                ds));
    }

    @Test
    void externalEntitiesAreNeverResolved() throws Exception {
        String t = Uploads.tenant("xxe");
        String ds = Uploads.dataset(t, false);
        String sheet = """
                <?xml version="1.0" encoding="UTF-8" standalone="no"?>
                <!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                <row r="1"><c r="A1" t="inlineStr"><is><t>Company</t></is></c></row>
                <row r="2"><c r="A2" t="inlineStr"><is><t>&xxe;</t></is></c></row>
                </sheetData></worksheet>""";
        Response r = upload(t, ds, replaceSheet(workbook(), sheet.getBytes(StandardCharsets.UTF_8)), null);
        r.then().statusCode(422).body("code", equalTo("invalid_xlsx"));
        assertFalse(r.asString().contains("root:"), r.asString());
        assertEquals(0, Uploads.versions(ds));
    }

    @Test
    void aZipBombIsRefusedBeforeItInflates() throws Exception {
        String t = Uploads.tenant("bomb");
        String ds = Uploads.dataset(t, false);
        ByteArrayOutputStream xml = new ByteArrayOutputStream();
        xml.writeBytes(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/"
                + "spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Company</t></is>"
                + "</c></row><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>").getBytes(StandardCharsets.UTF_8));
        byte[] spaces = new byte[1 << 20];
        java.util.Arrays.fill(spaces, (byte) ' ');
        for (int i = 0; i < 40; i++) {
            xml.writeBytes(spaces); // 40 MiB of one byte: deflates about 1000:1
        }
        xml.writeBytes("</t></is></c></row></sheetData></worksheet>".getBytes(StandardCharsets.UTF_8));
        byte[] bomb = replaceSheet(workbook(), xml.toByteArray());
        assertTrue(bomb.length < 1 << 20, "the bomb is small: " + bomb.length);
        upload(t, ds, bomb, null).then().statusCode(422).body("code", equalTo("invalid_xlsx"))
                .body("detail", containsString("zip bomb"));
        assertEquals(0, Uploads.versions(ds));
    }

    @Test
    void versionsExportAsWorkbooksWithoutFormulas() throws Exception {
        String t = Uploads.tenant("xlout");
        String ds = Uploads.dataset(t, true);
        Uploads.upload(t, ds, Uploads.HEADER + Uploads.row("=HYPERLINK(\"http://evil\")", "a@b.co.za", "0821234567", "R1")
                + Uploads.row("Plain Co", "p@b.co.za", "0821234568", "R2")).then().statusCode(201);
        byte[] xlsx = as(t).queryParam("format", "xlsx").get("/datasets/" + ds + "/versions/1/export").then()
                .statusCode(200).contentType(containsString("spreadsheetml"))
                .header("Content-Disposition", containsString(".xlsx")).extract().asByteArray();
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            Sheet sheet = wb.getSheet("v1");
            Row head = sheet.getRow(0);
            assertEquals("_rowId", head.getCell(0).getStringCellValue());
            List<String> columns = new java.util.ArrayList<>();
            head.forEach(c -> columns.add(c.getStringCellValue()));
            int name = columns.indexOf("name");
            int fleet = columns.indexOf("fleet_size");
            assertEquals(3, sheet.getPhysicalNumberOfRows());
            Row first = sheet.getRow(1); // rows ordered by row id: R1 first
            assertEquals("R1", first.getCell(0).getStringCellValue());
            assertEquals(org.apache.poi.ss.usermodel.CellType.STRING, first.getCell(name).getCellType());
            assertEquals("'=HYPERLINK(\"http://evil\")", first.getCell(name).getStringCellValue());
            assertEquals(org.apache.poi.ss.usermodel.CellType.NUMERIC, first.getCell(fleet).getCellType());
            assertEquals(12d, first.getCell(fleet).getNumericCellValue());
        }
        // The export reads back as an upload of the same rows.
        String ds2 = Uploads.dataset(t, false);
        upload(t, ds2, xlsx, null).then().statusCode(201).body("version.rowCount", equalTo(2));
        as(t).queryParam("format", "json").get("/datasets/" + ds + "/versions/1/export").then().statusCode(400)
                .body("errors.field", hasItem("format"));
    }

    /** The workbook with its first sheet's XML replaced. */
    static byte[] replaceSheet(byte[] xlsx, byte[] sheetXml) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(xlsx));
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals("xl/worksheets/sheet1.xml")) {
                    zip.write(sheetXml);
                } else {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
