package io.hotpass.ingest.runner;

import io.hotpass.platform.runner.RunCommandBean;
import io.hotpass.platform.runner.RunLauncher;
import io.hotpass.platform.runner.RunQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code --run <runId>}: this process parses that one queued upload and exits (the platform's
 * {@link RunCommandBean}; {@code HOTPASS_INGEST_RUNNERS_JOB} names a runner Job). Exit code 0 when
 * the run was stored, 1 otherwise (failed, not found, or not this Job's any more).
 */
@ApplicationScoped
public class RunCommand extends RunCommandBean<ClaimedUpload> {

    @Inject
    UploadQueue queue;

    @Inject
    UploadExecutor executor;

    @Inject
    InProcessLauncher inProcess;

    public RunCommand() {
        super("hotpass.ingest.runners.", "run", "queued upload", "stored");
    }

    @Override
    protected RunQueue<ClaimedUpload> queue() {
        return queue;
    }

    @Override
    protected RunLauncher<ClaimedUpload> inProcess() {
        return inProcess;
    }

    @Override
    protected boolean execute(ClaimedUpload run) {
        return executor.execute(run, false);
    }
}
