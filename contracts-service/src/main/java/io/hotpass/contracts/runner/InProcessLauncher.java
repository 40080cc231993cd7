package io.hotpass.contracts.runner;

import io.hotpass.contracts.validation.ClaimedValidation;
import io.hotpass.contracts.validation.ValidationExecutor;
import io.hotpass.platform.runner.InProcessLauncherBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Runs queued validations on a pool of {@code max-concurrent} threads in this process (the default, and local). */
@ApplicationScoped
public class InProcessLauncher extends InProcessLauncherBean<ClaimedValidation> {

    @Inject
    ValidationExecutor executor;

    public InProcessLauncher() {
        super("hotpass.contracts.runners.", "validation-runner");
    }

    @Override
    protected void execute(ClaimedValidation run) {
        executor.execute(run, true);
    }

    @Override
    protected void stopping() {
        executor.stopping();
    }
}
