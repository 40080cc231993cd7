package io.hotpass.ingest.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Without hotpass.ingest.upload.spool-dir, XLSX uploads spool under the JVM's temp directory (a bounded emptyDir in the chart). */
class SpoolDirDefaultTest {

    @Test
    void theDefaultIsTheJvmsTempDirectoryNotAFolderNamedAfterAnUnexpandedExpression() {
        UploadService s = new UploadService();
        s.configuredSpoolDir = Optional.empty();
        assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "hotpass-ingest"), s.spoolDir());
        s.configuredSpoolDir = Optional.of(Path.of("/var/spool/hotpass"));
        assertEquals(Path.of("/var/spool/hotpass"), s.spoolDir());
    }
}
