package io.hotpass.ingest.runner;

import io.hotpass.ingest.upload.UploadOptions;
import io.hotpass.platform.runner.RunAttempt;
import java.util.UUID;

/**
 * One attempt of a queued upload, claimed from the queue: the run's facts as the request left them
 * (dataset, options, who uploaded, the staged size) and the attempt that fences its writes.
 */
public record ClaimedUpload(UUID runId, String tenant, int attempt, String runnerJob, UUID datasetId, String subject,
        UploadOptions options, long stagedBytes) implements RunAttempt {
}
