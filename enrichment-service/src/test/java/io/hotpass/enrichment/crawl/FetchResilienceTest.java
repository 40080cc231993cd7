package io.hotpass.enrichment.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.enrichment.crawl.FixtureSite.Page;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries, backoff and circuit breakers of the crawler against real local HTTP servers. A Quarkus
 * test because SmallRye Fault Tolerance builds its guards in the CDI container.
 */
@QuarkusTest
class FetchResilienceTest {

    private static final Duration POLITENESS = Duration.ofMillis(300);

    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry appMetrics;

    private final List<FixtureSite> sites = new ArrayList<>();
    private final CrawlSettings settings = CrawlSettings.defaults().withAllowedPrivateHosts(Set.of("127.0.0.1"))
            .withDelays(Duration.ofMillis(10), Duration.ofMillis(10)).withLimits(0, 1, 100_000, Duration.ofSeconds(2));
    // Backoff far below the politeness delay: the gaps the servers see prove that retries wait for politeness.
    private final ResilienceSettings resilience = new ResilienceSettings(2, Duration.ofMillis(20),
            Duration.ofMillis(80), Duration.ofSeconds(2), Duration.ofSeconds(30), 4, 0.5, Duration.ofSeconds(60),
            100, 3, 1.0, Duration.ofSeconds(60));
    private PageFetcher fetcher;
    private HostGuards guards;
    private GuardedFetcher guarded;

    @BeforeEach
    void start() {
        fetcher = new PageFetcher(settings);
        guards = new HostGuards(resilience);
        guarded = new GuardedFetcher(fetcher, new HostPoliteness(), guards);
    }

    @AfterEach
    void stop() throws Exception {
        sites.forEach(FixtureSite::close);
        fetcher.close();
    }

    private FixtureSite site() throws Exception {
        FixtureSite s = new FixtureSite("127.0.0.1");
        sites.add(s);
        return s;
    }

    private PageFetcher.Fetch get(FixtureSite s, String path) throws InterruptedException {
        return guarded.fetch(URI.create(s.base() + path), POLITENESS, settings.contentTypes(), 100_000, false);
    }

    private static void assertGapsAtLeast(List<FixtureSite.Hit> hits, Duration min) {
        for (int i = 1; i < hits.size(); i++) {
            long gap = hits.get(i).nanoTime() - hits.get(i - 1).nanoTime();
            assertTrue(gap >= min.toNanos(), "gap " + gap / 1_000_000 + " ms < " + min.toMillis() + " ms");
        }
    }

    @Test
    void a503TwiceThen200IsFetchedPolitely() throws Exception {
        FixtureSite s = site().sequence("/", Page.html("<p>finally</p>"), Page.text(503, "busy"),
                Page.text(503, "busy"));

        PageFetcher.Fetch f = get(s, "/");

        assertEquals(PageFetcher.Outcome.OK, f.outcome(), f.toString());
        assertEquals(3, s.hits("/").size());
        assertEquals(2, guards.retries());
        assertGapsAtLeast(s.hits("/"), POLITENESS);
        assertEquals(CircuitBreakerState.CLOSED, guards.state(RobotsPolicy.authority(URI.create(s.base()))));
    }

    @Test
    void a429IsRetriedNoSoonerThanItsRetryAfter() throws Exception {
        FixtureSite s = site().sequence("/", Page.html("<p>ok</p>"),
                new Page(429, "text/plain", "slow down".getBytes(), Map.of("Retry-After", "1")));

        PageFetcher.Fetch f = get(s, "/");

        assertEquals(PageFetcher.Outcome.OK, f.outcome(), f.toString());
        assertEquals(2, s.hits("/").size());
        assertGapsAtLeast(s.hits("/"), Duration.ofSeconds(1));
    }

    @Test
    void aRetryAfterHoldsOffEveryFetchToTheHostNotOnlyTheRetry() throws Exception {
        FixtureSite s = site().page("/a", new Page(429, "text/plain", "slow down".getBytes(),
                Map.of("Retry-After", "1"))).page("/b", Page.html("<p>b</p>"));
        HostPoliteness politeness = new HostPoliteness();
        GuardedFetcher once = new GuardedFetcher(fetcher, politeness, FetchGuard.SINGLE_ATTEMPT, Duration.ofSeconds(2));

        assertEquals(429, once.fetch(URI.create(s.base() + "/a"), POLITENESS, null, 1000, false).status());
        assertEquals(PageFetcher.Outcome.OK,
                once.fetch(URI.create(s.base() + "/b"), POLITENESS, null, 1000, false).outcome());

        assertEquals(List.of("/a", "/b"), s.paths());
        assertGapsAtLeast(s.hits(), Duration.ofSeconds(1));
    }

    @Test
    void aRetryAfterBeyondTheCapIsNotWaitedForNorRetried() throws Exception {
        FixtureSite s = site().page("/", new Page(503, "text/plain", "maintenance".getBytes(),
                Map.of("Retry-After", "3600")));

        PageFetcher.Fetch f = get(s, "/");

        assertEquals(PageFetcher.Outcome.HTTP_ERROR, f.outcome());
        assertEquals(503, f.status());
        assertEquals(Duration.ofHours(1), f.retryAfter());
        assertEquals(1, s.hits("/").size());
    }

    @Test
    void aBodyStillDrippingAtTheDeadlineIsNotFetchedAgain() throws Exception {
        FixtureSite s = site().drip("/slow", 40, 200); // 8 s for 40 bytes; the fetch deadline is 2 s

        PageFetcher.Fetch f = get(s, "/slow");

        assertEquals(PageFetcher.Outcome.TIMEOUT, f.outcome());
        assertEquals(1, s.hits("/slow").size());
        assertEquals(0, guards.retries());
    }

    @Test
    void notFoundIsAnAnswerNotRetriedNorAFailure() throws Exception {
        FixtureSite s = site();
        for (int i = 0; i < 6; i++) {
            PageFetcher.Fetch f = get(s, "/missing");
            assertEquals(PageFetcher.Outcome.HTTP_ERROR, f.outcome());
            assertEquals(404, f.status());
        }
        assertEquals(6, s.hits("/missing").size(), "one request per fetch");
        assertEquals(0, guards.retries());
        assertEquals(CircuitBreakerState.CLOSED, guards.state(RobotsPolicy.authority(URI.create(s.base()))));
    }

    @Test
    void aHostFailingEveryTimeOpensOnlyItsOwnBreaker() throws Exception {
        FixtureSite bad = site().page("/", Page.text(503, "down"));
        FixtureSite good = site().page("/", Page.html("<p>fine</p>"));

        PageFetcher.Fetch first = get(bad, "/");
        assertEquals(PageFetcher.Outcome.HTTP_ERROR, first.outcome());
        assertTrue(first.detail().contains("3 attempts"), first.detail());
        PageFetcher.Fetch second = get(bad, "/");
        // The window of 4 attempts fills at the second fetch's first attempt: 4 failures of 4 open the breaker.
        assertEquals(PageFetcher.Outcome.CIRCUIT_OPEN, second.outcome(), second.toString());
        assertTrue(second.detail().startsWith("circuit open for " + RobotsPolicy.authority(URI.create(bad.base()))),
                second.detail());
        int sent = bad.hits().size();
        assertEquals(4, sent);
        assertEquals(1, guards.openBreakers());

        for (int i = 0; i < 3; i++) {
            assertEquals(PageFetcher.Outcome.CIRCUIT_OPEN, get(bad, "/").outcome());
            assertEquals(PageFetcher.Outcome.OK, get(good, "/").outcome());
        }
        assertEquals(sent, bad.hits().size(), "no request reaches a host whose breaker is open");
        assertEquals(3, good.hits().size());
        assertEquals(1, guards.openBreakers());
    }

    @Test
    void aCrawlOfAHostWithAnOpenBreakerSaysSo() throws Exception {
        FixtureSite bad = site().page("/robots.txt", Page.text(502, "bad gateway")).page("/", Page.html("<p>x</p>"));
        RobotsPolicy robots = new RobotsPolicy(guarded, settings, java.time.Clock.systemUTC());
        SiteCrawler crawler = new SiteCrawler(settings, guarded, robots, new io.hotpass.enrichment.extract.PageExtractor("ZA"));

        SiteCrawler.Report firstCrawl = crawler.crawl(bad.base());
        assertEquals("nothing_fetched", firstCrawl.status(), firstCrawl.toString());
        assertEquals(3, bad.hits("/robots.txt").size());
        // robots.txt's "unreachable" verdict is cached; a new policy asks again and meets the open breaker.
        SiteCrawler.Report second = new SiteCrawler(settings, guarded, new RobotsPolicy(guarded, settings,
                java.time.Clock.systemUTC()), new io.hotpass.enrichment.extract.PageExtractor("ZA")).crawl(bad.base());
        assertEquals("circuit_open", second.status(), second.toString());
        assertTrue(second.visits().get(0).detail().contains("circuit open"), second.visits().toString());
        assertEquals(4, bad.hits().size());
    }

    @Test
    void websiteResearchStopsAskingWhenEverySiteIsUnreachable() throws Exception {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        WebsiteResearch research = new WebsiteResearch(true, settings, resilience, Duration.ofHours(1), "ZA", metrics);
        try {
            for (int i = 0; i < 3; i++) {
                WebsiteResearch.Research r = research.research("http://127.0.0.1:" + closedPort() + "/");
                assertEquals("unreachable", r.status(), r.toString());
                assertTrue(r.candidates().isEmpty());
            }
            assertEquals(CircuitBreakerState.OPEN, research.sourceBreaker());
            assertEquals(1.0, metrics.get("hotpass.enrichment.source.breaker.open").gauge().value());

            FixtureSite live = site().page("/robots.txt", Page.text(200, "User-agent: *\nAllow: /\n"))
                    .page("/", Page.html("<a href=\"mailto:info@example.co.za\">mail</a>"));
            WebsiteResearch.Research paused = research.research(live.base());
            assertEquals("source_circuit_open", paused.status());
            assertTrue(paused.detail().startsWith("circuit open"), paused.detail());
            assertTrue(live.hits().isEmpty(), "nothing is fetched while the source breaker is open");
            assertEquals(0.0, metrics.get("hotpass.enrichment.host.breaker.open").gauge().value());
            // The source guard is described, so SmallRye's own metrics (the application's registry) see it open.
            io.micrometer.core.instrument.Counter opened = appMetrics.find("ft.circuitbreaker.opened.total")
                    .tag("method", "website-research").counter();
            assertTrue(opened != null && opened.count() >= 1, appMetrics.getMeters().stream()
                    .map(m -> m.getId().getName()).filter(n -> n.startsWith("ft")).toList().toString());
        } finally {
            research.close();
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
