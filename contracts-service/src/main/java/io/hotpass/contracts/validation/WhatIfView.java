package io.hotpass.contracts.validation;

import io.hotpass.contracts.engine.ExpectationResult;
import java.util.List;
import java.util.UUID;

/**
 * A what-if validation: the report the dataset version with the changes applied would get. Nothing
 * of it is stored. {@code failedErrors} names the error-severity expectations that would fail, the
 * ones a commit must not break without an override.
 */
public record WhatIfView(UUID datasetId, String datasetName, int version, ValidationView.Contract contract, String status,
        long rowCount, long durationMs, ValidationView.Summary summary, Applied changes, List<String> failedErrors,
        List<String> failedWarnings, List<ExpectationResult> expectations) {

    /**
     * How the changes met the version's rows: rows changed, rows added (upserts of unknown ids),
     * rows deleted, and deletes of ids the version does not have (ingest would refuse those).
     */
    public record Applied(long upserted, long added, long deleted, long unknownDeletes) {
    }
}
