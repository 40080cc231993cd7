package io.hotpass.enrichment.crawl;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * A fetch as the crawler makes it: every attempt, retries included, waits for the host's politeness
 * slot ({@link HostPoliteness}), so a retry never reaches a host sooner than its delay allows; the
 * attempts are governed by the {@link FetchGuard} (retries, the host's circuit breaker).
 */
public final class GuardedFetcher {

    private final PageFetcher fetcher;
    private final HostPoliteness politeness;
    private final FetchGuard guard;

    public GuardedFetcher(PageFetcher fetcher, HostPoliteness politeness, FetchGuard guard) {
        this.fetcher = fetcher;
        this.politeness = politeness;
        this.guard = guard;
    }

    /** {@link PageFetcher#fetch}, politely and under the host's guard; {@code delay} is the host's politeness delay. */
    public PageFetcher.Fetch fetch(URI uri, Duration delay, Set<String> acceptTypes, long maxBytes, boolean truncateOk)
            throws InterruptedException {
        String host = RobotsPolicy.authority(uri);
        return guard.fetch(uri, () -> {
            try (HostPoliteness.Slot slot = politeness.acquire(host, delay)) {
                return fetcher.fetch(uri, acceptTypes, maxBytes, truncateOk);
            }
        });
    }
}
