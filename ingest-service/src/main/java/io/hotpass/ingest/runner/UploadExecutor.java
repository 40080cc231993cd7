package io.hotpass.ingest.runner;

import io.hotpass.ingest.run.RunProgress;
import io.hotpass.ingest.run.RunService;
import io.hotpass.ingest.upload.UploadResult;
import io.hotpass.ingest.upload.UploadService;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.runner.RunnerProcess;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Executes one claimed attempt of a queued upload in the calling thread (a pool thread of the
 * in-process launcher, or the main thread of a {@code --run} process): the staged file is parsed by
 * {@link UploadService#storeStaged}, the synchronous upload's own code, reporting progress on the
 * run as it goes; the version's transaction commits only while this attempt holds the run (and
 * closes the queue row and drops the staged file with it). Every heartbeat renews the lease of each
 * attempt running here; an attempt that lost its lease stops reading and writes nothing.
 */
@ApplicationScoped
public class UploadExecutor {

    private static final Logger LOG = Logger.getLogger(UploadExecutor.class);

    private record Local(ClaimedUpload run, AtomicBoolean lost) {
    }

    /** The version's transaction found that its attempt no longer holds the run: it is rolled back. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost(ClaimedUpload run) {
            super("upload run " + run.runId() + ": attempt " + run.attempt() + " lost its lease");
        }
    }

    @Inject
    UploadService uploads;

    @Inject
    UploadQueue queue;

    @Inject
    RunService runs;

    private final Map<UUID, Local> running = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /** Shutdown begins: runs interrupted from now on are released to the queue, not failed. */
    public void stopping() {
        stopping = true;
    }

    /**
     * Runs the attempt to its end here; true when the run was stored (a new version, or the current
     * one for byte-identical content). A run that fails for its content (malformed, no rows, a stale
     * If-Match…) ends failed with the same code a synchronous upload answers; it is not retried.
     * With {@code releaseOnStop} (the in-process pool), an attempt cut short by this process shutting
     * down goes back to the queue without spending an attempt, so a rolling update does not fail runs.
     */
    public boolean execute(ClaimedUpload run, boolean releaseOnStop) {
        String owner = RunnerProcess.owner();
        Local local = new Local(run, new AtomicBoolean());
        running.put(run.runId(), local);
        RunProgress progress = runs.resume(run.runId(), run.tenant(), run.stagedBytes());
        try {
            UploadResult r = uploads.storeStaged(run.tenant(), run.subject(), run.datasetId(), run.options(),
                    new StagedInput(queue, run, local.lost()::get), progress, c -> {
                        if (!queue.finish(c, run, owner)) {
                            throw new LeaseLost(run);
                        }
                        return null;
                    });
            LOG.infof("upload run %s: attempt %d stored version %d%s", run.runId(), run.attempt(), r.version().number(),
                    r.deduplicated() ? " (byte-identical to it)" : "");
            return true;
        } catch (Exception e) {
            if (local.lost().get() || e instanceof LeaseLost) {
                LOG.warnf("upload run %s: attempt %d lost its lease; nothing of it was kept", run.runId(), run.attempt());
                return false;
            }
            if (stopping && releaseOnStop) {
                try {
                    queue.release(run.runId(), run.tenant(), run.attempt());
                } catch (RuntimeException r) {
                    LOG.warnf("upload run %s: not released at shutdown (%s); its lease will expire", run.runId(),
                            r.getMessage());
                }
                return false;
            }
            ProblemException p = UploadService.problem(e);
            if (p.status() >= 500) {
                LOG.errorf(e, "upload run %s: attempt %d failed", run.runId(), run.attempt());
            }
            queue.fail(run.runId(), run.tenant(), run.attempt(), p.code(), p.getMessage()); // fenced
            return false;
        } finally {
            running.remove(run.runId(), local);
            runs.finished(progress);
            Thread.interrupted(); // the pool's shutdown may have interrupted this thread
        }
    }

    @Scheduled(identity = "upload-run-heartbeat", every = "${hotpass.ingest.runners.heartbeat:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        for (Local l : running.values()) {
            try {
                if (!queue.renew(l.run(), RunnerProcess.owner())) {
                    LOG.warnf("upload run %s: attempt %d lost its lease; stopping it", l.run().runId(), l.run().attempt());
                    l.lost().set(true);
                    running.remove(l.run().runId(), l);
                }
            } catch (RuntimeException e) {
                // A renewal that keeps failing lets the lease run out under a live runner: say so.
                LOG.warnf("lease renewal of upload run %s failed (the lease runs out if this goes on): %s%s", l.run().runId(), e.getMessage(),
                        e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")");
            }
        }
    }
}
