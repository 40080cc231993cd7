package io.hotpass.enrichment.crawl;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * robots.txt per RFC 9309, parsed by crawler-commons and fetched here: per origin, following up to
 * {@code maxRedirects} redirects; 2xx = the rules (parsed up to {@code robotsMaxBytes}); 4xx =
 * "unavailable", allow all; 5xx, 429, a network error or a blocked address = "unreachable",
 * disallow all; more redirects than allowed = unavailable, allow all (RFC 9309 §2.3.1.2). Rules
 * are cached per origin for at most 24 h ("unreachable" for a shorter time).
 */
public final class RobotsPolicy {

    /**
     * The rules for one origin and how they were obtained.
     *
     * @param outcome the outcome of the robots.txt fetch that decided them ({@code OK} when parsed)
     */
    public record Rules(BaseRobotRules rules, String basis, Instant expiresAt, PageFetcher.Outcome outcome) {

        public boolean allows(URI uri) {
            return rules.isAllowed(uri.toString());
        }

        /** robots.txt crawl-delay, or {@code null} when it names none. */
        public Duration crawlDelay() {
            long ms = rules.getCrawlDelay();
            return ms == BaseRobotRules.UNSET_CRAWL_DELAY || ms < 0 ? null : Duration.ofMillis(ms);
        }
    }

    private final GuardedFetcher fetcher;
    private final CrawlSettings settings;
    private final Clock clock;
    private final Map<String, Rules> cache = new ConcurrentHashMap<>();
    private final SimpleRobotRulesParser parser;

    public RobotsPolicy(GuardedFetcher fetcher, CrawlSettings settings, Clock clock) {
        this.fetcher = fetcher;
        this.settings = settings;
        this.clock = clock;
        // The cap on crawl-delay is applied by the caller; the parser must not turn a long delay into "disallow all".
        this.parser = new SimpleRobotRulesParser(Long.MAX_VALUE, 5);
    }

    /** The rules for the page's origin, from the cache or fetched now (waiting for the host's politeness slot). */
    public Rules rulesFor(URI page) throws InterruptedException {
        String origin = origin(page);
        Rules cached = cache.get(origin);
        if (cached != null && cached.expiresAt().isAfter(clock.instant())) {
            return cached;
        }
        Rules fresh = fetch(origin);
        cache.put(origin, fresh);
        return fresh;
    }

    private Rules fetch(String origin) throws InterruptedException {
        URI uri = URI.create(origin + "/robots.txt");
        for (int hop = 0; hop <= settings.maxRedirects(); hop++) {
            PageFetcher.Fetch f = fetcher.fetch(uri, settings.minDelay(), null, settings.robotsMaxBytes(), true);
            switch (f.outcome()) {
                case OK -> {
                    BaseRobotRules rules = parser.parseContent(uri.toString(), f.body(), "text/plain",
                            List.of(settings.robotsAgent()));
                    return new Rules(rules, "fetched " + f.status() + (f.bodyTruncated() ? " (truncated)" : ""),
                            clock.instant().plus(settings.robotsTtl()), f.outcome());
                }
                case REDIRECT -> {
                    URI next = UrlNormaliser.resolve(uri, f.location());
                    if (next == null) {
                        return allowAll("redirect to an invalid location", f.outcome());
                    }
                    uri = next;
                }
                case HTTP_ERROR -> {
                    if (f.status() >= 400 && f.status() < 500 && f.status() != 429) {
                        return allowAll("HTTP " + f.status(), f.outcome());
                    }
                    return disallowAll(f.detail() == null ? "HTTP " + f.status() : f.detail(), f.outcome());
                }
                default -> {
                    return disallowAll(f.outcome().name().toLowerCase() + (f.detail() == null ? "" : ": " + f.detail()),
                            f.outcome());
                }
            }
        }
        return allowAll("more than " + settings.maxRedirects() + " redirects", PageFetcher.Outcome.REDIRECT);
    }

    private Rules allowAll(String why, PageFetcher.Outcome outcome) {
        return new Rules(new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL), "unavailable: " + why,
                clock.instant().plus(settings.robotsTtl()), outcome);
    }

    private Rules disallowAll(String why, PageFetcher.Outcome outcome) {
        return new Rules(new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_NONE), "unreachable: " + why,
                clock.instant().plus(settings.robotsUnreachableTtl()), outcome);
    }

    /** The politeness key of a URL: host and port. */
    static String authority(URI u) {
        int port = u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
        return u.getHost().toLowerCase() + ":" + port;
    }

    static String origin(URI u) {
        int port = u.getPort();
        String scheme = u.getScheme().toLowerCase();
        boolean defaultPort = port < 0 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        return scheme + "://" + u.getHost().toLowerCase() + (defaultPort ? "" : ":" + port);
    }
}
