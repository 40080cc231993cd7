package io.hotpass.contracts.engine;

import java.util.List;

/**
 * The result of validating rows against a contract. {@code status} is {@code failed} when an
 * error-severity expectation failed, {@code warned} when only warn-severity ones did, else
 * {@code passed}.
 */
public record ValidationReport(String status, long rowCount, long durationMillis, int expectationCount,
        int failedErrors, int failedWarnings, List<ExpectationResult> expectations) {

    public static final String PASSED = "passed";
    public static final String FAILED = "failed";
    public static final String WARNED = "warned";
}
