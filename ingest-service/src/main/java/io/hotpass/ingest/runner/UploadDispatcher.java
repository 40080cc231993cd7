package io.hotpass.ingest.runner;

import io.hotpass.platform.runner.RunDispatch;
import io.hotpass.platform.runner.RunLauncher;
import io.hotpass.platform.runner.RunnerProcess;
import io.quarkus.runtime.annotations.CommandLineArguments;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Moves queued uploads to the configured launcher ({@code hotpass.ingest.runners.launcher}:
 * {@code in-process} or {@code kubernetes}) on every tick and right after a run is queued, through
 * the platform's {@link RunDispatch} (one dispatcher at a time across replicas, by advisory lock).
 */
@ApplicationScoped
public class UploadDispatcher {

    /** pg advisory lock key of the upload dispatcher ("INGDISP" as a number). */
    static final long LOCK_KEY = 0x494e4744495350L;

    @Inject
    DataSource dataSource;

    @Inject
    UploadQueue queue;

    @Inject
    @Any
    Instance<RunLauncher<ClaimedUpload>> launchers;

    @ConfigProperty(name = "hotpass.ingest.runners.launcher", defaultValue = "in-process")
    String launcherName;

    @ConfigProperty(name = "hotpass.ingest.runners.dispatch", defaultValue = "true")
    boolean dispatch;

    @ConfigProperty(name = "hotpass.ingest.runners.wake-on-queue", defaultValue = "true")
    boolean wakeOnQueue;

    /** The process's arguments: a {@code --run} process never dispatches, not even before its main runs. */
    @Inject
    @CommandLineArguments
    String[] args;

    private final ExecutorService waker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "upload-dispatch");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean oneShot;
    private RunDispatch<ClaimedUpload> dispatcher;

    @PostConstruct
    void init() {
        dispatcher = new RunDispatch<>("upload", dataSource, LOCK_KEY, queue, this::launcher);
    }

    /** The configured launcher. */
    public RunLauncher<ClaimedUpload> launcher() {
        for (RunLauncher<ClaimedUpload> l : launchers) {
            if (l.name().equals(launcherName)) {
                return l;
            }
        }
        throw new IllegalStateException("hotpass.ingest.runners.launcher must be in-process or kubernetes, got '"
                + launcherName + "'");
    }

    /** A {@code --run} process runs its one upload and never dispatches others. */
    public void disable() {
        oneShot = true;
    }

    private boolean active() {
        return dispatch && !oneShot && !RunnerProcess.isRunner(args);
    }

    void onQueued(@Observes StagedUploads.Queued e) {
        if (wakeOnQueue && active()) {
            waker.submit(dispatcher::poll);
        }
    }

    @Scheduled(identity = "upload-run-dispatch", every = "${hotpass.ingest.runners.poll-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (active()) {
            dispatcher.poll();
        }
    }

    /** One dispatch (see {@link RunDispatch#tick}); 0 when dispatching is off here. */
    public int tick() {
        return active() ? dispatcher.tick() : 0;
    }
}
