package io.hotpass.enrichment.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UrlNormaliserTest {

    private static final URI BASE = URI.create("http://example.co.za/about/team.html");

    @Test
    void normalisesSchemeHostPortDotSegmentsFragmentsAndTracking() {
        assertEquals("http://example.co.za/contact",
                UrlNormaliser.resolve(BASE, "HTTP://Example.CO.ZA:80/about/../contact#form").toString());
        assertEquals("http://example.co.za/about/x?a=1",
                UrlNormaliser.resolve(BASE, "x?utm_source=mail&a=1&jsessionid=abc").toString());
        assertEquals("https://example.co.za/", UrlNormaliser.resolve(BASE, "https://example.co.za:443").toString());
    }

    @Test
    void refusesWhatIsNotCrawlable() {
        assertNull(UrlNormaliser.resolve(BASE, "mailto:info@example.co.za"));
        assertNull(UrlNormaliser.resolve(BASE, "javascript:alert(1)"));
        assertNull(UrlNormaliser.resolve(BASE, "ftp://example.co.za/file"));
        assertNull(UrlNormaliser.resolve(BASE, "http://[bad"));
    }

    @Test
    void trapGuards() {
        assertEquals("repeated_path_segment",
                UrlNormaliser.trap(URI.create("http://e.co/a/b/a/b/a/b/"), 2048, 2));
        assertNull(UrlNormaliser.trap(URI.create("http://e.co/a/b/a/b/"), 2048, 2));
        assertEquals("url_too_long", UrlNormaliser.trap(URI.create("http://e.co/" + "x".repeat(3000)), 2048, 2));
    }
}
