package io.hotpass.gateway.auth;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/** A small bounded cache whose entries expire after a fixed time (API key checks, decisions). */
final class TtlCache<V> {

    private record Entry<V>(V value, long expiresAtNanos) {
    }

    private final ConcurrentHashMap<String, Entry<V>> map = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;

    TtlCache(Duration ttl, int maxEntries) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
    }

    V get(String key) {
        Entry<V> e = map.get(key);
        if (e == null) {
            return null;
        }
        if (System.nanoTime() - e.expiresAtNanos() > 0) {
            map.remove(key, e);
            return null;
        }
        return e.value();
    }

    void put(String key, V value) {
        if (map.size() >= maxEntries) {
            map.clear(); // crude but bounded: a cache miss only costs a call to policy-service
        }
        map.put(key, new Entry<>(value, System.nanoTime() + ttlNanos));
    }

    void clear() {
        map.clear();
    }
}
