package io.hotpass.ingest.runner;

import io.hotpass.platform.runner.InProcessLauncherBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Runs queued uploads on a pool of {@code max-concurrent} threads in this process (the default, and local). */
@ApplicationScoped
public class InProcessLauncher extends InProcessLauncherBean<ClaimedUpload> {

    @Inject
    UploadExecutor executor;

    public InProcessLauncher() {
        super("hotpass.ingest.runners.", "upload-runner");
    }

    @Override
    protected void execute(ClaimedUpload run) {
        executor.execute(run, true);
    }

    @Override
    protected void stopping() {
        executor.stopping();
    }
}
