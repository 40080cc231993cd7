package io.hotpass.gateway.limit;

import io.vertx.core.Future;

/** Where token buckets live: in this process, or in Redis so that every gateway replica agrees. */
public interface RateLimitStore {

    /** Takes one token from bucket {@code key}. */
    Future<Outcome> take(String key, double ratePerSecond, int burst);

    /** Whether the request may pass, tokens left, and when to retry if not. */
    record Outcome(boolean allowed, long remaining, long retryAfterMillis) {
    }
}
