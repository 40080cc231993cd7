package io.hotpass.platform.runner;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The {@code in-process} launcher: claimed runs execute on a pool of {@code maxConcurrent} daemon
 * threads in this process (the default, and what runs locally). Not a bean: the owning service's
 * launcher bean holds one and stops it at shutdown, while its database is still there.
 */
public final class InProcessPool<R extends RunAttempt> implements RunLauncher<R> {

    private static final Logger LOG = Logger.getLogger(InProcessPool.class);
    public static final String NAME = "in-process";

    private final String threadPrefix;
    private final int maxConcurrent;
    private final Duration lease;
    private final Consumer<R> execute;
    private final AtomicInteger started = new AtomicInteger();
    private volatile ExecutorService pool;

    /**
     * @param threadPrefix names the pool's threads ({@code <prefix>-1}, …)
     * @param lease        the lease a claim takes; the runner's heartbeat renews it
     * @param execute      runs one claimed attempt to its end in the calling thread
     */
    public InProcessPool(String threadPrefix, int maxConcurrent, Duration lease, Consumer<R> execute) {
        this.threadPrefix = threadPrefix;
        this.maxConcurrent = Math.max(1, maxConcurrent);
        this.lease = lease;
        this.execute = execute;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int freeSlots() {
        return Math.max(0, maxConcurrent - started.get());
    }

    /** Runs started here and not yet ended. */
    public int busy() {
        return started.get();
    }

    @Override
    public String runnerJob(UUID runId, int attempt) {
        return null;
    }

    @Override
    public Duration initialLease() {
        return lease;
    }

    @Override
    public void launch(R run) {
        started.incrementAndGet();
        try {
            pool().submit(() -> {
                try {
                    execute.accept(run);
                } catch (RuntimeException | Error e) {
                    // submit() keeps what escapes in a Future nobody reads: without this an OutOfMemoryError
                    // ended the attempt in silence and the run came back only when its lease ran out.
                    LOG.errorf(e, "run %s: attempt %d ended abnormally", run.runId(), run.attempt());
                } finally {
                    started.decrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            started.decrementAndGet(); // the pool is shut down: the lease expires and the run is claimed again
            throw e;
        }
    }

    private ExecutorService pool() {
        if (pool == null) {
            synchronized (this) {
                if (pool == null) {
                    AtomicInteger n = new AtomicInteger();
                    pool = Executors.newFixedThreadPool(maxConcurrent, r -> {
                        Thread t = new Thread(r, threadPrefix + "-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                }
            }
        }
        return pool;
    }

    /**
     * Interrupts the runs and waits up to {@code wait} for them to stop (each service's executor
     * releases an interrupted run back to its queue); a run that does not stop in time keeps its row
     * and is claimed again when its lease expires.
     */
    public void shutdown(Duration wait) {
        ExecutorService p = pool;
        if (p == null) {
            return;
        }
        p.shutdownNow();
        try {
            if (!p.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("%s runs still running at shutdown; their leases will expire", threadPrefix);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
