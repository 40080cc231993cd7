package io.hotpass.enrichment.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfidenceModelTest {

    private final ConfidenceModel model = new ConfidenceModel();
    private static final Map<String, Double> RELIABILITY = Map.of("registry:caa", 0.9, "registry:weak", 0.5);

    private static Candidate web(String url, String field, String value, String extractor) {
        return new Candidate(field, value, new Evidence("website", url, Instant.EPOCH, "h", extractor, value));
    }

    private static Candidate registry(String name, String field, String value, String extractor) {
        return new Candidate(field, value, new Evidence("registry", "registry:" + name + "@d/v1#r1", Instant.EPOCH,
                "h", extractor, value));
    }

    @Test
    void oneSourceIsItsReliabilityTimesExtractorQuality() {
        var v = model.score("email", List.of(web("https://a.co.za/contact", "email", "info@a.co.za", "mailto-link")),
                RELIABILITY).get(0);
        assertEquals(0.63, v.confidence(), 1e-9); // 0.7 × 0.9
        assertEquals(1, v.independentSources());
    }

    @Test
    void extractorsOnOneSiteAreOneSourceNotAgreement() {
        var v = model.score("email", List.of(web("https://a.co.za/contact", "email", "info@a.co.za", "mailto-link"),
                web("https://www.a.co.za/", "email", "INFO@a.co.za", "json-ld"),
                web("https://a.co.za/about", "email", "info@a.co.za", "text-email")), RELIABILITY).get(0);
        assertEquals(1, v.independentSources());
        assertEquals(0.665, v.confidence(), 1e-9); // best extractor only: 0.7 × 0.95
        assertEquals(3, v.evidence().size(), "all evidence is kept for the reviewer");
    }

    @Test
    void independentSourcesThatAgreeRaiseConfidence() {
        var alone = model.score("phone", List.of(registry("caa", "phone", "+27215550123", "registry-phone")),
                RELIABILITY).get(0);
        var agreed = model.score("phone", List.of(registry("caa", "phone", "+27215550123", "registry-phone"),
                web("https://a.co.za/", "phone", "+27215550123", "tel-link")), RELIABILITY).get(0);
        assertEquals(2, agreed.independentSources());
        assertTrue(agreed.confidence() > alone.confidence());
        assertEquals(1 - (1 - 0.81) * (1 - 0.63), agreed.confidence(), 1e-3);
    }

    @Test
    void conflictingValuesShareConfidenceAndTheBetterSupportedWins() {
        var scored = model.score("phone", List.of(registry("caa", "phone", "+27215550123", "registry-phone"),
                web("https://a.co.za/", "phone", "+27219999999", "text-phone")), RELIABILITY);
        assertEquals("+27215550123", scored.get(0).value());
        var alone = model.score("phone", List.of(registry("caa", "phone", "+27215550123", "registry-phone")),
                RELIABILITY).get(0);
        assertTrue(scored.get(0).confidence() < alone.confidence(), "a conflict lowers confidence");
        assertTrue(scored.get(1).confidence() < scored.get(0).confidence());
    }

    @Test
    void registryReliabilityScalesItsValues() {
        var strong = model.score("name", List.of(registry("caa", "name", "Blue Sky", "registry-registration_number")),
                RELIABILITY).get(0);
        var weak = model.score("name", List.of(registry("weak", "name", "Blue Sky", "registry-registration_number")),
                RELIABILITY).get(0);
        assertEquals(0.9, strong.confidence(), 1e-9);
        assertEquals(0.5, weak.confidence(), 1e-9);
    }
}
