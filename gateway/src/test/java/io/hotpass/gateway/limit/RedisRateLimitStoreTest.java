package io.hotpass.gateway.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas, each with its own Redis connection and its own in-memory fallback, share
 * one bucket per key in the real Redis at 127.0.0.1:6379; with Redis gone, each falls back to its
 * own buckets instead of refusing or waving through everything.
 */
class RedisRateLimitStoreTest {

    static Vertx vertx;
    static Redis redisA;
    static Redis redisB;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        redisA = Redis.createClient(vertx, "redis://127.0.0.1:6379");
        redisB = Redis.createClient(vertx, "redis://127.0.0.1:6379");
    }

    @AfterAll
    static void stop() throws Exception {
        redisA.close();
        redisB.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static RateLimitStore.Outcome take(RateLimitStore store, String key, double rate, int burst) throws Exception {
        return store.take(key, rate, burst).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void replicasShareOneBucketPerKey() throws Exception {
        RateLimitStore a = new RedisRateLimitStore(RedisAPI.api(redisA), new InMemoryRateLimitStore());
        RateLimitStore b = new RedisRateLimitStore(RedisAPI.api(redisB), new InMemoryRateLimitStore());
        String key = "tenant:test-" + UUID.randomUUID();
        // A burst of 10 and a refill of one token every 1,000 s: ten requests across both replicas pass.
        for (int i = 0; i < 10; i++) {
            RateLimitStore.Outcome o = take(i % 2 == 0 ? a : b, key, 0.001, 10);
            assertTrue(o.allowed(), "request " + i);
            assertEquals(9 - i, o.remaining(), "request " + i);
        }
        RateLimitStore.Outcome refusedOnA = take(a, key, 0.001, 10);
        RateLimitStore.Outcome refusedOnB = take(b, key, 0.001, 10);
        assertFalse(refusedOnA.allowed(), "the bucket both replicas drew from is empty");
        assertFalse(refusedOnB.allowed(), "the bucket both replicas drew from is empty");
        assertTrue(refusedOnA.retryAfterMillis() > 0);
        // Another key (another tenant) has its own full bucket.
        assertTrue(take(b, key + "-other", 0.001, 10).allowed());
        // The bucket expires on its own in Redis once it would be full again (no leak per key).
        long ttl = RedisAPI.api(redisA).pttl("hotpass:rl:" + key).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).toLong();
        assertTrue(ttl > 0, "the key carries an expiry: " + ttl);
    }

    @Test
    void withoutRedisEachReplicaFallsBackToItsOwnBuckets() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Redis gone = Redis.createClient(vertx, "redis://127.0.0.1:" + closed);
        try {
            RateLimitStore store = new RedisRateLimitStore(RedisAPI.api(gone), new InMemoryRateLimitStore());
            String key = "tenant:gone-" + UUID.randomUUID();
            List<Boolean> allowed = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                allowed.add(take(store, key, 0.001, 3).allowed());
            }
            assertEquals(List.of(true, true, true, false), allowed, "limited by the replica's own bucket, not open, not closed");
        } finally {
            gone.close();
        }
    }
}
