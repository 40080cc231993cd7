package io.hotpass.enrichment.runner;

import io.hotpass.platform.runner.RunAttempt;
import java.util.List;
import java.util.UUID;

/** One attempt of a plan's run, claimed from the queue: the plan's facts and the attempt that fences its writes. */
public record ClaimedRun(UUID planId, String tenant, int attempt, String kind, UUID datasetId, int version,
        List<String> fields, RunSpec spec, String runnerJob) implements RunAttempt {

    /** The run is the plan's: one run per plan. */
    @Override
    public UUID runId() {
        return planId;
    }
}
