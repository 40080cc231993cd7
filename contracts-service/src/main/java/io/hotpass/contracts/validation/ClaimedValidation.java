package io.hotpass.contracts.validation;

import io.hotpass.platform.runner.RunAttempt;
import java.util.UUID;

/** One attempt of a queued validation run, claimed from the queue: the run's facts and the attempt that fences its writes. */
public record ClaimedValidation(UUID runId, String tenant, int attempt, String runnerJob, UUID datasetId,
        String datasetName, int version, UUID contractId) implements RunAttempt {
}
