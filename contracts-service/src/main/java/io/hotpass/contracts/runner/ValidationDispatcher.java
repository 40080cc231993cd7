package io.hotpass.contracts.runner;

import io.hotpass.contracts.validation.ClaimedValidation;
import io.hotpass.contracts.validation.ValidationExecutor;
import io.hotpass.contracts.validation.ValidationQueue;
import io.hotpass.contracts.validation.ValidationService;
import io.hotpass.platform.runner.RunDispatcherBean;
import io.hotpass.platform.runner.RunLauncher;
import io.hotpass.platform.runner.RunQueue;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Moves queued validation runs to the configured launcher ({@code hotpass.contracts.runners.launcher}:
 * {@code in-process} or {@code kubernetes}) on every tick and right after a run is queued
 * ({@code wake-on-queue}), through the platform's {@link RunDispatcherBean}.
 */
@ApplicationScoped
public class ValidationDispatcher extends RunDispatcherBean<ClaimedValidation> {

    /** pg advisory lock key of the validation dispatcher ("CONDISP" as a number). */
    static final long LOCK_KEY = 0x434f4e44495350L;

    @Inject
    ValidationQueue queue;

    @Inject
    ValidationExecutor executor;

    @Inject
    @Any
    Instance<RunLauncher<ClaimedValidation>> launchers;

    public ValidationDispatcher() {
        super("hotpass.contracts.runners.", "validation", "validation-dispatch", LOCK_KEY, "wake-on-queue");
    }

    @Override
    protected RunQueue<ClaimedValidation> queue() {
        return queue;
    }

    @Override
    protected Iterable<RunLauncher<ClaimedValidation>> launchers() {
        return launchers;
    }

    void onQueued(@Observes ValidationService.Queued e) {
        executor.rememberCallerToken(e.runId(), e.callerToken());
        wake();
    }

    @Scheduled(identity = "validation-run-dispatch", every = "${hotpass.contracts.runners.poll-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        onTimer();
    }
}
