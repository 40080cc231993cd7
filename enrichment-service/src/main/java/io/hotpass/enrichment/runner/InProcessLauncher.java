package io.hotpass.enrichment.runner;

import io.hotpass.platform.runner.InProcessLauncherBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Runs claimed plans on a pool of {@code max-concurrent} threads in this process (the platform's
 * {@link InProcessLauncherBean}); at shutdown interrupted plans are released back to the queue (see
 * {@link RunExecutor#execute}).
 */
@ApplicationScoped
public class InProcessLauncher extends InProcessLauncherBean<ClaimedRun> {

    @Inject
    RunExecutor executor;

    public InProcessLauncher() {
        super("hotpass.enrichment.runners.", "plan-runner");
    }

    @Override
    protected void execute(ClaimedRun run) {
        executor.execute(run, true);
    }

    @Override
    protected void stopping() {
        executor.stopping();
    }
}
