package io.hotpass.contracts.runner;

import io.hotpass.contracts.validation.ClaimedValidation;
import io.hotpass.contracts.validation.ValidationExecutor;
import io.hotpass.contracts.validation.ValidationQueue;
import io.hotpass.platform.runner.RunCommandBean;
import io.hotpass.platform.runner.RunLauncher;
import io.hotpass.platform.runner.RunQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code --run <runId>}: this process validates that one queued run and exits (the platform's
 * {@link RunCommandBean}; {@code HOTPASS_CONTRACTS_RUNNERS_JOB} names a runner Job). Exit code 0 when
 * the run finished with a result, 1 otherwise (error, not found, or not this Job's any more).
 */
@ApplicationScoped
public class RunCommand extends RunCommandBean<ClaimedValidation> {

    @Inject
    ValidationQueue queue;

    @Inject
    ValidationExecutor executor;

    @Inject
    InProcessLauncher inProcess;

    public RunCommand() {
        super("hotpass.contracts.runners.", "run", "queued validation run", "finished");
    }

    @Override
    protected RunQueue<ClaimedValidation> queue() {
        return queue;
    }

    @Override
    protected RunLauncher<ClaimedValidation> inProcess() {
        return inProcess;
    }

    @Override
    protected boolean execute(ClaimedValidation run) {
        return executor.execute(run, false);
    }
}
