package io.hotpass.ingest.runner;

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

/** Runs queued uploads on a pool of {@code max-concurrent} threads in this process (the default, and local). */
@ApplicationScoped
public class InProcessLauncher implements RunLauncher<ClaimedUpload> {

    @Inject
    UploadExecutor executor;

    @ConfigProperty(name = "hotpass.ingest.runners.max-concurrent", defaultValue = "2")
    int maxConcurrent;

    @ConfigProperty(name = "hotpass.ingest.runners.lease", defaultValue = "PT60S")
    Duration lease;

    @ConfigProperty(name = "hotpass.ingest.runners.shutdown-wait", defaultValue = "PT10S")
    Duration shutdownWait;

    private InProcessPool<ClaimedUpload> pool;

    @PostConstruct
    void init() {
        pool = new InProcessPool<>("upload-runner", maxConcurrent, lease, run -> executor.execute(run, true));
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
    public String runnerJob(UUID runId, int attempt) {
        return null;
    }

    @Override
    public Duration initialLease() {
        return pool.initialLease();
    }

    @Override
    public void launch(ClaimedUpload run) {
        pool.launch(run);
    }

    /** Runs started here and not yet ended. */
    public int busy() {
        return pool.busy();
    }

    /** Stops the pool while the database is still there: interrupted runs go back to the queue. */
    void onShutdown(@Observes ShutdownEvent event) {
        executor.stopping();
        pool.shutdown(shutdownWait);
    }

    @PreDestroy
    void stop() {
        pool.shutdown(Duration.ZERO);
    }
}
