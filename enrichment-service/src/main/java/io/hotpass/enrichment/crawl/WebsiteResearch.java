package io.hotpass.enrichment.crawl;

import io.hotpass.enrichment.evidence.Candidate;
import io.hotpass.enrichment.extract.PageExtractor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * The crawler as a service bean: one fetcher, robots cache, politeness table and per-host guards
 * ({@link HostGuards}) for the process, and crawl results cached per website for a TTL so one site is
 * not crawled again for every row or plan that names it. Website research as a whole has its own
 * circuit breaker: when the last {@code sourceBreakerVolume} sites crawled were all (by default)
 * unreachable — the network, DNS or egress is down, not one site — research stops for
 * {@code sourceBreakerDelay} and answers {@code source_circuit_open} without fetching anything.
 * Only successful crawls are cached; a site that failed is asked again (its robots.txt verdict and its
 * host breaker still keep that cheap).
 */
@ApplicationScoped
public class WebsiteResearch {

    /**
     * Candidates from one website and how the research went.
     *
     * @param status {@link SiteCrawler.Report#status()}, or {@code disabled} (research off or no website) or
     *        {@code source_circuit_open} (website research paused by its breaker; nothing fetched)
     * @param detail why nothing was found, when nothing was ({@code null} for {@code ok})
     */
    public record Research(List<Candidate> candidates, String status, String detail) {
    }

    /** A crawl that reached nothing at all: counted as a failure by the source breaker. */
    private static final class Unreachable extends Exception {
        final transient SiteCrawler.Report report;

        Unreachable(SiteCrawler.Report report) {
            super("unreachable", null, false, false);
            this.report = report;
        }
    }

    // Only answers that will not change soon: a site that failed (unreachable, 5xx, breaker open) is asked again.
    private static final Set<String> CACHED = Set.of("ok", "invalid_url");

    private final CrawlSettings settings;
    private final PageFetcher fetcher;
    private final HostGuards hostGuards;
    private final GuardedFetcher guarded;
    private final RobotsPolicy robots;
    private final PageExtractor extractor;
    private final Duration cacheTtl;
    private final boolean enabled;
    private final Guard sourceGuard;
    private final AtomicReference<CircuitBreakerState> sourceState = new AtomicReference<>(CircuitBreakerState.CLOSED);
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;

    private record Cached(Research research, Instant expiresAt) {
    }

    @Inject
    public WebsiteResearch(
            @ConfigProperty(name = "hotpass.enrichment.network-research.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "hotpass.enrichment.crawl.allowed-private-hosts") Optional<Set<String>> allowed,
            @ConfigProperty(name = "hotpass.enrichment.crawl.min-delay", defaultValue = "PT1S") Duration minDelay,
            @ConfigProperty(name = "hotpass.enrichment.crawl.max-crawl-delay", defaultValue = "PT10S") Duration maxDelay,
            @ConfigProperty(name = "hotpass.enrichment.crawl.cache-ttl", defaultValue = "PT6H") Duration cacheTtl,
            @ConfigProperty(name = "hotpass.enrichment.phone-region", defaultValue = "ZA") String region,
            Config config, MeterRegistry metrics) {
        this(enabled, CrawlSettings.defaults().withAllowedPrivateHosts(allowed.orElse(Set.of()))
                .withDelays(minDelay, maxDelay), resilience(config), cacheTtl, region, metrics);
    }

    /** For tests: explicit settings. */
    public WebsiteResearch(boolean enabled, CrawlSettings settings, ResilienceSettings resilience, Duration cacheTtl,
            String region, MeterRegistry metrics) {
        this.enabled = enabled;
        this.settings = settings;
        this.fetcher = new PageFetcher(settings);
        this.hostGuards = new HostGuards(resilience);
        this.guarded = new GuardedFetcher(fetcher, new HostPoliteness(), hostGuards, resilience.maxRetryAfter());
        this.robots = new RobotsPolicy(guarded, settings, Clock.systemUTC());
        this.extractor = new PageExtractor(region);
        this.cacheTtl = cacheTtl;
        // Described, so SmallRye's own ft_* metrics cover it too; host guards are not (one series per host).
        this.sourceGuard = Guard.create().withDescription("website-research")
                .withCircuitBreaker().requestVolumeThreshold(resilience.sourceBreakerVolume())
                .failureRatio(resilience.sourceBreakerRatio())
                .delay(resilience.sourceBreakerDelay().toMillis(), ChronoUnit.MILLIS).successThreshold(1)
                .when(t -> t instanceof Unreachable)
                .onStateChange(sourceState::set)
                .done()
                .build();
        Gauge.builder("hotpass.enrichment.host.breaker.open", hostGuards::openBreakers)
                .description("Crawled hosts whose circuit breaker is open (no requests sent to them)")
                .register(metrics);
        Gauge.builder("hotpass.enrichment.source.breaker.open",
                () -> sourceState.get() == CircuitBreakerState.OPEN ? 1 : 0)
                .tag("source", "website")
                .description("1 while website research as a whole is paused by its circuit breaker")
                .register(metrics);
        FunctionCounter.builder("hotpass.enrichment.crawl.retries", hostGuards, HostGuards::retries)
                .description("Crawler fetch attempts repeated after a retryable failure").register(metrics);
        this.metrics = metrics;
    }

    /** {@code hotpass.enrichment.crawl.*} retry and breaker settings, each defaulting to {@link ResilienceSettings#defaults()}. */
    static ResilienceSettings resilience(Config c) {
        ResilienceSettings d = ResilienceSettings.defaults();
        String p = "hotpass.enrichment.crawl.";
        return new ResilienceSettings(
                c.getOptionalValue(p + "retry.max-retries", Integer.class).orElse(d.maxRetries()),
                c.getOptionalValue(p + "retry.initial-backoff", Duration.class).orElse(d.initialBackoff()),
                c.getOptionalValue(p + "retry.max-backoff", Duration.class).orElse(d.maxBackoff()),
                c.getOptionalValue(p + "retry.max-retry-after", Duration.class).orElse(d.maxRetryAfter()),
                c.getOptionalValue(p + "retry.max-duration", Duration.class).orElse(d.maxRetryDuration()),
                c.getOptionalValue(p + "host-breaker.request-volume", Integer.class).orElse(d.hostBreakerVolume()),
                c.getOptionalValue(p + "host-breaker.failure-ratio", Double.class).orElse(d.hostBreakerRatio()),
                c.getOptionalValue(p + "host-breaker.delay", Duration.class).orElse(d.hostBreakerDelay()),
                c.getOptionalValue(p + "host-breaker.max-hosts", Integer.class).orElse(d.maxGuardedHosts()),
                c.getOptionalValue(p + "source-breaker.request-volume", Integer.class).orElse(d.sourceBreakerVolume()),
                c.getOptionalValue(p + "source-breaker.failure-ratio", Double.class).orElse(d.sourceBreakerRatio()),
                c.getOptionalValue(p + "source-breaker.delay", Duration.class).orElse(d.sourceBreakerDelay()));
    }

    public boolean enabled() {
        return enabled;
    }

    /** Hosts whose breaker is open now (also the gauge {@code hotpass_enrichment_host_breaker_open}). */
    public int openHostBreakers() {
        return hostGuards.openBreakers();
    }

    /** The state of website research's own breaker. */
    public CircuitBreakerState sourceBreaker() {
        return sourceState.get();
    }

    /** Research of an organisation's website (cached), or {@code disabled} when research is off or the value is blank. */
    public Research research(String website) throws InterruptedException {
        if (!enabled || website == null || website.isBlank()) {
            return new Research(List.of(), "disabled", null);
        }
        String key = website.strip().toLowerCase(Locale.ROOT);
        Cached c = cache.get(key);
        if (c != null && c.expiresAt().isAfter(Instant.now())) {
            return c.research();
        }
        Research r = crawl(key, website);
        metrics.counter("hotpass.enrichment.website.research", "status", r.status()).increment();
        return r;
    }

    private Research crawl(String key, String website) throws InterruptedException {
        SiteCrawler crawler = new SiteCrawler(settings, guarded, robots, extractor);
        SiteCrawler.Report report;
        try {
            report = sourceGuard.call(() -> {
                SiteCrawler.Report r = crawler.crawl(website);
                if (r.status().equals("unreachable")) {
                    throw new Unreachable(r);
                }
                return r;
            }, SiteCrawler.Report.class);
        } catch (Unreachable u) {
            report = u.report;
        } catch (CircuitBreakerOpenException e) {
            return new Research(List.of(), "source_circuit_open",
                    "circuit open: website research paused after every recent site was unreachable");
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("website research failed for " + website, e);
        }
        Research found = new Research(report.candidates(), report.status(),
                report.status().equals("ok") ? null : report.outcomes().toString());
        if (CACHED.contains(found.status())) {
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(key, new Cached(found, Instant.now().plus(cacheTtl)));
        }
        return found;
    }

    @PreDestroy
    void close() throws IOException {
        fetcher.close();
    }
}
