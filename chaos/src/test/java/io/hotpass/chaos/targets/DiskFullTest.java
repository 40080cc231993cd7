package io.hotpass.chaos.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.chaos.workload.OrgRows;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

class DiskFullTest {

    @Test
    void sizesAreBoundedAndNamedWhenWrong() {
        assertEquals(16L << 20, DiskFull.bytes("16m"));
        assertEquals(512L << 10, DiskFull.bytes("512K"));
        assertEquals(1L << 30, DiskFull.bytes("1g"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DiskFull.bytes("16")).getMessage().contains("'16'"));
        assertThrows(IllegalArgumentException.class, () -> DiskFull.bytes("2g"));
        assertThrows(IllegalArgumentException.class, () -> DiskFull.bytes("1k"));
        assertThrows(IllegalArgumentException.class, () -> DiskFull.bytes(null));
    }

    @Test
    void theJvmsOwnOptionsSurviveAndTheDrillsTmpdirIsRecognisedAndDropped() {
        Path dir = DiskFull.mountPoint("ingest-service");
        String opts = DiskFull.javaToolOptions("-Xss1m", dir);
        assertEquals("-Xss1m -Djava.io.tmpdir=" + dir, opts);
        assertTrue(DiskFull.drillVariable("JAVA_TOOL_OPTIONS", opts));
        assertFalse(DiskFull.drillVariable("JAVA_TOOL_OPTIONS", "-Xss1m -Djava.io.tmpdir=/var/tmp"));
        assertFalse(DiskFull.drillVariable("JAVA_OPTS", opts));
        assertEquals("-Xss1m", DiskFull.withoutDrill(opts));
        assertNull(DiskFull.withoutDrill(DiskFull.javaToolOptions(null, dir)));
        // A second drill on a leftover value does not stack two temp directories.
        assertEquals(opts, DiskFull.javaToolOptions(opts, dir));
    }

    @Test
    void aMountedTmpfsIsFilledToTheLastByteFreedAndUnmounted() throws Exception {
        Path dir;
        try {
            dir = DiskFull.mount("disk-full-test", DiskFull.bytes("256k"));
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("mounting a tmpfs needs root: " + e.getMessage());
            return;
        }
        try {
            assertTrue(DiskFull.mounts().contains(dir), "listed for the sweep");
            long filled = DiskFull.fill(dir);
            assertTrue(filled > 200 * 1024, "filled " + filled);
            assertEquals(0, DiskFull.free(dir));
            assertThrows(IOException.class, () -> Files.write(dir.resolve("spool.xlsx"), new byte[4096]), "a spool file cannot be written");
            assertTrue(DiskFull.free(dir, true) > 200 * 1024, "freed");
            Files.write(dir.resolve("spool.xlsx"), new byte[4096]);
        } finally {
            DiskFull.unmount(dir);
        }
        assertFalse(DiskFull.mounts().contains(dir));
        assertFalse(Files.exists(dir));
    }

    @Test
    void theWorkbookHoldsTheCsvsRowsCellForCell() throws Exception {
        OrgRows rows = new OrgRows("T1", 50, 0.1);
        String[] lines = new String(rows.csv, java.nio.charset.StandardCharsets.UTF_8).split("\n");
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(rows.xlsx()))) {
            Sheet s = wb.getSheetAt(0);
            assertEquals(51, s.getLastRowNum() + 1);
            for (int i = 0; i < lines.length; i++) {
                String[] cells = lines[i].split(",", -1);
                for (int c = 0; c < cells.length; c++) {
                    assertEquals(cells[c], s.getRow(i).getCell(c).getStringCellValue(), "row " + i + " cell " + c);
                }
            }
        }
    }
}
