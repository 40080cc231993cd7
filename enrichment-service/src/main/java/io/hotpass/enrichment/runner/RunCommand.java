package io.hotpass.enrichment.runner;

import io.hotpass.platform.runner.RunCommandBean;
import io.hotpass.platform.runner.RunLauncher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code --run <planId>}: this process computes that one plan and exits (the platform's
 * {@link RunCommandBean}; {@code HOTPASS_ENRICHMENT_RUNNERS_JOB} names a runner Job). Exit code 0
 * when the plan ended ready, 1 otherwise (failed, not found, or not this Job's any more).
 */
@ApplicationScoped
public class RunCommand extends RunCommandBean<ClaimedRun> {

    @Inject
    RunQueue queue;

    @Inject
    RunExecutor executor;

    @Inject
    InProcessLauncher inProcess;

    public RunCommand() {
        super("hotpass.enrichment.runners.", "plan", "plan run", "ready");
    }

    @Override
    protected RunQueue queue() {
        return queue;
    }

    @Override
    protected RunLauncher<ClaimedRun> inProcess() {
        return inProcess;
    }

    @Override
    protected boolean execute(ClaimedRun run) {
        return executor.execute(run, false);
    }
}
