package io.hotpass.ingest.profile;

import io.hotpass.ingest.normalise.Normalisers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * Maps source headers onto a profile's fields. Each candidate (header, field) gets a score from
 * its name (exact 1.0, synonym 0.95, Jaro-Winkler similarity x 0.9 at or above 0.85) and from its
 * values (the share of sample values the field's normaliser accepts, x 0.8, for typed fields).
 * Candidates are assigned greedily from the best score down, a field and a header at most once,
 * and only from {@link #MIN_SCORE}.
 */
public final class ColumnInference {

    public static final double MIN_SCORE = 0.6;
    private static final JaroWinklerSimilarity JW = new JaroWinklerSimilarity();

    private ColumnInference() {
    }

    /** One source column and the field it maps to ({@code field} null when unmapped). */
    public record ColumnMapping(int index, String source, String field, double score, String method) {
    }

    public static List<ColumnMapping> infer(Profile profile, List<String> headers, List<List<String>> sample) {
        record Candidate(int index, String field, double score, String method) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            String h = norm(headers.get(i));
            for (Profile.Field f : profile.fields()) {
                double best = 0;
                String method = null;
                if (h.equals(norm(f.name()))) {
                    best = 1.0;
                    method = "exact";
                } else if (f.synonyms().stream().anyMatch(s -> norm(s).equals(h))) {
                    best = 0.95;
                    method = "synonym";
                } else {
                    double jw = JW.apply(h, norm(f.name()));
                    for (String s : f.synonyms()) {
                        jw = Math.max(jw, JW.apply(h, norm(s)));
                    }
                    if (jw >= 0.85) {
                        best = round(jw * 0.9);
                        method = "fuzzy";
                    }
                }
                double values = valueScore(f, i, sample, profile.defaultRegion());
                if (values > best) {
                    best = values;
                    method = "values";
                } else if (method != null && values > 0.5) {
                    best = Math.min(1.0, round(best + 0.02));
                }
                if (method != null && best >= MIN_SCORE) {
                    candidates.add(new Candidate(i, f.name(), best, method));
                }
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::score).reversed().thenComparingInt(Candidate::index));
        String[] fieldOf = new String[headers.size()];
        double[] scoreOf = new double[headers.size()];
        String[] methodOf = new String[headers.size()];
        Set<String> taken = new HashSet<>();
        for (Candidate c : candidates) {
            if (fieldOf[c.index()] == null && taken.add(c.field())) {
                fieldOf[c.index()] = c.field();
                scoreOf[c.index()] = c.score();
                methodOf[c.index()] = c.method();
            }
        }
        List<ColumnMapping> out = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            out.add(new ColumnMapping(i, headers.get(i), fieldOf[i], scoreOf[i], methodOf[i]));
        }
        return out;
    }

    /**
     * Applies a caller's override ({@code source header -> field}, or null to leave it unmapped)
     * on top of an inferred mapping. Unknown fields or headers are the caller's error.
     */
    public static List<ColumnMapping> override(Profile profile, List<ColumnMapping> inferred, Map<String, String> override) {
        List<ColumnMapping> out = new ArrayList<>(inferred);
        for (Map.Entry<String, String> e : override.entrySet()) {
            int idx = -1;
            for (ColumnMapping m : inferred) {
                if (m.source().equals(e.getKey())) {
                    idx = m.index();
                }
            }
            if (idx < 0) {
                throw new IllegalArgumentException("mapping names a column the file does not have: '" + e.getKey() + "'");
            }
            String field = e.getValue();
            if (field != null && profile.field(field).isEmpty()) {
                throw new IllegalArgumentException("mapping names a field the profile does not have: '" + field + "'");
            }
            if (field != null) {
                for (int i = 0; i < out.size(); i++) {
                    if (field.equals(out.get(i).field()) && i != idx) {
                        ColumnMapping m = out.get(i);
                        out.set(i, new ColumnMapping(m.index(), m.source(), null, 0, null));
                    }
                }
            }
            out.set(idx, new ColumnMapping(idx, e.getKey(), field, field == null ? 0 : 1.0, field == null ? null : "override"));
        }
        return out;
    }

    private static double valueScore(Profile.Field f, int column, List<List<String>> sample, String region) {
        if (List.of("text").contains(f.type()) || sample.isEmpty()) {
            return 0;
        }
        int seen = 0;
        int ok = 0;
        for (List<String> row : sample) {
            if (column >= row.size() || row.get(column) == null || row.get(column).isBlank()) {
                continue;
            }
            seen++;
            String v = row.get(column);
            if (("integer".equals(f.type()) || "year".equals(f.type())) && v.trim().length() > 6) {
                continue;
            }
            if (Normalisers.normalise(f, v, region).ok()) {
                ok++;
            }
        }
        if (seen < 3) {
            return 0;
        }
        // Numbers fit many columns: only trust values alone for the distinctive intents.
        double weight = switch (f.type()) {
            case "email", "url", "phone", "date", "country" -> 0.8;
            default -> 0.5;
        };
        return round(weight * ok / seen);
    }

    static String norm(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").trim();
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
