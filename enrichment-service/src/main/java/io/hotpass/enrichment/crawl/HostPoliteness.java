package io.hotpass.enrichment.crawl;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * One slot per host: requests to a host go one at a time, and each starts only when the host's
 * delay has passed since the previous one <em>finished</em>, whichever crawl made it. Counting from
 * the end, not the start, keeps the gap the host sees at least the delay even when a request is
 * slow to arrive. Shared by all crawls in the process, so two crawls of one site never double its rate.
 */
public final class HostPoliteness {

    /** A held slot; closing it records when the request finished and frees the host. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();
    private final Map<String, Long> lastFinished = new ConcurrentHashMap<>();
    private final Map<String, Long> notBefore = new ConcurrentHashMap<>();

    /**
     * The host asked us to wait ({@code Retry-After}): no request to it starts before {@code wait} from now,
     * whichever crawl makes it. A later, shorter request does not shorten an earlier one.
     */
    public void holdOff(String host, Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        notBefore.merge(host, until, (a, b) -> a - b > 0 ? a : b);
    }

    /**
     * Blocks until the host is free, {@code delay} has passed since its previous request finished and any
     * {@link #holdOff} has expired.
     */
    public Slot acquire(String host, Duration delay) throws InterruptedException {
        Semaphore s = slots.computeIfAbsent(host, h -> new Semaphore(1, true));
        s.acquire();
        try {
            Long last = lastFinished.get(host);
            Long held = notBefore.get(host);
            long now = System.nanoTime();
            long waitNanos = Math.max(last == null ? 0 : last + delay.toNanos() - now, held == null ? 0 : held - now);
            if (waitNanos > 0) {
                Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            }
        } catch (InterruptedException e) {
            s.release();
            throw e;
        }
        return () -> {
            lastFinished.put(host, System.nanoTime());
            s.release();
        };
    }
}
