package io.hotpass.ingest.run;

import io.hotpass.ingest.lineage.LineageEvents;
import io.hotpass.platform.outbox.Outbox;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.tenancy.TenantSession;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Upload runs: their rows in {@code upload_run} (each change its own short transaction, so the run
 * is visible while the upload's own transaction is still open), live progress in memory, and
 * recovery of runs a stopped process left behind.
 */
@ApplicationScoped
public class RunService {

    private static final Logger LOG = Logger.getLogger(RunService.class);

    @Inject
    DataSource dataSource;

    @Inject
    Outbox outbox;

    @ConfigProperty(name = "hotpass.ingest.runs.stale-after", defaultValue = "PT2M")
    Duration staleAfter;

    @ConfigProperty(name = "hotpass.ingest.runs.stale-at-start", defaultValue = "PT15S")
    Duration staleAtStart;

    private final Map<UUID, RunProgress> live = new ConcurrentHashMap<>();

    /** Creates a run in state {@code received} and enqueues its OpenLineage START event. */
    public RunProgress start(String tenant, UUID datasetId, String datasetName, String mode, String format,
            String fileName, String subject, long totalBytes) {
        UUID id = UUID.randomUUID();
        inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into upload_run (id, tenant_id, dataset_id, state, mode,"
                    + " format, file_name, created_by, total_bytes) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setObject(1, id);
                ps.setString(2, tenant);
                ps.setObject(3, datasetId);
                ps.setString(4, RunStates.RECEIVED);
                ps.setString(5, mode);
                ps.setString(6, format);
                ps.setString(7, fileName);
                ps.setString(8, subject);
                ps.setObject(9, totalBytes > 0 ? totalBytes : null);
                ps.executeUpdate();
            }
            outbox.enqueue(c, UUID.randomUUID(), "lineage", "RunEvent", tenant, LineageEvents.runEvent("START", id,
                    tenant, "upload", datasetName, LineageEvents.fileInput(tenant, fileName, 0, null), null, null, null, null));
            return null;
        });
        RunProgress p = new RunProgress(id, tenant, totalBytes);
        live.put(id, p);
        return p;
    }

    /**
     * Records an asynchronous upload's run, {@code queued}, with its OpenLineage START event, on the
     * caller's connection: in the transaction that stages its file and queues it.
     */
    public void queued(Connection c, UUID id, String tenant, UUID datasetId, String datasetName, String mode,
            String format, String fileName, String subject) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into upload_run (id, tenant_id, dataset_id, state, mode,"
                + " format, file_name, created_by) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, tenant);
            ps.setObject(3, datasetId);
            ps.setString(4, RunStates.QUEUED);
            ps.setString(5, mode);
            ps.setString(6, format);
            ps.setString(7, fileName);
            ps.setString(8, subject);
            ps.executeUpdate();
        }
        outbox.enqueue(c, UUID.randomUUID(), "lineage", "RunEvent", tenant, LineageEvents.runEvent("START", id,
                tenant, "upload", datasetName, LineageEvents.fileInput(tenant, fileName, 0, null), null, null, null, null));
    }

    /**
     * A queued run's attempt starts over (or, with {@code state} queued, waits for its next one): its
     * counters back to 0, on the caller's connection (the queue's claim transaction).
     */
    public void restart(Connection c, UUID id, String state, long totalBytes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update upload_run set state = ?, bytes_read = 0, rows_read = 0,"
                + " rows_stored = 0, rows_quarantined = 0, total_bytes = ?, heartbeat_at = now() where id = ?"
                + " and finished_at is null")) {
            ps.setString(1, state);
            ps.setLong(2, totalBytes);
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }

    /** Live counters for a queued run an attempt of this process executes (its row exists already). */
    public RunProgress resume(UUID id, String tenant, long totalBytes) {
        RunProgress p = new RunProgress(id, tenant, totalBytes);
        live.put(id, p);
        return p;
    }

    /**
     * Fails a run on the caller's connection (the queue's fenced transaction) and enqueues its
     * OpenLineage FAIL event; for runs that did not fail in this process (a runner Job that failed,
     * attempts spent).
     */
    public void failed(Connection c, UUID id, String tenant, String code, String detail) throws SQLException {
        String datasetName = null;
        try (PreparedStatement ps = c.prepareStatement(
                "select d.name from upload_run r join dataset d on d.id = r.dataset_id where r.id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    datasetName = rs.getString(1);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("update upload_run set state = ?, error_code = ?, error_detail = ?,"
                + " heartbeat_at = now(), finished_at = now() where id = ? and tenant_id = ? and finished_at is null")) {
            ps.setString(1, RunStates.FAILED);
            ps.setString(2, code);
            ps.setString(3, detail == null ? null : detail.substring(0, Math.min(detail.length(), 1000)));
            ps.setObject(4, id);
            ps.setString(5, tenant);
            if (ps.executeUpdate() == 0) {
                return;
            }
        }
        outbox.enqueue(c, UUID.randomUUID(), "lineage", "RunEvent", tenant, LineageEvents.runEvent("FAIL", id,
                tenant, "upload", datasetName, null, null, null, null,
                Map.of("message", code + ": " + (detail == null ? "" : detail), "programmingLanguage", "JAVA")));
    }

    /** Persists the live counters and the heartbeat. */
    public void save(RunProgress p) {
        inTenant(p.tenant, c -> {
            update(c, p, null);
            return null;
        });
    }

    /**
     * Writes the counters (and, when given, the version) on a connection in the caller's transaction;
     * false when the run had already ended (failed by the stale-run sweeper, or by its queue).
     */
    public boolean update(Connection c, RunProgress p, Integer version) throws SQLException {
        boolean finished = RunStates.FINAL.contains(p.state);
        try (PreparedStatement ps = c.prepareStatement("update upload_run set state = ?, bytes_read = ?, rows_read = ?,"
                + " rows_stored = ?, rows_quarantined = ?, version = coalesce(?, version), heartbeat_at = now(),"
                + " finished_at = case when ? then now() else finished_at end where id = ? and tenant_id = ?"
                // A finished run stays as it ended (a runner that lost its lease may still report progress).
                + " and finished_at is null")) {
            ps.setString(1, p.state);
            ps.setLong(2, p.bytesRead.get());
            ps.setLong(3, p.rowsRead.get());
            ps.setLong(4, p.rowsStored.get());
            ps.setLong(5, p.rowsQuarantined.get());
            ps.setObject(6, version);
            ps.setBoolean(7, finished);
            ps.setObject(8, p.id);
            ps.setString(9, p.tenant);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Stores {@code version} as the run's result, in the transaction that commits the version; when
     * the run had already ended meanwhile — the sweeper failed it while its bytes were held up longer
     * than {@code stale-after}, and told lineage so — throws 409 {@code run_interrupted}, so the
     * version is rolled back with it: a failed run never leaves a version behind.
     */
    public void storeResult(Connection c, RunProgress p, int version) throws SQLException {
        if (!update(c, p, version)) {
            throw new ProblemException(409, "run_interrupted", "Upload run interrupted", "Run " + p.id + " was ended (failed as"
                    + " interrupted) while this upload was still arriving; nothing of it was stored. Upload the file again.");
        }
    }

    /**
     * Keeps the heartbeat of every run this process is executing, whether or not bytes arrive: a
     * run's request waiting on a slow client or a partitioned network is alive, and only its own
     * end (or its HTTP idle timeout) decides it. The sweeper fails only runs whose process stopped
     * beating. Before every sweep too, so a process that was paused longer than {@code stale-after}
     * does not fail its own live runs on waking.
     */
    @Scheduled(identity = "upload-run-alive", every = "${hotpass.ingest.runs.heartbeat-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        Map<String, java.util.List<UUID>> byTenant = new java.util.HashMap<>();
        for (RunProgress p : live.values()) {
            byTenant.computeIfAbsent(p.tenant, t -> new java.util.ArrayList<>()).add(p.id);
        }
        byTenant.forEach((tenant, ids) -> {
            try {
                inTenant(tenant, c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "update upload_run set heartbeat_at = now() where id = any(?) and finished_at is null")) {
                        ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
                        ps.executeUpdate();
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.warnf("Heartbeat of %d live upload runs of tenant %s failed (they are failed as stale if this goes on): %s",
                        ids.size(), tenant, e.getMessage());
            }
        });
    }

    /**
     * Marks a run failed (its own transaction) and enqueues the OpenLineage FAIL event; a run that
     * had already ended (the sweeper failed it and told lineage) keeps its end and gets no second one.
     */
    public void fail(RunProgress p, String datasetName, String code, String detail) {
        p.state = RunStates.FAILED;
        try {
            inTenant(p.tenant, c -> {
                if (!update(c, p, null)) {
                    return null;
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "update upload_run set error_code = ?, error_detail = ? where id = ? and tenant_id = ?")) {
                    ps.setString(1, code);
                    ps.setString(2, detail == null ? null : detail.substring(0, Math.min(detail.length(), 1000)));
                    ps.setObject(3, p.id);
                    ps.setString(4, p.tenant);
                    ps.executeUpdate();
                }
                outbox.enqueue(c, UUID.randomUUID(), "lineage", "RunEvent", p.tenant, LineageEvents.runEvent("FAIL", p.id,
                        p.tenant, "upload", datasetName, null, null, null, null,
                        Map.of("message", code + ": " + (detail == null ? "" : detail), "programmingLanguage", "JAVA")));
                return null;
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not record the failure of run %s", p.id);
        } finally {
            live.remove(p.id);
        }
    }

    public void finished(RunProgress p) {
        live.remove(p.id);
    }

    /** The run as the caller's tenant sees it (404 for another tenant's run), live counters when it runs here. */
    public RunView view(String tenant, UUID id) {
        RunView v = inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("select id, dataset_id, state, mode, format, file_name, bytes_read,"
                    + " rows_read, rows_stored, rows_quarantined, version, error_code, error_detail, started_at, finished_at,"
                    + " total_bytes from upload_run where tenant_id = ? and id = ?")) {
                ps.setString(1, tenant);
                ps.setObject(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    return new RunView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7), (Long) rs.getObject(16), rs.getLong(8),
                            rs.getLong(9), rs.getLong(10), null, null, (Integer) rs.getObject(11), rs.getString(12),
                            rs.getString(13), odt(rs.getTimestamp(14)), odt(rs.getTimestamp(15)));
                }
            }
        });
        if (v == null) {
            throw ProblemException.notFound("run_not_found", "No run " + id);
        }
        RunProgress p = live.get(id);
        if (p != null && !v.finished()) {
            // The in-memory state says stored as soon as the version is written, before its transaction
            // commits; until the committed row carries the version, the run is still committing (a
            // watcher shown "stored" here would find no version yet).
            String state = RunStates.STORED.equals(p.state) && v.version() == null ? RunStates.COMMITTING : p.state;
            v = new RunView(v.id(), v.datasetId(), state, v.mode(), v.format(), v.fileName(), p.bytesRead.get(),
                    p.totalBytes > 0 ? p.totalBytes : null, p.rowsRead.get(), p.rowsStored.get(), p.rowsQuarantined.get(),
                    p.rowsPerSecond(), p.etaSeconds(), v.version(), null, null, v.startedAt(), null);
        }
        return v;
    }

    void onStart(@Observes @Priority(100) StartupEvent ev) { // after DatabaseBootstrap (10) migrated
        // Runs left by a process that stopped: their version was never committed, so failing them is clean.
        failStale(staleAtStart);
    }

    @Scheduled(every = "${hotpass.ingest.runs.sweep-interval:60s}", delayed = "${hotpass.ingest.runs.sweep-interval:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        heartbeat(); // this process's own runs are alive, however long it was paused
        failStale(staleAfter);
    }

    /**
     * Fails every unfinished run, of any tenant, whose heartbeat is older than {@code stale}, and
     * enqueues each one's OpenLineage FAIL event in the same transaction: lineage saw the run START,
     * so without its end the run would stay open there for ever (found by the chaos drill
     * ingest-killed-during-upload). Returns how many.
     */
    public int failStale(Duration stale) {
        int n = 0;
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                java.util.List<Object[]> failed = new java.util.ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select run_id, run_tenant from fail_stale_upload_runs(?::interval)")) {
                    ps.setString(1, stale.toSeconds() + " seconds");
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            failed.add(new Object[] {rs.getObject(1), rs.getString(2)});
                        }
                    }
                }
                for (Object[] r : failed) {
                    UUID id = (UUID) r[0];
                    String tenant = (String) r[1];
                    TenantSession.apply(c, tenant);
                    String datasetName = null;
                    try (PreparedStatement ps = c.prepareStatement(
                            "select d.name from upload_run r join dataset d on d.id = r.dataset_id where r.id = ?")) {
                        ps.setObject(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next()) {
                                datasetName = rs.getString(1);
                            }
                        }
                    }
                    outbox.enqueue(c, UUID.randomUUID(), "lineage", "RunEvent", tenant, LineageEvents.runEvent("FAIL", id, tenant, "upload",
                            datasetName, null, null, null, null, Map.of("message",
                                    "interrupted: the service stopped while the upload ran; nothing of it was stored",
                                    "programmingLanguage", "JAVA")));
                    n++;
                    LOG.warnf("Run %s (tenant %s) was interrupted and is now failed", id, tenant);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.error("Could not fail stale runs", e);
        }
        return n;
    }

    /** Runs {@code work} in its own transaction with the tenant set for row-level security. */
    public <T> T inTenant(String tenant, SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                TenantSession.apply(c, tenant);
                T out = work.run(c);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Run bookkeeping failed", e);
        }
    }

    /** JDBC work on a connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private static OffsetDateTime odt(Timestamp t) {
        return t == null ? null : t.toInstant().atOffset(ZoneOffset.UTC);
    }
}
