package io.hotpass.contracts.validation;

import io.hotpass.contracts.contract.ContractService;
import io.hotpass.contracts.contract.ContractVersion;
import io.hotpass.contracts.engine.ValidationReport;
import io.hotpass.contracts.profile.ColumnProfile;
import io.hotpass.contracts.profile.ProfileStore;
import io.hotpass.contracts.spec.ContractDocument;
import io.hotpass.platform.outbox.Outbox;
import io.hotpass.platform.runner.RunLauncher;
import io.hotpass.platform.runner.RunQueue;
import io.hotpass.platform.tenancy.TenantSession;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The durable queue of asynchronous validation runs ({@code validation_run_queue}). A run is queued
 * in the transaction that records it; a dispatcher claims it with {@code FOR UPDATE SKIP LOCKED} in
 * the tenant's session, taking a lease and a new attempt number. A runner renews the lease with its
 * progress, and every write it makes (progress, the result, a failure) first checks that its attempt
 * still holds the run, in the same transaction: a runner whose lease expired (and whose run was
 * claimed again) writes nothing more. Runs whose lease expired are claimed again until
 * {@code max-attempts} is spent, then they end in {@code error} with code {@code run_interrupted}.
 * A validation keeps nothing partial between attempts (its result is written once, at the end), so a
 * new attempt only resets the progress.
 */
@ApplicationScoped
public class ValidationQueue implements RunQueue<ClaimedValidation> {

    private static final Logger LOG = Logger.getLogger(ValidationQueue.class);
    public static final String INTERRUPTED = "run_interrupted";

    @Inject
    EntityManager em;

    @Inject
    TenantSession tenantSession;

    @Inject
    Outbox outbox;

    @Inject
    ContractService contracts;

    @Inject
    ProfileStore profiles;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "hotpass.contracts.runners.lease", defaultValue = "PT60S")
    Duration lease;

    @ConfigProperty(name = "hotpass.contracts.runners.max-attempts", defaultValue = "3")
    int maxAttempts;

    /** Queues a run recorded in the current transaction (the tenant's session is already set). */
    void enqueue(UUID runId, String tenant) {
        em.flush(); // the run row first: the queue row references it
        em.createNativeQuery("insert into validation_run_queue (run_id, tenant_id) values (?1, ?2)")
                .setParameter(1, runId).setParameter(2, tenant).executeUpdate();
    }

    @Override
    public List<Candidate> claimable(int max) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select run_id, run_tenant from validation_runs_claimable(?1)").setParameter(1, max).getResultList());
        List<Candidate> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(new Candidate((UUID) r[0], (String) r[1]));
        }
        return out;
    }

    @Override
    public List<Active> active() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select run_id, run_tenant, run_attempts, run_job, run_claimed_at, run_lease_expires_at"
                        + " from validation_runs_active()").getResultList());
        List<Active> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(new Active((UUID) r[0], (String) r[1], ((Number) r[2]).intValue(), (String) r[3], time(r[4]),
                    time(r[5])));
        }
        return out;
    }

    /** The tenant of a queued run (for {@code --run <runId>}, which is given the run only). */
    public Optional<String> tenantOf(UUID runId) {
        Object t = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select validation_run_queue_tenant(?1)").setParameter(1, runId).getSingleResult());
        return Optional.ofNullable((String) t);
    }

    /**
     * Claims the run if it is still queued or its lease expired and nobody else holds its row lock.
     * A run whose attempts are spent ends in error ({@code run_interrupted}) instead; then null.
     */
    @Override
    public ClaimedValidation claim(Candidate cand, String owner, RunLauncher<ClaimedValidation> launcher) {
        return inTenant(cand.tenant(), () -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select attempts, state from validation_run_queue where run_id = ?1"
                    + " and (state = 'queued' or (state = 'running' and lease_expires_at < now())) for update skip locked")
                    .setParameter(1, cand.runId()).getResultList();
            if (rows.isEmpty()) {
                return null; // claimed by someone else, finished, or renewed meanwhile
            }
            int attempts = ((Number) rows.get(0)[0]).intValue();
            String state = (String) rows.get(0)[1];
            if (attempts >= maxAttempts) {
                finishInError(cand.runId(), cand.tenant(), INTERRUPTED, "the run was interrupted " + attempts
                        + " times (its runner, process or database stopped); nothing of it was kept. Validate the"
                        + " version again.");
                LOG.warnf("validation run %s (tenant %s): lease expired after %d attempts; failed", cand.runId(),
                        cand.tenant(), attempts);
                return null;
            }
            int attempt = attempts + 1;
            String job = launcher.runnerJob(cand.runId(), attempt);
            em.createNativeQuery("update validation_run_queue set state = 'running', attempts = ?1, lease_owner = ?2,"
                    + " lease_expires_at = now() + cast(?3 as interval), claimed_at = now(), runner_job = ?4"
                    + " where run_id = ?5").setParameter(1, attempt).setParameter(2, owner)
                    .setParameter(3, launcher.initialLease().toMillis() + " milliseconds").setParameter(4, job)
                    .setParameter(5, cand.runId()).executeUpdate();
            ClaimedValidation run = startOver(cand.runId(), cand.tenant(), attempt, job);
            metrics.counter("hotpass.contracts.validation.runs.claimed", "restart",
                    Boolean.toString(state.equals("running"))).increment();
            if (state.equals("running")) {
                LOG.infof("validation run %s: attempt %d starts over (lease of attempt %d expired)", cand.runId(),
                        attempt, attempts);
            }
            return run;
        });
    }

    /** The attempt starts from nothing: progress back to 0, the run {@code running}. */
    private ClaimedValidation startOver(UUID runId, String tenant, int attempt, String job) {
        ValidationRun r = em.find(ValidationRun.class, runId, LockModeType.PESSIMISTIC_WRITE);
        if (r == null) {
            throw new IllegalStateException("validation run " + runId + " is queued but has no run row");
        }
        r.status = "running";
        r.rowsRead = 0L;
        return new ClaimedValidation(runId, tenant, attempt, job, r.datasetId, r.datasetName, r.datasetVersion,
                r.contractId);
    }

    /**
     * A runner Job takes over the attempt the dispatcher claimed for it: the run must still be
     * running under that Job's name (a Job of an older attempt gets null and does nothing).
     */
    public ClaimedValidation takeOver(UUID runId, String tenant, String job, String owner) {
        return inTenant(tenant, () -> {
            @SuppressWarnings("unchecked")
            List<Object> rows = em.createNativeQuery("select attempts from validation_run_queue where run_id = ?1"
                    + " and state = 'running' and runner_job = ?2 for update").setParameter(1, runId)
                    .setParameter(2, job).getResultList();
            if (rows.isEmpty()) {
                return null;
            }
            int attempt = ((Number) rows.get(0)).intValue();
            em.createNativeQuery("update validation_run_queue set lease_owner = ?1, lease_expires_at = now()"
                    + " + cast(?2 as interval) where run_id = ?3").setParameter(1, owner)
                    .setParameter(2, lease.toMillis() + " milliseconds").setParameter(3, runId).executeUpdate();
            return startOver(runId, tenant, attempt, job);
        });
    }

    /** The contract a claimed run checks (the one recorded when it was queued). */
    public ContractDocument contract(ClaimedValidation run) {
        return inTenant(run.tenant(), () -> {
            ContractVersion c = em.find(ContractVersion.class, run.contractId());
            if (c == null) {
                throw new IllegalStateException("contract " + run.contractId() + " of run " + run.runId() + " is gone");
            }
            return contracts.document(c);
        });
    }

    /**
     * Renews the lease of this attempt and records its progress; false when the attempt no longer
     * holds the run (its runner must stop: another attempt has it, or it ended).
     */
    public boolean renew(ClaimedValidation run, String owner, long rowsRead) {
        return inTenant(run.tenant(), () -> {
            if (!hold(run, owner)) {
                return false;
            }
            em.createNativeQuery("update validation_run set rows_read = ?1 where id = ?2").setParameter(1, rowsRead)
                    .setParameter(2, run.runId()).executeUpdate();
            return true;
        });
    }

    /** Locks the run's queue row for this attempt and renews its lease; false when the attempt lost it. */
    private boolean hold(ClaimedValidation run, String owner) {
        int n = em.createNativeQuery("update validation_run_queue set lease_expires_at = now() + cast(?1 as interval),"
                + " lease_owner = ?2 where run_id = ?3 and state = 'running' and attempts = ?4")
                .setParameter(1, lease.toMillis() + " milliseconds").setParameter(2, owner).setParameter(3, run.runId())
                .setParameter(4, run.attempt()).executeUpdate();
        return n == 1;
    }

    /**
     * Stores the attempt's result, its profile (and drift alerts) and its lineage COMPLETE event, and
     * closes the run, all in one transaction and only while the attempt holds the run. False when it
     * does not (nothing is written).
     */
    public boolean complete(ClaimedValidation run, String owner, ValidationReport report, List<ColumnProfile> columns,
            ContractDocument contract, String resultJson) {
        return inTenant(run.tenant(), () -> {
            if (!hold(run, owner)) {
                return false;
            }
            ValidationRun r = em.find(ValidationRun.class, run.runId(), LockModeType.PESSIMISTIC_WRITE);
            r.status = report.status();
            r.rowCount = report.rowCount();
            r.rowsRead = report.rowCount();
            r.durationMs = report.durationMillis();
            r.result = resultJson;
            r.finishedAt = OffsetDateTime.now(ZoneOffset.UTC);
            outbox.enqueue("lineage", "RunEvent", run.tenant(), LineageEvents.complete(r, report));
            profiles.saveInTenant(run.tenant(), run.runId(), run.datasetId(), run.datasetName(), run.version(),
                    report.rowCount(), columns, contract.drift());
            close(run.runId());
            return true;
        });
    }

    /** Ends the run of this attempt in error with {@code code} (when that attempt still holds it). */
    @Override
    public void fail(UUID runId, String tenant, int attempt, String code, String detail) {
        inTenant(tenant, () -> {
            if (lockRunning(runId, attempt) != null) {
                finishInError(runId, tenant, code, detail);
            }
            return null;
        });
    }

    @Override
    public void requeueOrFail(UUID runId, String tenant, int attempt, String code, String detail) {
        inTenant(tenant, () -> {
            Integer attempts = lockRunning(runId, attempt);
            if (attempts == null) {
                return null;
            }
            if (attempts >= maxAttempts) {
                finishInError(runId, tenant, code, detail);
                return null;
            }
            em.createNativeQuery("update validation_run_queue set state = 'queued', lease_owner = null,"
                    + " lease_expires_at = null, runner_job = null where run_id = ?1").setParameter(1, runId)
                    .executeUpdate();
            em.createNativeQuery("update validation_run set status = 'queued', rows_read = 0 where id = ?1")
                    .setParameter(1, runId).executeUpdate();
            metrics.counter("hotpass.contracts.validation.runs.requeued", "reason", code).increment();
            LOG.warnf("validation run %s: attempt %d lost its runner (%s); queued again", runId, attempt, code);
            return null;
        });
    }

    /**
     * Puts a run this process stopped on purpose (shutdown) back in the queue without spending its
     * attempt. Does nothing when the attempt no longer holds the run.
     */
    public void release(UUID runId, String tenant, int attempt) {
        inTenant(tenant, () -> {
            int n = em.createNativeQuery("update validation_run_queue set state = 'queued', attempts = attempts - 1,"
                    + " lease_owner = null, lease_expires_at = null, claimed_at = null, runner_job = null"
                    + " where run_id = ?1 and state = 'running' and attempts = ?2").setParameter(1, runId)
                    .setParameter(2, attempt).executeUpdate();
            if (n == 1) {
                em.createNativeQuery("update validation_run set status = 'queued', rows_read = 0 where id = ?1")
                        .setParameter(1, runId).executeUpdate();
                metrics.counter("hotpass.contracts.validation.runs.requeued", "reason", "shutdown").increment();
                LOG.infof("validation run %s: released at shutdown; queued again", runId);
            }
            return null;
        });
    }

    /** The queue row's state and attempts as the tenant sees it ({@code --run}, tests). */
    public Optional<Object[]> state(UUID runId, String tenant) {
        return inTenant(tenant, () -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select state, attempts, runner_job from validation_run_queue"
                    + " where run_id = ?1").setParameter(1, runId).getResultList();
            return rows.isEmpty() ? Optional.<Object[]>empty() : Optional.of(rows.get(0));
        });
    }

    private Integer lockRunning(UUID runId, int attempt) {
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("select attempts from validation_run_queue where run_id = ?1 and state ="
                + " 'running' and attempts = ?2 for update").setParameter(1, runId).setParameter(2, attempt)
                .getResultList();
        return rows.isEmpty() ? null : ((Number) rows.get(0)).intValue();
    }

    /** Closes the queue row and ends the run in error with its lineage FAIL event. */
    private void finishInError(UUID runId, String tenant, String code, String detail) {
        metrics.counter("hotpass_validations_total", "status", "error").increment();
        close(runId);
        ValidationRun r = em.find(ValidationRun.class, runId, LockModeType.PESSIMISTIC_WRITE);
        r.status = "error";
        r.errorCode = code;
        r.error = detail;
        r.finishedAt = OffsetDateTime.now(ZoneOffset.UTC);
        outbox.enqueue("lineage", "RunEvent", tenant, LineageEvents.fail(r, detail));
    }

    private void close(UUID runId) {
        em.createNativeQuery("update validation_run_queue set state = 'done', finished_at = now(), lease_owner = null,"
                + " lease_expires_at = null where run_id = ?1").setParameter(1, runId).executeUpdate();
    }

    private <T> T inTenant(String tenant, Supplier<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            tenantSession.apply(tenant);
            return work.get();
        });
    }

    private static OffsetDateTime time(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof OffsetDateTime t) {
            return t;
        }
        if (o instanceof java.time.Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        if (o instanceof java.sql.Timestamp ts) {
            return ts.toInstant().atOffset(ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(o.toString());
    }
}
