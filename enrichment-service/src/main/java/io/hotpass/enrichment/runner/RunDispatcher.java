package io.hotpass.enrichment.runner;

import io.hotpass.platform.runner.RunDispatch;
import io.hotpass.platform.runner.RunLauncher;
import io.hotpass.platform.runner.RunnerProcess;
import io.quarkus.runtime.annotations.CommandLineArguments;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Moves queued plans to the configured launcher on every tick (and right after a plan is created)
 * through the platform's {@link RunDispatch}: reconcile, claim up to the free slots (queued runs and
 * runs whose lease expired, oldest first), launch. One dispatcher at a time across all replicas: a
 * tick holds a PostgreSQL advisory lock, so the concurrency limit is never overshot by two replicas
 * claiming at once.
 */
@ApplicationScoped
public class RunDispatcher {

    /** pg advisory lock key of the dispatcher ("ENRDISP" as a number). */
    static final long LOCK_KEY = 0x454e5244495350L;

    /** Fired by plan creation; after the creating transaction commits, the dispatcher wakes. */
    public record Enqueued(UUID planId, String callerToken) {
    }

    @Inject
    DataSource dataSource;

    @Inject
    RunQueue queue;

    @Inject
    RunExecutor executor;

    @Inject
    @Any
    Instance<RunLauncher<ClaimedRun>> launchers;

    @ConfigProperty(name = "hotpass.enrichment.runners.launcher", defaultValue = "in-process")
    String launcherName;

    @ConfigProperty(name = "hotpass.enrichment.runners.dispatch", defaultValue = "true")
    boolean dispatch;

    @ConfigProperty(name = "hotpass.enrichment.runners.wake-on-create", defaultValue = "true")
    boolean wakeOnCreate;

    /** The process's arguments: a {@code --run} process never dispatches, not even before its main runs. */
    @Inject
    @CommandLineArguments
    String[] args;

    private final ExecutorService waker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "plan-dispatch");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean oneShot;
    private RunDispatch<ClaimedRun> dispatcher;

    @PostConstruct
    void init() {
        dispatcher = new RunDispatch<>("plan", dataSource, LOCK_KEY, queue, this::launcher);
    }

    /** The configured launcher. */
    public RunLauncher<ClaimedRun> launcher() {
        for (RunLauncher<ClaimedRun> l : launchers) {
            if (l.name().equals(launcherName)) {
                return l;
            }
        }
        throw new IllegalStateException("hotpass.enrichment.runners.launcher must be in-process or kubernetes, got '"
                + launcherName + "'");
    }

    /** A {@code --run} process runs its one plan and never dispatches others. */
    public void disable() {
        oneShot = true;
    }

    private boolean active() {
        return dispatch && !oneShot && !RunnerProcess.isRunner(args);
    }

    void onEnqueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) Enqueued e) {
        executor.rememberCallerToken(e.planId(), e.callerToken());
        if (wakeOnCreate && active()) {
            waker.submit(this::poll);
        }
    }

    @Scheduled(identity = "plan-run-dispatch", every = "${hotpass.enrichment.runners.poll-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (active()) {
            dispatcher.poll();
        }
    }

    /** One dispatch: reconcile, claim up to the free slots, launch. Returns how many runs were launched. */
    public int tick() {
        return active() ? dispatcher.tick() : 0;
    }
}
