package io.hotpass.contracts.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.contracts.client.IngestClient;
import io.hotpass.contracts.spec.ContractDocument;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.runner.RunnerProcess;
import io.hotpass.platform.runner.RunningAttempts;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Executes one claimed attempt of a queued validation in the calling thread (a pool thread of the
 * in-process launcher, or the main thread of a {@code --run} process) and keeps its lease: every
 * heartbeat renews the lease of each attempt running here and records how many rows it has read;
 * an attempt that lost its lease is interrupted (its writes are refused by the fence anyway). Runs
 * read ingest with the platform service API key for the run's tenant; credentials are never stored.
 */
@ApplicationScoped
public class ValidationExecutor {

    private static final Logger LOG = Logger.getLogger(ValidationExecutor.class);

    private record Local(ClaimedValidation run, AtomicLong rowsRead) {
    }

    @Inject
    ValidationService validations;

    @Inject
    ValidationQueue queue;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "hotpass.contracts.service-api-key")
    Optional<String> serviceApiKey;

    private final RunningAttempts<Local> running = new RunningAttempts<>();
    private volatile boolean stopping;
    /** Without a service API key: the queuing caller's token, in memory only, for a run in this process. */
    private final Map<UUID, String> callerTokens = new ConcurrentHashMap<>();

    /** Without a service API key, keeps the queuing caller's token (in memory only) for the run here. */
    public void rememberCallerToken(UUID runId, String token) {
        if (token != null && serviceApiKey.filter(k -> !k.isBlank()).isEmpty()) {
            callerTokens.put(runId, token);
        }
    }

    /** Credentials of a run: the service API key for the run's tenant, else a queuing caller's token held here. */
    Optional<IngestClient.Credentials> credentials(ClaimedValidation run) {
        Optional<IngestClient.Credentials> key = serviceApiKey.filter(k -> !k.isBlank())
                .map(k -> IngestClient.Credentials.serviceKey(k, run.tenant()));
        if (key.isPresent()) {
            return key;
        }
        return Optional.ofNullable(callerTokens.get(run.runId())).map(IngestClient.Credentials::bearer);
    }

    /** Shutdown begins: runs interrupted from now on are released to the queue, not failed. */
    public void stopping() {
        stopping = true;
    }

    /**
     * Runs the attempt to its end here; true when the run finished with a result (passed, warned or
     * failed). With {@code releaseOnStop} (the in-process pool), an attempt cut short by this process
     * shutting down goes back to the queue without spending an attempt, so a rolling update does not
     * fail runs.
     */
    public boolean execute(ClaimedValidation run, boolean releaseOnStop) {
        String owner = RunnerProcess.owner();
        Optional<IngestClient.Credentials> creds = credentials(run);
        if (creds.isEmpty()) {
            queue.fail(run.runId(), run.tenant(), run.attempt(), "runner_credentials_missing",
                    "the runner has no credentials for ingest-service: set HOTPASS_SERVICE_API_KEY");
            return false;
        }
        Local local = new Local(run, new AtomicLong());
        RunningAttempts.Attempt<Local> attempt = running.start(run.runId(), local);
        try {
            ContractDocument contract = queue.contract(run);
            ValidationService.Computed c = validations.compute(run.datasetId(), run.version(), contract, creds.get(),
                    local.rowsRead());
            if (!queue.complete(run, owner, c.report(), c.profiles(), contract, json(c))) {
                LOG.warnf("validation run %s: attempt %d lost its lease; its result is dropped", run.runId(), run.attempt());
                return false;
            }
            metrics.counter("hotpass_validations_total", "status", c.report().status()).increment();
            return true;
        } catch (RuntimeException e) {
            if (stopping && releaseOnStop) {
                try {
                    queue.release(run.runId(), run.tenant(), run.attempt());
                } catch (RuntimeException r) {
                    LOG.warnf("validation run %s: not released at shutdown (%s); its lease will expire", run.runId(),
                            r.getMessage());
                }
                return false;
            }
            String code = e instanceof ProblemException p ? p.code() : "upstream_unavailable";
            String detail = e instanceof ProblemException ? e.getMessage() : ValidationService.BROKE_OFF;
            if (!(e instanceof ProblemException)) {
                LOG.errorf(e, "validation run %s: attempt %d broke off", run.runId(), run.attempt());
            }
            queue.fail(run.runId(), run.tenant(), run.attempt(), code, detail); // fenced: a stale attempt writes nothing
            return false;
        } finally {
            running.finish(attempt); // clears an interrupt from a heartbeat that found the lease lost
            callerTokens.remove(run.runId());
        }
    }

    private String json(ValidationService.Computed c) {
        try {
            return mapper.writeValueAsString(c.report().expectations());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Scheduled(identity = "validation-run-heartbeat", every = "${hotpass.contracts.runners.heartbeat:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        for (RunningAttempts.Attempt<Local> a : running.list()) {
            Local l = a.local();
            try {
                if (!queue.renew(l.run(), RunnerProcess.owner(), l.rowsRead().get()) && running.stop(a, () -> { })) {
                    LOG.warnf("validation run %s: attempt %d lost its lease; stopped it", l.run().runId(),
                            l.run().attempt());
                }
            } catch (RuntimeException e) {
                // A renewal that keeps failing lets the lease run out under a live runner: say so.
                LOG.warnf("lease renewal of validation run %s failed (the lease runs out if this goes on): %s%s", l.run().runId(), e.getMessage(),
                        e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")");
            }
        }
    }
}
