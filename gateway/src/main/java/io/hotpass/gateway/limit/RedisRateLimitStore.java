package io.hotpass.gateway.limit;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Token buckets in Redis, updated atomically by a Lua script that reads Redis's own clock, so
 * replicas share one bucket per key and their clocks do not matter. If Redis cannot be reached the
 * gateway falls back to its in-memory buckets rather than refusing or waving through all traffic.
 */
public class RedisRateLimitStore implements RateLimitStore {

    private static final Logger LOG = Logger.getLogger(RedisRateLimitStore.class);

    static final String SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local rate = tonumber(ARGV[1])
            local burst = tonumber(ARGV[2])
            local data = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
            local tokens = tonumber(data[1])
            local ts = tonumber(data[2])
            if tokens == nil then tokens = burst; ts = now end
            tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
            local allowed = 0
            local retry = 0
            if tokens >= 1 then
              tokens = tokens - 1
              allowed = 1
            else
              retry = math.ceil((1 - tokens) * 1000 / rate)
            end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
            redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
            return {allowed, math.floor(tokens), retry}
            """;

    private final RedisAPI redis;
    private final InMemoryRateLimitStore fallback;
    private volatile long lastWarning;

    public RedisRateLimitStore(RedisAPI redis, InMemoryRateLimitStore fallback) {
        this.redis = redis;
        this.fallback = fallback;
    }

    @Override
    public Future<Outcome> take(String key, double rate, int burst) {
        return redis.eval(List.of(SCRIPT, "1", "hotpass:rl:" + key, Double.toString(rate), Integer.toString(burst)))
                .map(RedisRateLimitStore::outcome)
                .recover(err -> {
                    long now = System.currentTimeMillis();
                    if (now - lastWarning > 60_000) {
                        lastWarning = now;
                        LOG.warnf("Redis rate-limit store unavailable (%s); using this replica's buckets", err.getMessage());
                    }
                    return fallback.take(key, rate, burst);
                });
    }

    private static Outcome outcome(Response r) {
        return new Outcome(r.get(0).toInteger() == 1, r.get(1).toLong(), r.get(2).toLong());
    }
}
