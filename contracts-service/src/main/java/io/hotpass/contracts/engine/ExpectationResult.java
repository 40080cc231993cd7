package io.hotpass.contracts.engine;

import java.util.List;

/**
 * The outcome of one expectation over a dataset version.
 *
 * @param observed what was measured: the passing fraction for row checks, the row count, the
 *        distinct count, the null fraction, the newest date
 * @param evaluated rows the expectation looked at (row checks skip empty cells, except {@code required})
 * @param failingCount rows that failed it
 * @param failingFraction failingCount / evaluated (0 when nothing was evaluated)
 * @param failingSamples up to N failing rows (N configurable, default 20), first seen first
 * @param durationMicros time spent in this expectation, estimated by timing one row in 64
 */
public record ExpectationResult(String id, String kind, List<String> columns, String severity, boolean success,
        Object observed, long evaluated, long failingCount, double failingFraction, double mostly,
        List<FailingRow> failingSamples, long durationMicros, String detail) {
}
