package io.hotpass.ingest.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.ingest.run.RunService;
import io.hotpass.ingest.run.RunStates;
import io.hotpass.ingest.upload.UploadOptions;
import io.hotpass.platform.runner.RunLauncher;
import io.hotpass.platform.runner.RunQueue;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The durable queue of asynchronous uploads ({@code upload_run_queue}) and their staged files
 * ({@code upload_staged_chunk}). A run is queued in the transaction that stages its file; a
 * dispatcher claims it with {@code FOR UPDATE SKIP LOCKED} in the tenant's session, taking a lease
 * and a new attempt number. A runner renews the lease while it parses, and every write that ends the
 * run (the version, a failure) first checks in the same transaction that its attempt still holds
 * the run: a runner whose lease expired (and whose run was claimed again) writes nothing, so a run
 * never makes two versions. Runs whose lease expired are claimed again until {@code max-attempts}
 * is spent, then they fail with {@code run_interrupted}. An upload keeps nothing partial between
 * attempts (its version is one transaction), so a new attempt only resets the progress. Whatever
 * ends a run also deletes its staged file.
 */
@ApplicationScoped
public class UploadQueue implements RunQueue<ClaimedUpload> {

    private static final Logger LOG = Logger.getLogger(UploadQueue.class);
    public static final String INTERRUPTED = "run_interrupted";

    @Inject
    DataSource dataSource;

    @Inject
    RunService runs;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "hotpass.ingest.runners.lease", defaultValue = "PT60S")
    Duration lease;

    @ConfigProperty(name = "hotpass.ingest.runners.max-attempts", defaultValue = "3")
    int maxAttempts;

    /** Queues a run staged on the caller's connection (the tenant's session is already set). */
    public void enqueue(Connection c, UUID runId, String tenant, UploadOptions o, String subject, long stagedBytes)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into upload_run_queue (run_id, tenant_id, options,"
                + " subject, staged_bytes) values (?, ?, ?::jsonb, ?, ?)")) {
            ps.setObject(1, runId);
            ps.setString(2, tenant);
            ps.setString(3, options(o));
            ps.setString(4, subject);
            ps.setLong(5, stagedBytes);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("update upload_run set total_bytes = ? where id = ?")) {
            ps.setLong(1, stagedBytes);
            ps.setObject(2, runId);
            ps.executeUpdate();
        }
    }

    /** Stages one chunk of a run's file on the caller's connection. */
    public static void stage(Connection c, UUID runId, String tenant, int seq, byte[] bytes, int len) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into upload_staged_chunk (run_id, seq, tenant_id, bytes) values (?, ?, ?, ?)")) {
            ps.setObject(1, runId);
            ps.setInt(2, seq);
            ps.setString(3, tenant);
            ps.setBinaryStream(4, new java.io.ByteArrayInputStream(bytes, 0, len), len);
            ps.executeUpdate();
        }
    }

    /** Chunk {@code seq} of a run's staged file; null past its end. */
    public byte[] chunk(ClaimedUpload run, int seq) {
        return runs.inTenant(run.tenant(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select bytes from upload_staged_chunk where run_id = ? and seq = ?")) {
                ps.setObject(1, run.runId());
                ps.setInt(2, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
    }

    @Override
    public List<Candidate> claimable(int max) {
        return global("select run_id, run_tenant from upload_runs_claimable(?)", max, rs -> new Candidate(
                rs.getObject(1, UUID.class), rs.getString(2)));
    }

    @Override
    public List<Active> active() {
        return global("select run_id, run_tenant, run_attempts, run_job, run_claimed_at, run_lease_expires_at"
                + " from upload_runs_active()", null, rs -> new Active(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getInt(3), rs.getString(4), odt(rs.getTimestamp(5)), odt(rs.getTimestamp(6))));
    }

    /** The tenant of a queued run (for {@code --run <runId>}, which is given the run only). */
    public Optional<String> tenantOf(UUID runId) {
        List<String> t = global("select upload_run_queue_tenant(?::uuid)", runId, rs -> rs.getString(1));
        return t.isEmpty() ? Optional.empty() : Optional.ofNullable(t.get(0));
    }

    /**
     * Claims the run if it is still queued or its lease expired and nobody else holds its row lock.
     * A run whose attempts are spent fails ({@code run_interrupted}) instead; then null.
     */
    @Override
    public ClaimedUpload claim(Candidate cand, String owner, RunLauncher<ClaimedUpload> launcher) {
        return runs.inTenant(cand.tenant(), c -> {
            int attempts;
            String state;
            try (PreparedStatement ps = c.prepareStatement("select attempts, state from upload_run_queue where run_id = ?"
                    + " and (state = 'queued' or (state = 'running' and lease_expires_at < now())) for update skip locked")) {
                ps.setObject(1, cand.runId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null; // claimed by someone else, finished, or renewed meanwhile
                    }
                    attempts = rs.getInt(1);
                    state = rs.getString(2);
                }
            }
            if (attempts >= maxAttempts) {
                end(c, cand.runId(), cand.tenant(), INTERRUPTED, "the upload was interrupted " + attempts
                        + " times (its runner, process or database stopped); nothing of it was stored. Upload the"
                        + " file again.");
                LOG.warnf("upload run %s (tenant %s): lease expired after %d attempts; failed", cand.runId(),
                        cand.tenant(), attempts);
                return null;
            }
            int attempt = attempts + 1;
            String job = launcher.runnerJob(cand.runId(), attempt);
            try (PreparedStatement ps = c.prepareStatement("update upload_run_queue set state = 'running', attempts = ?,"
                    + " lease_owner = ?, lease_expires_at = now() + ?::interval, claimed_at = now(), runner_job = ?"
                    + " where run_id = ?")) {
                ps.setInt(1, attempt);
                ps.setString(2, owner);
                ps.setString(3, launcher.initialLease().toMillis() + " milliseconds");
                ps.setString(4, job);
                ps.setObject(5, cand.runId());
                ps.executeUpdate();
            }
            ClaimedUpload run = startOver(c, cand.runId(), cand.tenant(), attempt, job);
            metrics.counter("hotpass.ingest.upload.runs.claimed", "restart", Boolean.toString(state.equals("running")))
                    .increment();
            if (state.equals("running")) {
                LOG.infof("upload run %s: attempt %d starts over (lease of attempt %d expired)", cand.runId(), attempt,
                        attempts);
            }
            return run;
        });
    }

    /** The attempt starts from nothing: progress back to 0, the run {@code received}. */
    private ClaimedUpload startOver(Connection c, UUID runId, String tenant, int attempt, String job)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select r.dataset_id, q.subject, q.options::text, q.staged_bytes"
                + " from upload_run_queue q join upload_run r on r.id = q.run_id where q.run_id = ?")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("upload run " + runId + " is queued but has no run row");
                }
                ClaimedUpload run = new ClaimedUpload(runId, tenant, attempt, job, rs.getObject(1, UUID.class),
                        rs.getString(2), options(rs.getString(3)), rs.getLong(4));
                runs.restart(c, runId, RunStates.RECEIVED, run.stagedBytes());
                return run;
            }
        }
    }

    /**
     * A runner Job takes over the attempt the dispatcher claimed for it: the run must still be
     * running under that Job's name (a Job of an older attempt gets null and does nothing).
     */
    public ClaimedUpload takeOver(UUID runId, String tenant, String job, String owner) {
        return runs.inTenant(tenant, c -> {
            int attempt;
            try (PreparedStatement ps = c.prepareStatement("select attempts from upload_run_queue where run_id = ?"
                    + " and state = 'running' and runner_job = ? for update")) {
                ps.setObject(1, runId);
                ps.setString(2, job);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    attempt = rs.getInt(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update upload_run_queue set lease_owner = ?,"
                    + " lease_expires_at = now() + ?::interval where run_id = ?")) {
                ps.setString(1, owner);
                ps.setString(2, lease.toMillis() + " milliseconds");
                ps.setObject(3, runId);
                ps.executeUpdate();
            }
            return startOver(c, runId, tenant, attempt, job);
        });
    }

    /** Renews the lease of this attempt; false when the attempt no longer holds the run (its runner must stop). */
    public boolean renew(ClaimedUpload run, String owner) {
        return runs.inTenant(run.tenant(), c -> hold(c, run, owner));
    }

    private boolean hold(Connection c, ClaimedUpload run, String owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update upload_run_queue set lease_expires_at = now() + ?::interval,"
                + " lease_owner = ? where run_id = ? and state = 'running' and attempts = ?")) {
            ps.setString(1, lease.toMillis() + " milliseconds");
            ps.setString(2, owner);
            ps.setObject(3, run.runId());
            ps.setInt(4, run.attempt());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * The fence of the version's transaction (on its connection, just before it commits): when this
     * attempt still holds the run, closes the queue row and deletes the staged file, and answers
     * true; false when it does not (the caller rolls the version back).
     */
    public boolean finish(Connection c, ClaimedUpload run, String owner) throws SQLException {
        if (!hold(c, run, owner)) {
            return false;
        }
        close(c, run.runId());
        return true;
    }

    /** Fails the run of this attempt with {@code code} (when that attempt still holds it); drops its staged file. */
    @Override
    public void fail(UUID runId, String tenant, int attempt, String code, String detail) {
        runs.inTenant(tenant, c -> {
            if (lockRunning(c, runId, attempt) != null) {
                end(c, runId, tenant, code, detail);
            }
            return null;
        });
    }

    @Override
    public void requeueOrFail(UUID runId, String tenant, int attempt, String code, String detail) {
        runs.inTenant(tenant, c -> {
            Integer attempts = lockRunning(c, runId, attempt);
            if (attempts == null) {
                return null;
            }
            if (attempts >= maxAttempts) {
                end(c, runId, tenant, code, detail);
                return null;
            }
            requeue(c, runId, false);
            metrics.counter("hotpass.ingest.upload.runs.requeued", "reason", code).increment();
            LOG.warnf("upload run %s: attempt %d lost its runner (%s); queued again", runId, attempt, code);
            return null;
        });
    }

    /**
     * Puts a run this process stopped on purpose (shutdown) back in the queue without spending its
     * attempt. Does nothing when the attempt no longer holds the run.
     */
    public void release(UUID runId, String tenant, int attempt) {
        runs.inTenant(tenant, c -> {
            if (lockRunning(c, runId, attempt) != null) {
                requeue(c, runId, true);
                metrics.counter("hotpass.ingest.upload.runs.requeued", "reason", "shutdown").increment();
                LOG.infof("upload run %s: released at shutdown; queued again", runId);
            }
            return null;
        });
    }

    private void requeue(Connection c, UUID runId, boolean giveBackAttempt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update upload_run_queue set state = 'queued', lease_owner = null,"
                + " lease_expires_at = null, claimed_at = null, runner_job = null"
                + (giveBackAttempt ? ", attempts = attempts - 1" : "") + " where run_id = ?")) {
            ps.setObject(1, runId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("select staged_bytes from upload_run_queue where run_id = ?")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                runs.restart(c, runId, RunStates.QUEUED, rs.getLong(1));
            }
        }
    }

    /** The queue row's state, attempts and runner Job as the tenant sees it ({@code --run}, tests). */
    public Optional<Object[]> state(UUID runId, String tenant) {
        return runs.inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select state, attempts, runner_job from upload_run_queue where run_id = ?")) {
                ps.setObject(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Object[] {rs.getString(1), rs.getInt(2), rs.getString(3)})
                            : Optional.<Object[]>empty();
                }
            }
        });
    }

    private static Integer lockRunning(Connection c, UUID runId, int attempt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select attempts from upload_run_queue where run_id = ? and state ="
                + " 'running' and attempts = ? for update")) {
            ps.setObject(1, runId);
            ps.setInt(2, attempt);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    /** Closes the queue row, drops the staged file and fails the run with its lineage FAIL event. */
    private void end(Connection c, UUID runId, String tenant, String code, String detail) throws SQLException {
        close(c, runId);
        runs.failed(c, runId, tenant, code, detail);
    }

    private static void close(Connection c, UUID runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update upload_run_queue set state = 'done', finished_at = now(),"
                + " lease_owner = null, lease_expires_at = null where run_id = ?")) {
            ps.setObject(1, runId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("delete from upload_staged_chunk where run_id = ?")) {
            ps.setObject(1, runId);
            ps.executeUpdate();
        }
    }

    private String options(UploadOptions o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private UploadOptions options(String s) {
        try {
            return json.readValue(s, UploadOptions.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the queued upload's options do not read back: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** A query of a security-definer function across tenants, in its own short transaction. */
    private <T> List<T> global(String sql, Object arg, Row<T> row) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) {
                ps.setObject(1, arg);
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("upload queue: " + e.getMessage(), e);
        }
    }

    private static OffsetDateTime odt(Timestamp t) {
        return t == null ? null : t.toInstant().atOffset(ZoneOffset.UTC);
    }
}
