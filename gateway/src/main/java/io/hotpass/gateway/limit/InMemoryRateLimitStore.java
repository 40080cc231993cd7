package io.hotpass.gateway.limit;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;

/** Token buckets in this process: exact for one replica, per replica when scaled out. */
public class InMemoryRateLimitStore implements RateLimitStore {

    private static final class Bucket {
        double tokens;
        long updatedNanos;
    }

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Override
    public Future<Outcome> take(String key, double rate, int burst) {
        return Future.succeededFuture(takeNow(key, rate, burst, System.nanoTime()));
    }

    Outcome takeNow(String key, double rate, int burst, long now) {
        if (buckets.size() > 100_000) {
            buckets.clear(); // bounded: a forgotten bucket only starts full again
        }
        Bucket b = buckets.computeIfAbsent(key, k -> {
            Bucket n = new Bucket();
            n.tokens = burst;
            n.updatedNanos = now;
            return n;
        });
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.updatedNanos) / 1e9 * rate);
            b.updatedNanos = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return new Outcome(true, (long) Math.floor(b.tokens), 0);
            }
            return new Outcome(false, 0, (long) Math.ceil((1 - b.tokens) * 1000 / rate));
        }
    }
}
