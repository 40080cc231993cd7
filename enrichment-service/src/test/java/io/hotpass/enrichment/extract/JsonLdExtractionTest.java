package io.hotpass.enrichment.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.enrichment.evidence.Candidate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON-LD blocks are read by a JSON-LD processor: what they mean, not how they spell it. */
class JsonLdExtractionTest {

    private static List<Candidate> extract(String block) {
        String html = "<html><head><script type=\"application/ld+json\">" + block + "</script></head><body></body></html>";
        return new PageExtractor("ZA").extract(html, "https://bluesky.example/", Instant.parse("2026-11-27T09:00:00Z"), "abc");
    }

    @Test
    void prefixedNamesAndFullIrisReadLikeSchemaOrgTerms() {
        // A prefix of the block's own context, and full IRIs (http and https): plain JSON sees neither.
        List<Candidate> c = extract("""
                {"@context": {"s": "http://schema.org/"},
                 "@type": "s:Airline", "s:legalName": "Blue Sky Aviation (Pty) Ltd",
                 "s:telephone": "021 555 0123",
                 "https://schema.org/email": "mailto:Info@BlueSky.co.za",
                 "s:address": {"@type": "s:PostalAddress", "s:addressLocality": "Cape Town"}}
                """);
        assertHas(c, "name", "Blue Sky Aviation (Pty) Ltd");
        assertHas(c, "phone", "+27215550123");
        assertHas(c, "email", "info@bluesky.co.za");
        assertHas(c, "city", "Cape Town");
    }

    @Test
    void theSchemaOrgContextWithAnAliasAndAGraph() {
        List<Candidate> c = extract("""
                {"@context": ["https://schema.org", {"phone": "telephone"}],
                 "@graph": [{"@type": "WebSite", "name": "Not an organisation"},
                            {"@type": "Organization", "name": "Red Kite Aviation", "phone": "+27 11 555 0199",
                             "url": "https://redkite.example/", "taxID": "2003/654321/07"}]}
                """);
        assertHas(c, "name", "Red Kite Aviation");
        assertHas(c, "phone", "+27115550199");
        assertHas(c, "website", "https://redkite.example/");
        assertHas(c, "registration_number", "2003/654321/07");
        assertTrue(c.stream().noneMatch(x -> x.value().equals("Not an organisation")), c.toString());
    }

    @Test
    void anotherRemoteContextIsNeverFetchedAndTheBlockIsReadAsPlainJson() {
        // The processor may not load it (a page must not make this service fetch anything): the block
        // is read as written, schema.org names only — as it always was.
        List<Candidate> c = extract("""
                {"@context": "http://169.254.169.254/latest/meta-data/", "@type": "Organization",
                 "name": "Plain Names Ltd", "telephone": "+27 21 555 0100"}
                """);
        assertHas(c, "name", "Plain Names Ltd");
        assertHas(c, "phone", "+27215550100");
        // No @context at all: also read as written.
        assertHas(extract("{\"@type\": \"Organization\", \"name\": \"No Context CC\"}"), "name", "No Context CC");
        // Malformed JSON: nothing, and no error.
        assertTrue(extract("{\"@type\": \"Organization\", \"name\": ").isEmpty());
    }

    @Test
    void schemaOrgNames() {
        assertEquals("telephone", PageExtractor.schemaOrgName("https://schema.org/telephone"));
        assertEquals("address", PageExtractor.schemaOrgName("http://schema.org/address"));
        assertNull(PageExtractor.schemaOrgName("http://xmlns.com/foaf/0.1/name"));
        assertNull(PageExtractor.schemaOrgName("https://schema.org/"));
    }

    private static void assertHas(List<Candidate> c, String field, String value) {
        assertTrue(c.stream().anyMatch(x -> x.field().equals(field) && x.value().equals(value)
                && x.evidence().extractor().equals("json-ld")), field + "=" + value + " in " + c);
    }
}
