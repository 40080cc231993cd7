package io.hotpass.ingest.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.ingest.profile.ColumnInference.ColumnMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColumnInferenceTest {

    static final Profile ORG = new Profiles().get("organisation");

    static ColumnMapping of(List<ColumnMapping> m, String source) {
        return m.stream().filter(x -> x.source().equals(source)).findFirst().orElseThrow();
    }

    @Test
    void generatorHeadersMapByExactSynonymAndFuzzyName() {
        List<String> headers = List.of("Organisation Name", "Contact Email", "Phone", "Website", "Street Address", "City",
                "Province", "Country", "Registration No", "Category", "Fleet Size", "Founded", "Last Inspection");
        List<ColumnMapping> m = ColumnInference.infer(ORG, headers, List.of());
        assertEquals(List.of("name", "email", "phone", "website", "street", "city", "province", "country",
                "registration_number", "category", "fleet_size", "founded_year", "last_inspection_date"),
                m.stream().map(ColumnMapping::field).toList());
        assertEquals("exact", of(m, "Phone").method());
        assertEquals("synonym", of(m, "Contact Email").method());
        assertEquals(1.0, of(m, "City").score());
    }

    @Test
    void fuzzyNamesAndValueDetectors() {
        List<String> headers = List.of("Emial Adress", "col_7", "Notes");
        List<List<String>> sample = List.of(
                List.of("a@x.co.za", "+27 21 555 1234", "hello"),
                List.of("b@y.co.za", "082 123 4567", "world"),
                List.of("c@z.com", "(011) 555-0000", "again"));
        List<ColumnMapping> m = ColumnInference.infer(ORG, headers, sample);
        assertEquals("email", of(m, "Emial Adress").field());
        assertEquals("phone", of(m, "col_7").field());
        assertEquals("values", of(m, "col_7").method());
        assertNull(of(m, "Notes").field());
        assertTrue(of(m, "col_7").score() >= ColumnInference.MIN_SCORE);
    }

    @Test
    void overrideReplacesAndFreesFields() {
        List<ColumnMapping> m = ColumnInference.infer(ORG, List.of("Company", "Other Name"), List.of());
        Map<String, String> o = new LinkedHashMap<>();
        o.put("Other Name", "name");
        List<ColumnMapping> out = ColumnInference.override(ORG, m, o);
        assertNull(of(out, "Company").field(), "a field is mapped once: the override takes it");
        assertEquals("override", of(out, "Other Name").method());
        assertThrows(IllegalArgumentException.class, () -> ColumnInference.override(ORG, m, Map.of("Nope", "name")));
        assertThrows(IllegalArgumentException.class, () -> ColumnInference.override(ORG, m, Map.of("Company", "colour")));
    }
}
