package io.hotpass.enrichment.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.enrichment.crawl.FixtureSite.Page;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RobotsPolicyTest {

    private FixtureSite site;
    private PageFetcher fetcher;
    private CrawlSettings settings;

    @BeforeEach
    void start() throws Exception {
        site = new FixtureSite("127.0.0.1");
        settings = CrawlSettings.defaults().withAllowedPrivateHosts(Set.of("127.0.0.1"))
                .withDelays(Duration.ZERO, Duration.ofSeconds(10));
        fetcher = new PageFetcher(settings);
    }

    @AfterEach
    void stop() throws Exception {
        fetcher.close();
        site.close();
    }

    private RobotsPolicy.Rules rules(Clock clock) throws InterruptedException {
        return new RobotsPolicy(new GuardedFetcher(fetcher, new HostPoliteness(), FetchGuard.SINGLE_ATTEMPT), settings, clock).rulesFor(URI.create(site.base() + "/x"));
    }

    private URI page(String path) {
        return URI.create(site.base() + path);
    }

    @Test
    void notFoundAllowsAll() throws Exception {
        RobotsPolicy.Rules r = rules(Clock.systemUTC());
        assertTrue(r.allows(page("/anything")));
        assertTrue(r.basis().startsWith("unavailable"));
    }

    @Test
    void serverErrorDisallowsAll() throws Exception {
        site.page("/robots.txt", Page.text(503, "busy"));
        RobotsPolicy.Rules r = rules(Clock.systemUTC());
        assertFalse(r.allows(page("/")));
        assertTrue(r.basis().startsWith("unreachable"));
    }

    @Test
    void tooManyRequestsDisallowsAll() throws Exception {
        site.page("/robots.txt", Page.text(429, "slow down"));
        assertFalse(rules(Clock.systemUTC()).allows(page("/")));
    }

    @Test
    void redirectsAreFollowedUpToFive() throws Exception {
        site.page("/robots.txt", Page.redirect("/r1"));
        for (int i = 1; i < 5; i++) {
            site.page("/r" + i, Page.redirect("/r" + (i + 1)));
        }
        site.page("/r5", Page.text(200, "User-agent: hotpassbot\nDisallow: /no\nCrawl-delay: 3\n"));
        RobotsPolicy.Rules r = rules(Clock.systemUTC());
        assertFalse(r.allows(page("/no/x")));
        assertTrue(r.allows(page("/yes")));
        assertEquals(Duration.ofSeconds(3), r.crawlDelay());
    }

    @Test
    void moreThanFiveRedirectsIsUnavailableSoAllowAll() throws Exception {
        site.page("/robots.txt", Page.redirect("/r1"));
        for (int i = 1; i <= 6; i++) {
            site.page("/r" + i, Page.redirect("/r" + (i + 1)));
        }
        RobotsPolicy.Rules r = rules(Clock.systemUTC());
        assertTrue(r.allows(page("/")));
        assertTrue(r.basis().contains("redirects"));
    }

    @Test
    void parsesAtLeast500KiBAndIgnoresTheRest() throws Exception {
        String padding = ("# " + "p".repeat(98) + "\n").repeat(5000); // 505,000 bytes of comments
        site.page("/robots.txt", Page.text(200, "User-agent: *\nDisallow: /early\n" + padding + "Disallow: /late\n"
                + "#".repeat(200_000) + "\nDisallow: /beyond\n"));
        RobotsPolicy.Rules r = rules(Clock.systemUTC());
        assertFalse(r.allows(page("/early")));
        assertFalse(r.allows(page("/late")), "a rule at 505 KB is within the 512 KiB limit");
        assertTrue(r.allows(page("/beyond")), "a rule past 512 KiB is not read");
        assertTrue(r.basis().contains("truncated"));
    }

    @Test
    void garbageIsNoRulesSoAllowAll() throws Exception {
        byte[] junk = new byte[4096];
        new java.util.Random(1).nextBytes(junk);
        site.page("/robots.txt", new Page(200, "text/plain", junk, Map.of()));
        RobotsPolicy.Rules r = rules(Clock.systemUTC());
        assertTrue(r.allows(page("/x")));
        assertNull(r.crawlDelay());
    }

    @Test
    void rulesAreCachedAndRefetchedAfterTheirTtl() throws Exception {
        site.page("/robots.txt", Page.text(200, "User-agent: *\nDisallow: /a\n".getBytes(StandardCharsets.UTF_8)
                .length > 0 ? "User-agent: *\nDisallow: /a\n" : ""));
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T00:00:00Z"));
        RobotsPolicy policy = new RobotsPolicy(new GuardedFetcher(fetcher, new HostPoliteness(), FetchGuard.SINGLE_ATTEMPT), settings, clock);
        policy.rulesFor(page("/"));
        policy.rulesFor(page("/b"));
        assertEquals(1, site.paths().stream().filter("/robots.txt"::equals).count());
        clock.now = clock.now.plus(Duration.ofHours(24)).plusSeconds(1);
        policy.rulesFor(page("/"));
        assertEquals(2, site.paths().stream().filter("/robots.txt"::equals).count());
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
