package io.hotpass.ingest.runner;

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
 * Moves queued uploads to the configured launcher ({@code hotpass.ingest.runners.launcher}:
 * {@code in-process} or {@code kubernetes}) on every tick and right after a run is queued
 * ({@code wake-on-queue}), through the platform's {@link RunDispatcherBean}.
 */
@ApplicationScoped
public class UploadDispatcher extends RunDispatcherBean<ClaimedUpload> {

    /** pg advisory lock key of the upload dispatcher ("INGDISP" as a number). */
    static final long LOCK_KEY = 0x494e4744495350L;

    @Inject
    UploadQueue queue;

    @Inject
    @Any
    Instance<RunLauncher<ClaimedUpload>> launchers;

    public UploadDispatcher() {
        super("hotpass.ingest.runners.", "upload", "upload-dispatch", LOCK_KEY, "wake-on-queue");
    }

    @Override
    protected RunQueue<ClaimedUpload> queue() {
        return queue;
    }

    @Override
    protected Iterable<RunLauncher<ClaimedUpload>> launchers() {
        return launchers;
    }

    void onQueued(@Observes StagedUploads.Queued e) {
        wake();
    }

    @Scheduled(identity = "upload-run-dispatch", every = "${hotpass.ingest.runners.poll-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        onTimer();
    }
}
