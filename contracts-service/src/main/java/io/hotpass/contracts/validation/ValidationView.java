package io.hotpass.contracts.validation;

import io.hotpass.contracts.engine.ExpectationResult;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A validation run as the API shows it. {@code progress} is there while a queued (asynchronous) run
 * is {@code queued} or {@code running}; {@code errorCode} names why a run ended in {@code error}
 * when the cause has a stable code (a runner's failure, an interrupted queued run, ingest's problem).
 */
public record ValidationView(UUID id, UUID datasetId, String datasetName, int version, Contract contract, String status,
        Long rowCount, Long durationMs, Summary summary, List<ExpectationResult> expectations, String error,
        OffsetDateTime startedAt, OffsetDateTime finishedAt, String createdBy, Links links, String errorCode,
        Progress progress) {

    /** How far a queued run has read the version's rows. */
    public record Progress(long rowsRead) {
    }

    public record Contract(UUID id, String name, String version) {
    }

    public record Summary(int expectations, int passed, int failedErrors, int failedWarnings) {

        /** Counts as the engine counts (a failure is an error when its severity is {@code error}). */
        static Summary of(List<ExpectationResult> results) {
            int passed = (int) results.stream().filter(ExpectationResult::success).count();
            int errors = (int) results.stream().filter(x -> !x.success() && "error".equals(x.severity())).count();
            return new Summary(results.size(), passed, errors, results.size() - passed - errors);
        }
    }

    public record Links(String self, String report) {
    }
}
