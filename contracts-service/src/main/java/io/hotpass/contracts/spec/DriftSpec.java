package io.hotpass.contracts.spec;

import java.util.List;

/** Drift thresholds: baseline ({@code null} = previous validated version), PSI and quantile shift limits. */
public record DriftSpec(Integer baselineVersion, double psi, double quantileShift, List<String> columns) {
    public static final double DEFAULT_PSI = 0.25;
    public static final double DEFAULT_QUANTILE_SHIFT = 0.5;

    public static DriftSpec defaults() {
        return new DriftSpec(null, DEFAULT_PSI, DEFAULT_QUANTILE_SHIFT, List.of());
    }
}
