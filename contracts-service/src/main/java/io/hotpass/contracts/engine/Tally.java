package io.hotpass.contracts.engine;

import io.hotpass.contracts.spec.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counters of one expectation during the pass: evaluated, failed, the first N failing rows, time. */
final class Tally {
    final String id;
    final String kind;
    final List<String> columns;
    final Severity severity;
    final double mostly;
    final int maxSamples;
    long evaluated;
    long failed;
    long nanos;
    final List<FailingRow> samples = new ArrayList<>();

    Tally(String id, String kind, List<String> columns, Severity severity, double mostly, int maxSamples) {
        this.id = id;
        this.kind = kind;
        this.columns = columns;
        this.severity = severity;
        this.mostly = mostly;
        this.maxSamples = maxSamples;
    }

    void fail(String rowId, String column, Object value) {
        failed++;
        if (samples.size() < maxSamples) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put(column, value);
            samples.add(new FailingRow(rowId, values));
        }
    }

    void fail(String rowId, Map<String, Object> values) {
        failed++;
        if (samples.size() < maxSamples) {
            samples.add(new FailingRow(rowId, values));
        }
    }

    double failingFraction() {
        return evaluated == 0 ? 0.0 : (double) failed / evaluated;
    }

    /** A row-level result: success when the passing fraction reaches {@code mostly}. */
    ExpectationResult rowResult(long scaleNanos) {
        double pass = 1.0 - failingFraction();
        boolean ok = pass + 1e-12 >= mostly;
        String detail = failed == 0 ? "all " + evaluated + " evaluated rows pass"
                : failed + " of " + evaluated + " evaluated rows fail (" + percent(failingFraction()) + ")"
                        + (mostly < 1.0 ? "; at least " + percent(mostly) + " must pass" : "");
        return result(ok, round(pass), detail, scaleNanos);
    }

    ExpectationResult result(boolean ok, Object observed, String detail, long scaleNanos) {
        return new ExpectationResult(id, kind, columns, severity.wire(), ok, observed, evaluated, failed,
                round(failingFraction()), mostly, List.copyOf(samples), scaleNanos / 1000, detail);
    }

    static double round(double d) {
        return Math.round(d * 1_000_000d) / 1_000_000d;
    }

    static String percent(double f) {
        return String.format(java.util.Locale.ROOT, "%.2f%%", f * 100);
    }
}
