package io.hotpass.contracts.profile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drift of a column between a baseline profile and the current one.
 * <ul>
 * <li>Categorical columns: population stability index over the baseline's and current top values
 * plus an "other" bin, PSI = Σ (q − p) · ln(q / p), with proportions floored at 10⁻⁴. Below 0.1
 * is usually read as stable, above 0.25 as a major shift.</li>
 * <li>Numeric columns: quantile shift = |median now − median then| / baseline interquartile range
 * (falling back to |baseline median|, then 1, when the IQR is 0).</li>
 * </ul>
 */
public final class Drift {

    public record Measure(String column, String kind, double value) {
    }

    private Drift() {
    }

    public static List<Measure> compare(List<ColumnProfile> baseline, List<ColumnProfile> current, List<String> only) {
        Map<String, ColumnProfile> base = new HashMap<>();
        baseline.forEach(p -> base.put(p.name(), p));
        List<Measure> out = new ArrayList<>();
        for (ColumnProfile c : current) {
            ColumnProfile b = base.get(c.name());
            if (b == null || (!only.isEmpty() && !only.contains(c.name())) || c.count() == 0 || b.count() == 0) {
                continue;
            }
            if (!c.quantiles().isEmpty() && !b.quantiles().isEmpty()) {
                double iqr = b.quantiles().get("p75") - b.quantiles().get("p25");
                double scale = iqr > 0 ? iqr : Math.abs(b.quantiles().get("p50")) > 0 ? Math.abs(b.quantiles().get("p50")) : 1;
                out.add(new Measure(c.name(), "quantile_shift",
                        round(Math.abs(c.quantiles().get("p50") - b.quantiles().get("p50")) / scale)));
            } else if (!c.topValues().isEmpty() || !b.topValues().isEmpty()) {
                out.add(new Measure(c.name(), "psi", round(psi(b, c))));
            }
        }
        return out;
    }

    static double psi(ColumnProfile b, ColumnProfile c) {
        Map<String, Long> bc = counts(b);
        Map<String, Long> cc = counts(c);
        Set<String> bins = new HashSet<>(bc.keySet());
        bins.addAll(cc.keySet());
        bins.remove("\u0000other");
        long bOther = b.count() - bins.stream().mapToLong(k -> bc.getOrDefault(k, 0L)).sum();
        long cOther = c.count() - bins.stream().mapToLong(k -> cc.getOrDefault(k, 0L)).sum();
        double psi = term(Math.max(0, bOther), b.count(), Math.max(0, cOther), c.count());
        for (String k : bins) {
            psi += term(bc.getOrDefault(k, 0L), b.count(), cc.getOrDefault(k, 0L), c.count());
        }
        return psi;
    }

    private static double term(long bn, long bTotal, long cn, long cTotal) {
        double p = Math.max(1e-4, (double) bn / bTotal);
        double q = Math.max(1e-4, (double) cn / cTotal);
        return (q - p) * Math.log(q / p);
    }

    private static Map<String, Long> counts(ColumnProfile p) {
        Map<String, Long> m = new HashMap<>();
        p.topValues().forEach(t -> m.put(t.value(), t.count()));
        return m;
    }

    static double round(double d) {
        return Math.round(d * 10_000d) / 10_000d;
    }
}
