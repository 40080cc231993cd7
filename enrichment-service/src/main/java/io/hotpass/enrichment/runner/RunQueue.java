package io.hotpass.enrichment.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.platform.tenancy.TenantSession;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import io.hotpass.platform.runner.RunLauncher;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The durable run queue ({@code plan_run}). A plan's run is queued in the transaction that creates
 * the plan; a dispatcher claims it with {@code FOR UPDATE SKIP LOCKED} in the tenant's session, and
 * the claim starts the attempt over in the same transaction: the plan's partial changes and
 * progress are deleted, the attempt number goes up and a lease is taken. A runner renews the lease
 * and every write it makes checks the attempt, so a runner whose lease expired (and whose plan was
 * claimed again) writes nothing more. Runs whose lease expired are claimed again until
 * {@code max-attempts} is spent, then the plan fails with {@code run_interrupted}.
 */
@ApplicationScoped
public class RunQueue implements io.hotpass.platform.runner.RunQueue<ClaimedRun> {

    private static final Logger LOG = Logger.getLogger(RunQueue.class);

    // Candidate (named by plan_runs_claimable) and Active (plan_runs_active) are the platform queue's records;
    // their runId is the plan's id.

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "hotpass.enrichment.runners.lease", defaultValue = "PT60S")
    Duration lease;

    @ConfigProperty(name = "hotpass.enrichment.runners.max-attempts", defaultValue = "3")
    int maxAttempts;

    /** Queues the plan's run; call inside the transaction that creates the plan (the connection is enlisted). */
    public void enqueue(UUID planId, String tenant, RunSpec spec) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into plan_run (plan_id, tenant_id, spec) values (?, ?, ?::jsonb)")) {
            ps.setObject(1, planId);
            ps.setString(2, tenant);
            ps.setString(3, mapper.writeValueAsString(spec));
            ps.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not queue the plan's run", e);
        }
    }

    /** Queued runs and runs whose lease expired, oldest first, across tenants. */
    @Override
    public List<Candidate> claimable(int max) {
        List<Candidate> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select run_plan_id, run_tenant from plan_runs_claimable(?)")) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Candidate(rs.getObject(1, UUID.class), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not list claimable runs", e);
        }
        return out;
    }

    /** Runs in state running across tenants. */
    @Override
    public List<Active> active() {
        List<Active> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select run_plan_id, run_tenant, run_attempts, run_job, run_claimed_at, run_lease_expires_at"
                        + " from plan_runs_active()")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Active(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class), rs.getObject(6, OffsetDateTime.class)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not list active runs", e);
        }
        return out;
    }

    /** The tenant of a queued plan (for {@code --run <planId>}, which is given the plan only). */
    public Optional<String> tenantOf(UUID planId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select plan_run_tenant(?)")) {
            ps.setObject(1, planId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.ofNullable(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not look up the plan's run", e);
        }
    }

    /**
     * Claims the run if it is still queued or its lease expired and nobody else holds its row lock.
     * In the same transaction the plan starts over (partial changes deleted, progress reset). A run
     * whose attempts are spent is failed instead ({@code run_interrupted}); then null is returned.
     */
    @Override
    public ClaimedRun claim(Candidate cand, String owner, RunLauncher<ClaimedRun> launcher) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                TenantSession.apply(c, cand.tenant());
                ClaimedRun run = claim(c, cand, owner, launcher);
                c.commit();
                return run;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not claim plan " + cand.runId(), e);
        }
    }

    private ClaimedRun claim(Connection c, Candidate cand, String owner, RunLauncher<ClaimedRun> launcher)
            throws SQLException {
        String specJson;
        int attempts;
        String state;
        try (PreparedStatement ps = c.prepareStatement("select spec::text, attempts, state from plan_run where plan_id = ?"
                + " and (state = 'queued' or (state = 'running' and lease_expires_at < now())) for update skip locked")) {
            ps.setObject(1, cand.runId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null; // claimed by someone else, finished, or renewed meanwhile
                }
                specJson = rs.getString(1);
                attempts = rs.getInt(2);
                state = rs.getString(3);
            }
        }
        if (attempts >= maxAttempts) {
            String detail = "the run was interrupted " + attempts + " times (its process or database stopped);"
                    + " nothing of it was kept. Create the plan again.";
            finish(c, cand.runId(), cand.tenant(), "run_interrupted", detail);
            LOG.warnf("plan %s (tenant %s): lease expired after %d attempts; failed", cand.runId(), cand.tenant(),
                    attempts);
            return null;
        }
        int attempt = attempts + 1;
        String job = launcher.runnerJob(cand.runId(), attempt);
        try (PreparedStatement ps = c.prepareStatement("update plan_run set state = 'running', attempts = ?,"
                + " lease_owner = ?, lease_expires_at = now() + ?::interval, claimed_at = now(), runner_job = ?"
                + " where plan_id = ?")) {
            ps.setInt(1, attempt);
            ps.setString(2, owner);
            ps.setString(3, launcher.initialLease().toMillis() + " milliseconds");
            ps.setString(4, job);
            ps.setObject(5, cand.runId());
            ps.executeUpdate();
        }
        ClaimedRun run = startOver(c, cand.runId(), cand.tenant(), attempt, specJson, job);
        metrics.counter("hotpass.enrichment.plan.runs.claimed", "restart", Boolean.toString(state.equals("running")))
                .increment();
        if (state.equals("running")) {
            LOG.infof("plan %s: attempt %d starts over (lease of attempt %d expired)", cand.runId(), attempt, attempts);
        }
        return run;
    }

    /**
     * The attempt starts from nothing: the plan's changes and progress (left by an earlier attempt
     * or an earlier pod of this one) are deleted in the transaction that gives the attempt the run.
     */
    private ClaimedRun startOver(Connection c, UUID planId, String tenant, int attempt, String specJson, String job)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from plan_change where tenant_id = ? and plan_id = ?")) {
            ps.setString(1, tenant);
            ps.setObject(2, planId);
            int dropped = ps.executeUpdate();
            if (dropped > 0) {
                LOG.infof("plan %s: %d partial changes of an earlier attempt dropped", planId, dropped);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("update enrichment_plan set status = 'running', rows_done = 0,"
                + " rows_total = null, changes_count = 0, error_code = null, error_detail = null, updated_at = now()"
                + " where id = ? returning kind, dataset_id, dataset_version, fields")) {
            ps.setObject(1, planId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("plan " + planId + " has a run but no plan row");
                }
                Array fields = rs.getArray(4);
                return new ClaimedRun(planId, tenant, attempt, rs.getString(1), rs.getObject(2, UUID.class),
                        rs.getInt(3), Arrays.asList((String[]) fields.getArray()), readSpec(specJson), job);
            }
        }
    }

    /**
     * A runner Job takes over the attempt the dispatcher claimed for it: the run must still be
     * running under that Job's name (a Job of an older attempt gets null and does nothing).
     */
    public ClaimedRun takeOver(UUID planId, String tenant, String job, String owner) {
        ClaimedRun[] out = {null};
        inTenant(tenant, c -> {
            String specJson;
            int attempt;
            try (PreparedStatement ps = c.prepareStatement("select spec::text, attempts from plan_run where plan_id = ?"
                    + " and state = 'running' and runner_job = ? for update")) {
                ps.setObject(1, planId);
                ps.setString(2, job);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return;
                    }
                    specJson = rs.getString(1);
                    attempt = rs.getInt(2);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update plan_run set lease_owner = ?, lease_expires_at ="
                    + " now() + ?::interval where plan_id = ?")) {
                ps.setString(1, owner);
                ps.setString(2, lease.toMillis() + " milliseconds");
                ps.setObject(3, planId);
                ps.executeUpdate();
            }
            out[0] = startOver(c, planId, tenant, attempt, specJson, job);
        });
        return out[0];
    }

    /** Renews the lease of this attempt; false when the attempt no longer holds it. */
    public boolean renew(UUID planId, String tenant, int attempt, String owner) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            TenantSession.apply(c, tenant);
            try (PreparedStatement ps = c.prepareStatement("update plan_run set lease_expires_at = now() + ?::interval,"
                    + " lease_owner = ? where plan_id = ? and state = 'running' and attempts = ?")) {
                ps.setString(1, lease.toMillis() + " milliseconds");
                ps.setString(2, owner);
                ps.setObject(3, planId);
                ps.setInt(4, attempt);
                boolean held = ps.executeUpdate() == 1;
                c.commit();
                return held;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not renew the lease of plan " + planId, e);
        }
    }

    /**
     * The runner of this attempt is gone (its Job vanished): queue the plan again while attempts
     * remain, else fail it with {@code code}. Does nothing when another attempt holds the run.
     */
    @Override
    public void requeueOrFail(UUID planId, String tenant, int attempt, String code, String detail) {
        inTenant(tenant, c -> {
            Integer attempts = lockRunning(c, planId, attempt);
            if (attempts == null) {
                return;
            }
            if (attempts >= maxAttempts) {
                finish(c, planId, tenant, code, detail);
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("update plan_run set state = 'queued', lease_owner = null,"
                    + " lease_expires_at = null, runner_job = null where plan_id = ?")) {
                ps.setObject(1, planId);
                ps.executeUpdate();
            }
            metrics.counter("hotpass.enrichment.plan.runs.requeued", "reason", code).increment();
            LOG.warnf("plan %s: attempt %d lost its runner (%s); queued again", planId, attempt, code);
        });
    }

    /**
     * Puts a run this process stopped on purpose (shutdown) back in the queue without spending its
     * attempt; the next claim starts it over. Does nothing when the attempt no longer holds the run.
     */
    public void release(UUID planId, String tenant, int attempt) {
        inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("update plan_run set state = 'queued', attempts = attempts - 1,"
                    + " lease_owner = null, lease_expires_at = null, claimed_at = null, runner_job = null"
                    + " where plan_id = ? and state = 'running' and attempts = ?")) {
                ps.setObject(1, planId);
                ps.setInt(2, attempt);
                if (ps.executeUpdate() == 1) {
                    metrics.counter("hotpass.enrichment.plan.runs.requeued", "reason", "shutdown").increment();
                    LOG.infof("plan %s: released at shutdown; queued again", planId);
                }
            }
        });
    }

    /** Fails the plan of this attempt with {@code code} (when that attempt still holds the run). */
    @Override
    public void fail(UUID planId, String tenant, int attempt, String code, String detail) {
        inTenant(tenant, c -> {
            if (lockRunning(c, planId, attempt) != null) {
                finish(c, planId, tenant, code, detail);
            }
        });
    }

    /** The run's state and attempt as the tenant sees it (tests, {@code --run}). */
    public Optional<Object[]> state(UUID planId, String tenant) {
        Object[][] out = {null};
        inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("select state, attempts, runner_job from plan_run where"
                    + " plan_id = ?")) {
                ps.setObject(1, planId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out[0] = new Object[] {rs.getString(1), rs.getInt(2), rs.getString(3)};
                    }
                }
            }
        });
        return Optional.ofNullable(out[0]);
    }

    private static Integer lockRunning(Connection c, UUID planId, int attempt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select attempts from plan_run where plan_id = ? and state ="
                + " 'running' and attempts = ? for update")) {
            ps.setObject(1, planId);
            ps.setInt(2, attempt);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    /** Closes the run and fails the plan, keeping none of its changes. */
    private void finish(Connection c, UUID planId, String tenant, String code, String detail) throws SQLException {
        metrics.counter("hotpass.enrichment.plan.runs.failed", "code", code).increment();
        try (PreparedStatement ps = c.prepareStatement("update plan_run set state = 'done', finished_at = now(),"
                + " lease_owner = null, lease_expires_at = null where plan_id = ?")) {
            ps.setObject(1, planId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("delete from plan_change where tenant_id = ? and plan_id = ?")) {
            ps.setString(1, tenant);
            ps.setObject(2, planId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("update enrichment_plan set status = 'failed', error_code = ?,"
                + " error_detail = ?, changes_count = 0, updated_at = now() where id = ?")) {
            ps.setString(1, code);
            ps.setString(2, detail);
            ps.setObject(3, planId);
            ps.executeUpdate();
        }
    }

    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private void inTenant(String tenant, Work work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                TenantSession.apply(c, tenant);
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("run queue: " + e.getMessage(), e);
        }
    }

    private RunSpec readSpec(String json) {
        try {
            return mapper.readValue(json, RunSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable run spec", e);
        }
    }
}
