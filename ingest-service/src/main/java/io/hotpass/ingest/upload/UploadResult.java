package io.hotpass.ingest.upload;

import io.hotpass.ingest.version.VersionView;
import java.util.UUID;

/**
 * The answer to a stored upload: the run, the version it made (or, for a byte-identical re-upload,
 * the version that already holds that content, with {@code deduplicated} true).
 */
public record UploadResult(UUID runId, boolean deduplicated, VersionView version) {
}
