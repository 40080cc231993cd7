package io.hotpass.ingest.runner;

import io.hotpass.platform.runner.RunQueue;
import io.hotpass.platform.runner.RunnerProcess;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code --run <runId>}: this process parses that one queued upload and exits. In a runner Job
 * ({@code HOTPASS_INGEST_RUNNERS_JOB} names it) the attempt the dispatcher claimed for this Job is
 * taken over; started by hand, a queued run (or one whose lease expired) is claimed here. Exit code
 * 0 when the run was stored, 1 otherwise (failed, not found, or not this Job's any more).
 */
@ApplicationScoped
public class RunCommand {

    private static final Logger LOG = Logger.getLogger(RunCommand.class);

    @Inject
    UploadQueue queue;

    @Inject
    UploadExecutor executor;

    @Inject
    InProcessLauncher inProcess;

    @ConfigProperty(name = "hotpass.ingest.runners.job")
    Optional<String> job;

    public int run(UUID runId) {
        return run(runId, job);
    }

    /** Runs the upload as the runner of {@code job} (empty: claims it here, as a hand-started run). */
    public int run(UUID runId, Optional<String> job) {
        Optional<String> tenant = queue.tenantOf(runId);
        if (tenant.isEmpty()) {
            LOG.errorf("--run %s: no such queued upload", runId);
            return 1;
        }
        ClaimedUpload run = job.filter(j -> !j.isBlank())
                .map(j -> queue.takeOver(runId, tenant.get(), j, RunnerProcess.owner()))
                .orElseGet(() -> queue.claim(new RunQueue.Candidate(runId, tenant.get()), RunnerProcess.owner(),
                        inProcess));
        if (run == null) {
            LOG.errorf("--run %s: the run is not queued for this runner (finished, or claimed by another attempt)", runId);
            return 1;
        }
        LOG.infof("--run %s: attempt %d of tenant %s", runId, run.attempt(), run.tenant());
        boolean done = executor.execute(run, false); // a Job stopped midway is the dispatcher's to judge
        LOG.infof("--run %s: %s", runId, done ? "stored" : "not stored (see the run's error)");
        return done ? 0 : 1;
    }
}
