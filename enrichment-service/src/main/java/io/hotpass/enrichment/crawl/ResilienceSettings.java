package io.hotpass.enrichment.crawl;

import java.time.Duration;

/**
 * Retries and circuit breakers of the website crawler ({@link HostGuards}, {@link WebsiteResearch}).
 * Configured under {@code hotpass.enrichment.crawl.*} (docs/reference/enrichment.md).
 *
 * @param maxRetries retries after the first attempt of one fetch (0 = no retries)
 * @param initialBackoff the first retry's backoff before jitter; doubled for each further retry
 * @param maxBackoff the backoff never grows beyond this
 * @param maxRetryAfter a {@code Retry-After} is waited for up to this; a host asking for longer is not retried
 * @param maxRetryDuration no retry starts after this much time since the first attempt
 * @param hostBreakerVolume the host breaker's rolling window: the last this many attempts to the host
 * @param hostBreakerRatio the share of failed attempts in a full window that opens the host's breaker
 * @param hostBreakerDelay how long a host's breaker stays open before one trial request (half-open)
 * @param maxGuardedHosts hosts whose breakers are kept; the least recently used is forgotten beyond this
 * @param sourceBreakerVolume the source breaker's window: the last this many site crawls
 * @param sourceBreakerRatio the share of unreachable sites in a full window that opens the source breaker
 * @param sourceBreakerDelay how long the source breaker stays open before one trial crawl
 */
public record ResilienceSettings(int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter,
        Duration maxRetryDuration, int hostBreakerVolume, double hostBreakerRatio, Duration hostBreakerDelay,
        int maxGuardedHosts, int sourceBreakerVolume, double sourceBreakerRatio, Duration sourceBreakerDelay) {

    public ResilienceSettings {
        if (maxRetries < 0 || hostBreakerVolume < 1 || sourceBreakerVolume < 1 || maxGuardedHosts < 1) {
            throw new IllegalArgumentException("retries must be >= 0, breaker windows and guarded hosts >= 1");
        }
        if (hostBreakerRatio <= 0 || hostBreakerRatio > 1 || sourceBreakerRatio <= 0 || sourceBreakerRatio > 1) {
            throw new IllegalArgumentException("breaker failure ratios must be in (0, 1]");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be >= 0 and max-backoff >= initial-backoff");
        }
        if (maxRetryDuration.compareTo(initialBackoff) <= 0) {
            throw new IllegalArgumentException("retry max-duration must be longer than initial-backoff");
        }
    }

    /** The production defaults (the same as the configuration's). */
    public static ResilienceSettings defaults() {
        return new ResilienceSettings(2, Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(60), 6, 0.5, Duration.ofSeconds(60), 10_000, 10, 1.0, Duration.ofMinutes(5));
    }
}
