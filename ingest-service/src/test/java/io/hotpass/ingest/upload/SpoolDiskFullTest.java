package io.hotpass.ingest.upload;

import static io.hotpass.ingest.upload.Uploads.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/**
 * FMEA FM-10, disk full for a service's temp files: XLSX uploads are spooled while they arrive, and
 * when the spool's file system is full the caller gets 507 {@code insufficient_storage} with
 * Retry-After (the service's disk, not its file), no version, no run left half-done and no spool
 * file left behind; with room again the same upload is stored. The full disk is real: a 16 KiB tmpfs
 * mounted over the test spool directory (needs root, as CI runs).
 */
@QuarkusTest
class SpoolDiskFullTest {

    /** The test profile's spool directory (application.properties, %test). */
    static final Path SPOOL = Path.of("target/upload-spool").toAbsolutePath();

    static byte[] bigWorkbook(int rows) throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet s = wb.createSheet("Orgs");
            Row h = s.createRow(0);
            h.createCell(0).setCellValue("Organisation Name");
            h.createCell(1).setCellValue("Contact Email");
            h.createCell(2).setCellValue("City");
            for (int r = 1; r <= rows; r++) {
                Row row = s.createRow(r);
                row.createCell(0).setCellValue("Organisation number " + r + " (Pty) Ltd");
                row.createCell(1).setCellValue("contact" + r + "@org" + r + ".co.za");
                row.createCell(2).setCellValue(r % 2 == 0 ? "Cape Town" : "Johannesburg");
            }
            wb.write(out);
            return out.toByteArray();
        }
    }

    @Test
    void aFullSpoolFileSystemIs507AndNothingIsKept() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/mount")),
                "needs root to mount a tiny tmpfs");
        Files.createDirectories(SPOOL);
        String t = Uploads.tenant("spoolfull");
        String ds = Uploads.dataset(t, false);
        byte[] workbook = bigWorkbook(3000);
        assumeTrue(workbook.length > 64 * 1024, "the workbook must not fit the 16 KiB file system");

        run("mount", "-t", "tmpfs", "-o", "size=16k", "hotpass-test-spool", SPOOL.toString());
        try {
            XlsxUploadTest.upload(t, ds, workbook, null).then().statusCode(507)
                    .contentType("application/problem+json")
                    .header("Retry-After", "60")
                    .body("code", equalTo("insufficient_storage"))
                    .body("detail", containsString("retry later"));
            try (Stream<Path> left = Files.list(SPOOL)) {
                assertEquals(List.of(), left.toList(), "no spool file left behind");
            }
        } finally {
            run("umount", SPOOL.toString());
        }
        as(t).get("/datasets/" + ds + "/versions").then().statusCode(200).body("items", empty());
        as(t).get("/datasets/" + ds).then().statusCode(200).body("currentVersion", equalTo(0));

        // Room again: the same upload is stored.
        XlsxUploadTest.upload(t, ds, workbook, null).then().statusCode(201).body("version.number", equalTo(1))
                .body("version.rowCount", equalTo(3000));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }
}
