package io.hotpass.enrichment.crawl;

import java.time.Duration;
import java.util.Set;

/**
 * Limits of the website crawler. {@link #defaults()} are the production defaults; tests shorten
 * the delays and allow-list their loopback fixture sites.
 *
 * @param userAgent sent with every request
 * @param robotsAgent the product token matched against robots.txt {@code User-agent} lines
 * @param maxDepth link depth from the start page (0 = start page only)
 * @param maxPages pages fetched per site crawl (redirect hops and robots.txt not counted)
 * @param maxBodyBytes a page larger than this is abandoned (nothing extracted)
 * @param robotsMaxBytes robots.txt is parsed up to this many bytes (RFC 9309 asks for at least 500 KiB)
 * @param robotsTtl how long robots rules are cached (at most 24 h, RFC 9309 §2.4)
 * @param robotsUnreachableTtl how long a "disallow all" from a 5xx or network error is cached
 * @param minDelay the politeness delay between two requests to one host when robots.txt names none
 * @param maxCrawlDelay robots.txt crawl-delays are honoured up to this cap
 * @param connectTimeout TCP connect timeout
 * @param readTimeout longest silence while reading a response
 * @param fetchTimeout longest time for one whole response (stops slow-drip pages)
 * @param maxRedirects redirects followed per fetch (RFC 9309 asks for at least 5 for robots.txt)
 * @param contentTypes media types that are fetched and parsed; others are abandoned unread
 * @param maxUrlLength longer URLs are not followed (trap guard)
 * @param maxSegmentRepeats a path segment appearing more often than this is a trap ({@code /a/b/a/b/a/b})
 * @param allowedPrivateHosts hosts or IP literals exempt from the private-address guard (tests only)
 */
public record CrawlSettings(String userAgent, String robotsAgent, int maxDepth, int maxPages, long maxBodyBytes,
        int robotsMaxBytes, Duration robotsTtl, Duration robotsUnreachableTtl, Duration minDelay,
        Duration maxCrawlDelay, Duration connectTimeout, Duration readTimeout, Duration fetchTimeout, int maxRedirects,
        Set<String> contentTypes, int maxUrlLength, int maxSegmentRepeats, Set<String> allowedPrivateHosts) {

    public static final Duration MAX_ROBOTS_TTL = Duration.ofHours(24);

    public CrawlSettings {
        if (robotsMaxBytes < 500 * 1024) {
            throw new IllegalArgumentException("robotsMaxBytes must be at least 500 KiB (RFC 9309)");
        }
        if (robotsTtl.compareTo(MAX_ROBOTS_TTL) > 0) {
            robotsTtl = MAX_ROBOTS_TTL;
        }
        contentTypes = Set.copyOf(contentTypes);
        allowedPrivateHosts = Set.copyOf(allowedPrivateHosts);
    }

    public static CrawlSettings defaults() {
        return new CrawlSettings("HotpassBot/0.1 (+https://hotpass.io/bot)", "hotpassbot", 2, 20, 2 * 1024 * 1024,
                512 * 1024, Duration.ofHours(24), Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), 5,
                Set.of("text/html", "application/xhtml+xml"), 2048, 2, Set.of());
    }

    public CrawlSettings withDelays(Duration min, Duration maxCrawl) {
        return new CrawlSettings(userAgent, robotsAgent, maxDepth, maxPages, maxBodyBytes, robotsMaxBytes, robotsTtl,
                robotsUnreachableTtl, min, maxCrawl, connectTimeout, readTimeout, fetchTimeout, maxRedirects,
                contentTypes, maxUrlLength, maxSegmentRepeats, allowedPrivateHosts);
    }

    public CrawlSettings withAllowedPrivateHosts(Set<String> hosts) {
        return new CrawlSettings(userAgent, robotsAgent, maxDepth, maxPages, maxBodyBytes, robotsMaxBytes, robotsTtl,
                robotsUnreachableTtl, minDelay, maxCrawlDelay, connectTimeout, readTimeout, fetchTimeout, maxRedirects,
                contentTypes, maxUrlLength, maxSegmentRepeats, hosts);
    }

    public CrawlSettings withLimits(int depth, int pages, long bodyBytes, Duration fetch) {
        return new CrawlSettings(userAgent, robotsAgent, depth, pages, bodyBytes, robotsMaxBytes, robotsTtl,
                robotsUnreachableTtl, minDelay, maxCrawlDelay, connectTimeout, readTimeout, fetch, maxRedirects,
                contentTypes, maxUrlLength, maxSegmentRepeats, allowedPrivateHosts);
    }
}
