package io.hotpass.platform.runner;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The {@code in-process} launcher as a service's CDI bean: an {@link InProcessPool} of
 * {@code <prefix>max-concurrent} (2) threads whose claims take a {@code <prefix>lease} (PT60S)
 * lease, stopped at shutdown within {@code <prefix>shutdown-wait} (PT10S) while the database is
 * still there. A service's {@code @ApplicationScoped} subclass gives its prefix and thread names in
 * its no-argument constructor and runs one claimed attempt in {@link #execute}.
 */
public abstract class InProcessLauncherBean<R extends RunAttempt> implements RunLauncher<R> {

    private final String prefix;
    private final String threadPrefix;
    private Duration shutdownWait;
    private InProcessPool<R> pool;

    /**
     * @param prefix       the service's runner settings ({@code "hotpass.contracts.runners."})
     * @param threadPrefix names the pool's threads ({@code "validation-runner"})
     */
    protected InProcessLauncherBean(String prefix, String threadPrefix) {
        this.prefix = prefix;
        this.threadPrefix = threadPrefix;
    }

    /** Runs one claimed attempt to its end in the calling thread, releasing it to the queue when interrupted. */
    protected abstract void execute(R run);

    /** The service is stopping: the runs about to be interrupted go back to the queue. */
    protected abstract void stopping();

    @PostConstruct
    protected void startPool() {
        Config config = ConfigProvider.getConfig();
        int maxConcurrent = config.getOptionalValue(prefix + "max-concurrent", Integer.class).orElse(2);
        Duration lease = config.getOptionalValue(prefix + "lease", Duration.class).orElse(Duration.ofSeconds(60));
        shutdownWait = config.getOptionalValue(prefix + "shutdown-wait", Duration.class).orElse(Duration.ofSeconds(10));
        pool = new InProcessPool<>(threadPrefix, maxConcurrent, lease, this::execute);
    }

    /** Created at startup, so that a setting that cannot be read (a word where a duration belongs) stops the service there. */
    protected void onStart(@Observes StartupEvent event) {
        // startPool() has read the settings
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
    public void launch(R run) {
        pool.launch(run);
    }

    /** Runs started here and not yet ended. */
    public int busy() {
        return pool.busy();
    }

    /**
     * Stops the pool while the database is still there: interrupted runs are released back to the
     * queue; a run that does not stop in time keeps its row and is claimed again when its lease expires.
     */
    protected void onShutdown(@Observes ShutdownEvent event) {
        stopping();
        pool.shutdown(shutdownWait);
    }

    @PreDestroy
    protected void stopPool() {
        pool.shutdown(Duration.ZERO);
    }
}
