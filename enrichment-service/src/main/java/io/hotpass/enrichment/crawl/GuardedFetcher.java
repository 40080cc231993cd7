package io.hotpass.enrichment.crawl;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * A fetch as the crawler makes it: every attempt, retries included, waits for the host's politeness
 * slot ({@link HostPoliteness}), so a retry never reaches a host sooner than its delay allows; a
 * {@code Retry-After} on a 429 or 503 holds every crawl off the host (up to a cap), not only this
 * fetch's retry. The attempts are governed by the {@link FetchGuard} (retries, the host's circuit breaker).
 */
public final class GuardedFetcher {

    private final PageFetcher fetcher;
    private final HostPoliteness politeness;
    private final FetchGuard guard;
    private final Duration maxHoldOff;

    /** With {@code Retry-After} held for at most {@link ResilienceSettings#defaults()}' {@code maxRetryAfter}. */
    public GuardedFetcher(PageFetcher fetcher, HostPoliteness politeness, FetchGuard guard) {
        this(fetcher, politeness, guard, ResilienceSettings.defaults().maxRetryAfter());
    }

    /**
     * @param maxHoldOff a 429 or 503 with {@code Retry-After} keeps every crawl off the host for that long, up to this
     */
    public GuardedFetcher(PageFetcher fetcher, HostPoliteness politeness, FetchGuard guard, Duration maxHoldOff) {
        this.fetcher = fetcher;
        this.politeness = politeness;
        this.guard = guard;
        this.maxHoldOff = maxHoldOff;
    }

    /** {@link PageFetcher#fetch}, politely and under the host's guard; {@code delay} is the host's politeness delay. */
    public PageFetcher.Fetch fetch(URI uri, Duration delay, Set<String> acceptTypes, long maxBytes, boolean truncateOk)
            throws InterruptedException {
        String host = RobotsPolicy.authority(uri);
        return guard.fetch(uri, () -> {
            try (HostPoliteness.Slot slot = politeness.acquire(host, delay)) {
                PageFetcher.Fetch f = fetcher.fetch(uri, acceptTypes, maxBytes, truncateOk);
                if (f.retryAfter() != null && (f.status() == 429 || f.status() == 503)) {
                    politeness.holdOff(host, f.retryAfter().compareTo(maxHoldOff) > 0 ? maxHoldOff : f.retryAfter());
                }
                return f;
            }
        });
    }
}
