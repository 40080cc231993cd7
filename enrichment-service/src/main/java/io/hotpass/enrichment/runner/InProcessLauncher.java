package io.hotpass.enrichment.runner;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Runs claimed plans on a pool of {@code max-concurrent} threads in this process (the default, and local). */
@ApplicationScoped
public class InProcessLauncher implements RunLauncher {

    private static final Logger LOG = Logger.getLogger(InProcessLauncher.class);

    @Inject
    RunExecutor executor;

    @ConfigProperty(name = "hotpass.enrichment.runners.max-concurrent", defaultValue = "2")
    int maxConcurrent;

    @ConfigProperty(name = "hotpass.enrichment.runners.lease", defaultValue = "PT60S")
    Duration lease;

    @ConfigProperty(name = "hotpass.enrichment.runners.shutdown-wait", defaultValue = "PT10S")
    Duration shutdownWait;

    private final AtomicInteger started = new AtomicInteger();
    private volatile ExecutorService pool;

    @Override
    public String name() {
        return "in-process";
    }

    @Override
    public int freeSlots() {
        return Math.max(0, maxConcurrent - started.get());
    }

    @Override
    public String runnerJob(UUID planId, int attempt) {
        return null;
    }

    @Override
    public Duration initialLease() {
        return lease;
    }

    @Override
    public void launch(ClaimedRun run) {
        started.incrementAndGet();
        pool().submit(() -> {
            try {
                executor.execute(run, true);
            } catch (RuntimeException e) {
                LOG.errorf(e, "plan %s: attempt %d ended abnormally", run.planId(), run.attempt());
            } finally {
                started.decrementAndGet();
            }
        });
    }

    private ExecutorService pool() {
        if (pool == null) {
            synchronized (this) {
                if (pool == null) {
                    AtomicInteger n = new AtomicInteger();
                    pool = Executors.newFixedThreadPool(maxConcurrent, r -> {
                        Thread t = new Thread(r, "plan-runner-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                }
            }
        }
        return pool;
    }

    /**
     * Stops the pool while the database is still there: interrupted runs are released back to the
     * queue (see {@link RunExecutor#execute}); a run that does not stop in time keeps its row and
     * is claimed again when its lease expires.
     */
    void onShutdown(@Observes ShutdownEvent event) {
        executor.stopping();
        ExecutorService p = pool;
        if (p != null) {
            p.shutdownNow();
            try {
                if (!p.awaitTermination(shutdownWait.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("plan runs still running at shutdown; their leases will expire");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @PreDestroy
    void stop() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
