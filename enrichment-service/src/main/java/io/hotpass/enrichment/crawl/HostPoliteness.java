package io.hotpass.enrichment.crawl;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One slot per host: a request to a host waits until the host's delay has passed since the
 * previous request to it, whichever crawl made that request. Shared by all crawls in the process,
 * so two crawls of one site never double its rate.
 */
public final class HostPoliteness {

    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, Long> lastRequest = new ConcurrentHashMap<>();

    /**
     * Blocks until {@code delay} has passed since the previous request to {@code host}, then records
     * this request. Holding the host's lock while waiting keeps requests to one host in order.
     */
    public void acquire(String host, Duration delay) throws InterruptedException {
        Object lock = locks.computeIfAbsent(host, h -> new Object());
        synchronized (lock) {
            Long last = lastRequest.get(host);
            if (last != null) {
                long waitNanos = last + delay.toNanos() - System.nanoTime();
                if (waitNanos > 0) {
                    Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
                }
            }
            lastRequest.put(host, System.nanoTime());
        }
    }
}
