package io.hotpass.enrichment.runner;

import io.hotpass.platform.runner.InProcessPool;
import io.hotpass.platform.runner.RunLauncher;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Runs claimed plans on a pool of {@code max-concurrent} threads in this process (the platform's {@link InProcessPool}). */
@ApplicationScoped
public class InProcessLauncher implements RunLauncher<ClaimedRun> {

    @Inject
    RunExecutor executor;

    @ConfigProperty(name = "hotpass.enrichment.runners.max-concurrent", defaultValue = "2")
    int maxConcurrent;

    @ConfigProperty(name = "hotpass.enrichment.runners.lease", defaultValue = "PT60S")
    Duration lease;

    @ConfigProperty(name = "hotpass.enrichment.runners.shutdown-wait", defaultValue = "PT10S")
    Duration shutdownWait;

    private InProcessPool<ClaimedRun> pool;

    @PostConstruct
    void init() {
        pool = new InProcessPool<>("plan-runner", maxConcurrent, lease, run -> executor.execute(run, true));
    }

    @Override
    public String name() {
        return pool.name();
    }

    @Override
    public int freeSlots() {
        return pool.freeSlots();
    }

    @Override
    public String runnerJob(UUID planId, int attempt) {
        return null;
    }

    @Override
    public Duration initialLease() {
        return pool.initialLease();
    }

    @Override
    public void launch(ClaimedRun run) {
        pool.launch(run);
    }

    /**
     * Stops the pool while the database is still there: interrupted runs are released back to the
     * queue (see {@link RunExecutor#execute}); a run that does not stop in time keeps its row and
     * is claimed again when its lease expires.
     */
    void onShutdown(@Observes ShutdownEvent event) {
        executor.stopping();
        pool.shutdown(shutdownWait);
    }

    @PreDestroy
    void stop() {
        pool.shutdown(Duration.ZERO);
    }
}
