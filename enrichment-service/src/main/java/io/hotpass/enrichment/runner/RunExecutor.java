package io.hotpass.enrichment.runner;

import io.hotpass.enrichment.client.IngestClient;
import io.hotpass.enrichment.plan.PlanRunner;
import io.hotpass.platform.runner.RunningAttempts;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Executes one claimed attempt in the calling thread (a pool thread of the in-process launcher, or
 * the main thread of a {@code --run} process) and keeps its lease: every heartbeat renews the lease
 * of each attempt running here; an attempt that lost it is interrupted (its writes are refused by
 * the fence anyway).
 */
@ApplicationScoped
public class RunExecutor {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);

    @Inject
    PlanRunner runner;

    @Inject
    RunQueue queue;

    @ConfigProperty(name = "hotpass.enrichment.service-api-key")
    Optional<String> serviceApiKey;

    private final RunningAttempts<ClaimedRun> running = new RunningAttempts<>();
    private volatile boolean stopping;
    /** Without a service API key: the creating caller's token, in memory only, for a run in this process. */
    private final Map<UUID, String> callerTokens = new ConcurrentHashMap<>();

    /** This process: the lease owner it writes on the runs it executes. */
    public static String owner() {
        return io.hotpass.platform.runner.RunnerProcess.owner();
    }

    /** Without a service API key, keeps the creating caller's token (in memory only) for the plan's run here. */
    public void rememberCallerToken(UUID planId, String token) {
        if (token != null && serviceApiKey.filter(k -> !k.isBlank()).isEmpty()) {
            callerTokens.put(planId, token);
        }
    }

    /** Credentials of a run: the service API key for the plan's tenant, else a creating caller's token held here. */
    Optional<IngestClient.Credentials> credentials(ClaimedRun run) {
        Optional<IngestClient.Credentials> key = serviceApiKey.filter(k -> !k.isBlank())
                .map(k -> new IngestClient.Credentials(null, k, run.tenant()));
        if (key.isPresent()) {
            return key;
        }
        return Optional.ofNullable(callerTokens.get(run.planId())).map(IngestClient.Credentials::bearer);
    }

    public int runningHere() {
        return running.size();
    }

    /** Shutdown begins: runs interrupted from now on are not failed (see {@link #execute}). */
    void stopping() {
        stopping = true;
        runner.stopping();
    }

    /**
     * Runs the attempt to its end here; true when the plan ended ready. With {@code releaseOnStop}
     * (the in-process pool), an attempt cut short by this process shutting down is put back in the
     * queue without spending an attempt, so a rolling update does not fail plans.
     */
    public boolean execute(ClaimedRun run, boolean releaseOnStop) {
        Optional<IngestClient.Credentials> creds = credentials(run);
        if (creds.isEmpty()) {
            runner.fail(run.planId(), run.tenant(), run.attempt(), "runner_credentials_missing",
                    "the runner has no credentials for ingest-service: set HOTPASS_SERVICE_API_KEY");
            return false;
        }
        RunningAttempts.Attempt<ClaimedRun> attempt = running.start(run.planId(), run);
        try {
            if (run.kind().equals("merge")) {
                runner.runMerge(new PlanRunner.MergeJob(run.planId(), run.tenant(), run.attempt(), run.datasetId(),
                        run.version(), creds.get()));
            } else {
                runner.run(new PlanRunner.Job(run.planId(), run.tenant(), run.attempt(), run.datasetId(), run.version(),
                        run.fields(), run.spec().registries(), run.spec().website(), creds.get()));
            }
        } finally {
            running.finish(attempt); // clears an interrupt from a heartbeat that found the lease lost
            runner.clearStop(run.planId(), run.attempt());
            callerTokens.remove(run.planId());
        }
        if (stopping && releaseOnStop) {
            try {
                queue.release(run.planId(), run.tenant(), run.attempt());
            } catch (RuntimeException e) {
                LOG.warnf("plan %s: not released at shutdown (%s); its lease will expire", run.planId(), e.getMessage());
            }
            return false;
        }
        return queue.state(run.planId(), run.tenant()).map(s -> "done".equals(s[0])).orElse(false)
                && "ready".equals(runner.status(run.planId(), run.tenant()));
    }

    @Scheduled(identity = "plan-run-heartbeat", every = "${hotpass.enrichment.runners.heartbeat:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        for (RunningAttempts.Attempt<ClaimedRun> a : running.list()) {
            ClaimedRun r = a.local();
            try {
                if (!queue.renew(r.planId(), r.tenant(), r.attempt(), owner())
                        && running.stop(a, () -> runner.requestStop(r.planId(), r.attempt()))) {
                    LOG.warnf("plan %s: attempt %d lost its lease; stopped it", r.planId(), r.attempt());
                }
            } catch (RuntimeException e) {
                // A renewal that keeps failing lets the lease run out under a live runner: say so.
                LOG.warnf("lease renewal of plan %s failed (the lease runs out if this goes on): %s%s", r.planId(), e.getMessage(),
                        e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")");
            }
        }
    }
}
