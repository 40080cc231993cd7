package io.hotpass.enrichment.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.enrichment.evidence.Candidate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressExtractorTest {

    @Test
    void readsAFullAddressLine() {
        assertEquals(new AddressExtractor.Address("12 Aviation Road", "Lanseria", "Gauteng", "ZA"),
                AddressExtractor.parse("Hangar 4, 12 Aviation Road, Lanseria, Gauteng, 1748, South Africa"));
    }

    @Test
    void readsACityThatCarriesItsPostalCodeAndAnAbbreviatedStreet() {
        assertEquals(new AddressExtractor.Address("1 Hangar Ave", "Cape Town", "Western Cape", null),
                AddressExtractor.parse("1 Hangar Ave.\nCape Town 7525\nWestern Cape"));
    }

    @Test
    void takesTheStreetOutOfASentence() {
        assertEquals(new AddressExtractor.Address("45 Runway Crescent", "Durban", "KwaZulu-Natal", "ZA"),
                AddressExtractor.parse("Visit us at 45 Runway Crescent, Durban, KZN, RSA."));
    }

    @Test
    void refusesWhatIsNotAnAddress() {
        // No street type; no city after the street; a phone number; prose; a province is no city.
        assertNull(AddressExtractor.parse("We have 12 aircraft, Cape Town"));
        assertNull(AddressExtractor.parse("12 Aviation Road"));
        assertNull(AddressExtractor.parse("Call 021 555 0123, Cape Town"));
        assertNull(AddressExtractor.parse("Founded in 1998 by pilots who love flying"));
        assertEquals(new AddressExtractor.Address("9 Long Street", "Stellenbosch", "Western Cape", null),
                AddressExtractor.parse("9 Long Street, Western Cape, Stellenbosch"));
        assertNull(AddressExtractor.parse("9 Long Street, 7600"));
        assertNull(AddressExtractor.parse(null));
        assertNull(AddressExtractor.parse("1 A Road, " + "x".repeat(600)));
    }

    @Test
    void countriesByNameOnly() {
        assertEquals("ZA", AddressExtractor.country("South Africa"));
        assertEquals("ZA", AddressExtractor.country("rsa"));
        assertEquals("NA", AddressExtractor.country("Namibia"));
        assertNull(AddressExtractor.country("CA"), "two letters could be a state");
        assertNull(AddressExtractor.country("Cape Town"));
    }

    @Test
    void aPageGivesItsAddressWithEvidence() {
        String html = """
                <html><body>
                <h1>Blue Sky Aviation</h1>
                <p>Flights daily since 1998. We have 12 aircraft.</p>
                <address>Hangar 4<br>12 Aviation Road<br>Lanseria 1748<br>Gauteng<br>South Africa</address>
                <footer><div><p>Branch: 7 Harbour Road, Mossel Bay, Western Cape</p></div></footer>
                </body></html>
                """;
        List<Candidate> c = new PageExtractor("ZA").extract(html, "https://bluesky.example/contact",
                Instant.parse("2026-11-27T08:00:00Z"), "abc");
        assertHas(c, "street", "12 Aviation Road", "address-element");
        assertHas(c, "city", "Lanseria", "address-element");
        assertHas(c, "province", "Gauteng", "address-element");
        assertHas(c, "country", "ZA", "address-element");
        assertHas(c, "street", "7 Harbour Road", "text-address");
        assertHas(c, "city", "Mossel Bay", "text-address");
        // The <address> block is read once as an address element, never again as text; nothing from
        // the sentence about aircraft.
        assertTrue(c.stream().noneMatch(x -> x.field().equals("street") && x.evidence().extractor().equals("text-address")
                && x.value().equals("12 Aviation Road")), c.toString());
        assertEquals(2, c.stream().filter(x -> x.field().equals("street")).count(), c.toString());
        Candidate street = c.stream().filter(x -> x.value().equals("12 Aviation Road")).findFirst().orElseThrow();
        assertTrue(street.evidence().snippet().contains("12 Aviation Road"), street.evidence().snippet());
        assertEquals("https://bluesky.example/contact", street.evidence().source());
    }

    private static void assertHas(List<Candidate> c, String field, String value, String extractor) {
        assertTrue(c.stream().anyMatch(x -> x.field().equals(field) && x.value().equals(value)
                && x.evidence().extractor().equals(extractor)), field + "=" + value + " by " + extractor + " in " + c);
    }
}
