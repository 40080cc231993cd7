package io.hotpass.enrichment.runner;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code --run <planId>}: this process computes that one plan and exits. In a runner Job
 * ({@code HOTPASS_ENRICHMENT_RUNNER_JOB} names it) the attempt the dispatcher claimed for this Job is
 * taken over; started by hand, a queued plan (or one whose lease expired) is claimed here. Exit code
 * 0 when the plan ended ready, 1 otherwise (failed, not found, or not this Job's any more).
 */
@ApplicationScoped
public class RunCommand {

    private static final Logger LOG = Logger.getLogger(RunCommand.class);

    @Inject
    RunQueue queue;

    @Inject
    RunExecutor executor;

    @Inject
    InProcessLauncher inProcess;

    @ConfigProperty(name = "hotpass.enrichment.runners.job")
    Optional<String> job;

    public int run(UUID planId) {
        return run(planId, job);
    }

    /** Runs the plan as the runner of {@code job} (empty: claims it here, as a hand-started run). */
    public int run(UUID planId, Optional<String> job) {
        Optional<String> tenant = queue.tenantOf(planId);
        if (tenant.isEmpty()) {
            LOG.errorf("--run %s: no such plan run", planId);
            return 1;
        }
        ClaimedRun run = job.filter(j -> !j.isBlank())
                .map(j -> queue.takeOver(planId, tenant.get(), j, RunExecutor.owner()))
                .orElseGet(() -> queue.claim(new RunQueue.Candidate(planId, tenant.get()), RunExecutor.owner(),
                        inProcess));
        if (run == null) {
            LOG.errorf("--run %s: the plan is not queued for this runner (finished, or claimed by another attempt)",
                    planId);
            return 1;
        }
        LOG.infof("--run %s: attempt %d of tenant %s", planId, run.attempt(), run.tenant());
        boolean ready = executor.execute(run, false); // a Job stopped midway is the dispatcher's to judge
        LOG.infof("--run %s: %s", planId, ready ? "ready" : "not ready (see the plan's error)");
        return ready ? 0 : 1;
    }
}
