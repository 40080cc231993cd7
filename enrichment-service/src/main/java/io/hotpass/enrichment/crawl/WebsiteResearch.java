package io.hotpass.enrichment.crawl;

import io.hotpass.enrichment.evidence.Candidate;
import io.hotpass.enrichment.extract.PageExtractor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The crawler as a service bean: one fetcher, robots cache and politeness table for the process,
 * and crawl results cached per website for a TTL so one site is not crawled again for every row
 * or plan that names it.
 */
@ApplicationScoped
public class WebsiteResearch {

    private final CrawlSettings settings;
    private final PageFetcher fetcher;
    private final HostPoliteness politeness = new HostPoliteness();
    private final RobotsPolicy robots;
    private final PageExtractor extractor;
    private final Duration cacheTtl;
    private final boolean enabled;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(List<Candidate> candidates, Instant expiresAt) {
    }

    public WebsiteResearch(
            @ConfigProperty(name = "hotpass.enrichment.network-research.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "hotpass.enrichment.crawl.allowed-private-hosts") Optional<Set<String>> allowed,
            @ConfigProperty(name = "hotpass.enrichment.crawl.min-delay", defaultValue = "PT1S") Duration minDelay,
            @ConfigProperty(name = "hotpass.enrichment.crawl.max-crawl-delay", defaultValue = "PT10S") Duration maxDelay,
            @ConfigProperty(name = "hotpass.enrichment.crawl.cache-ttl", defaultValue = "PT6H") Duration cacheTtl,
            @ConfigProperty(name = "hotpass.enrichment.phone-region", defaultValue = "ZA") String region) {
        this.enabled = enabled;
        this.settings = CrawlSettings.defaults().withAllowedPrivateHosts(allowed.orElse(Set.of()))
                .withDelays(minDelay, maxDelay);
        this.fetcher = new PageFetcher(settings);
        this.robots = new RobotsPolicy(fetcher, politeness, settings, Clock.systemUTC());
        this.extractor = new PageExtractor(region);
        this.cacheTtl = cacheTtl;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Candidates from an organisation's website (cached), or none when research is off or the value is blank. */
    public List<Candidate> research(String website) throws InterruptedException {
        if (!enabled || website == null || website.isBlank()) {
            return List.of();
        }
        String key = website.strip().toLowerCase(Locale.ROOT);
        Cached c = cache.get(key);
        if (c != null && c.expiresAt().isAfter(Instant.now())) {
            return c.candidates();
        }
        SiteCrawler crawler = new SiteCrawler(settings, fetcher, robots, politeness, extractor);
        List<Candidate> found = crawler.crawl(website).candidates();
        if (cache.size() > 10_000) {
            cache.clear();
        }
        cache.put(key, new Cached(found, Instant.now().plus(cacheTtl)));
        return found;
    }

    @PreDestroy
    void close() throws IOException {
        fetcher.close();
    }
}
