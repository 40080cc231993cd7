package io.hotpass.enrichment.evidence;

import io.hotpass.enrichment.resolution.NameNormaliser;
import io.hotpass.enrichment.resolution.OrgNormaliser;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the candidates for one field of one row into scored values. Each independent source
 * supports a value with strength {@code reliability(source) × quality(extractor)}; several
 * extractors on one source (mailto link and JSON-LD on one site) are one source, counted at its
 * best extractor. Independent sources combine by noisy-OR, {@code 1 − Π(1 − strength)}, so
 * agreement raises confidence; competing values for the same field share it in proportion to
 * their support, so a conflict lowers it. See docs/explanation/entity-resolution.md.
 */
public final class ConfidenceModel {

    /** How far a source kind is trusted when it names no reliability of its own. */
    public static final double WEBSITE_RELIABILITY = 0.7;

    /**
     * How well an extractor reads a value. A registry's extractor is the key its row was matched on;
     * {@code registry-resolved} is a row linked by entity resolution (match probability ≥ 0.95 on
     * several fields together), trusted between a name match and a phone or email match.
     */
    static final Map<String, Double> EXTRACTOR_QUALITY = Map.ofEntries(Map.entry("json-ld", 0.95),
            Map.entry("microdata", 0.9), Map.entry("mailto-link", 0.9), Map.entry("tel-link", 0.9),
            Map.entry("text-email", 0.7), Map.entry("text-phone", 0.6), Map.entry("registry-registration_number", 1.0),
            Map.entry("registry-name", 0.8), Map.entry("registry-email", 0.9), Map.entry("registry-phone", 0.9),
            Map.entry("registry-resolved", 0.85), Map.entry("address-element", 0.7), Map.entry("text-address", 0.5));

    /** One value with its confidence and everything that supports it. */
    public record ScoredValue(String field, String value, double confidence, int independentSources,
            List<Evidence> evidence) {
    }

    /**
     * Scores the candidates of one field, best first.
     *
     * @param reliability reliability per source id ({@code registry:<name>}); websites use {@link #WEBSITE_RELIABILITY}
     */
    public List<ScoredValue> score(String field, List<Candidate> candidates, Map<String, Double> reliability) {
        Map<String, List<Candidate>> byValue = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            if (c.field().equals(field)) {
                byValue.computeIfAbsent(key(field, c.value()), k -> new ArrayList<>()).add(c);
            }
        }
        Map<String, Double> support = new LinkedHashMap<>();
        Map<String, Integer> sources = new LinkedHashMap<>();
        for (var e : byValue.entrySet()) {
            Map<String, Double> bestPerSource = new LinkedHashMap<>();
            for (Candidate c : e.getValue()) {
                double strength = reliability(c.evidence(), reliability) * quality(c.evidence().extractor());
                bestPerSource.merge(sourceId(c.evidence()), strength, Math::max);
            }
            double miss = 1;
            for (double s : bestPerSource.values()) {
                miss *= 1 - s;
            }
            support.put(e.getKey(), 1 - miss);
            sources.put(e.getKey(), bestPerSource.size());
        }
        double total = support.values().stream().mapToDouble(Double::doubleValue).sum();
        List<ScoredValue> out = new ArrayList<>();
        for (var e : byValue.entrySet()) {
            double s = support.get(e.getKey());
            double share = total == 0 ? 0 : s / total;
            Candidate first = e.getValue().get(0);
            out.add(new ScoredValue(field, first.value(), round(s * share), sources.get(e.getKey()),
                    e.getValue().stream().map(Candidate::evidence).toList()));
        }
        out.sort(Comparator.comparingDouble(ScoredValue::confidence).reversed());
        return out;
    }

    /** The identity of an independent source: one website (by host) or one registry. */
    static String sourceId(Evidence e) {
        if ("website".equals(e.sourceKind())) {
            try {
                String host = URI.create(e.source()).getHost();
                return "website:" + (host == null ? e.source() : host.toLowerCase(Locale.ROOT).replaceFirst("^www\\.", ""));
            } catch (IllegalArgumentException ex) {
                return "website:" + e.source();
            }
        }
        String s = e.source();
        int at = s.indexOf('@');
        return at > 0 ? s.substring(0, at) : s;
    }

    private static double reliability(Evidence e, Map<String, Double> reliability) {
        if ("website".equals(e.sourceKind())) {
            return WEBSITE_RELIABILITY;
        }
        return reliability.getOrDefault(sourceId(e), 0.5);
    }

    private static double quality(String extractor) {
        return EXTRACTOR_QUALITY.getOrDefault(extractor, 0.5);
    }

    /** Values that are the same fact written differently group together. */
    public static String key(String field, String value) {
        if (value == null) {
            return "";
        }
        return switch (field) {
            case "name" -> String.valueOf(NameNormaliser.normalise(value));
            case "email" -> value.strip().toLowerCase(Locale.ROOT);
            case "website" -> String.valueOf(OrgNormaliser.websiteHost(value));
            case "registration_number" -> String.valueOf(OrgNormaliser.registration(value));
            default -> value.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        };
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
