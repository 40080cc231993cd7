package io.hotpass.enrichment.runner;

import io.hotpass.platform.runner.RunDispatcherBean;
import io.hotpass.platform.runner.RunLauncher;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * Moves queued plans to the configured launcher ({@code hotpass.enrichment.runners.launcher}) on
 * every tick and right after a plan is created ({@code wake-on-create}) through the platform's
 * {@link RunDispatcherBean}: reconcile, claim up to the free slots (queued runs and runs whose lease
 * expired, oldest first), launch. One dispatcher at a time across all replicas: a tick holds a
 * PostgreSQL advisory lock, so the concurrency limit is never overshot by two replicas claiming at once.
 */
@ApplicationScoped
public class RunDispatcher extends RunDispatcherBean<ClaimedRun> {

    /** pg advisory lock key of the dispatcher ("ENRDISP" as a number). */
    public static final long LOCK_KEY = 0x454e5244495350L;

    /** Fired by plan creation; after the creating transaction commits, the dispatcher wakes. */
    public record Enqueued(UUID planId, String callerToken) {
    }

    @Inject
    RunQueue queue;

    @Inject
    RunExecutor executor;

    @Inject
    @Any
    Instance<RunLauncher<ClaimedRun>> launchers;

    public RunDispatcher() {
        super("hotpass.enrichment.runners.", "plan", "plan-dispatch", LOCK_KEY, "wake-on-create");
    }

    @Override
    protected RunQueue queue() {
        return queue;
    }

    @Override
    protected Iterable<RunLauncher<ClaimedRun>> launchers() {
        return launchers;
    }

    void onEnqueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) Enqueued e) {
        executor.rememberCallerToken(e.planId(), e.callerToken());
        wake();
    }

    @Scheduled(identity = "plan-run-dispatch", every = "${hotpass.enrichment.runners.poll-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        onTimer();
    }
}
