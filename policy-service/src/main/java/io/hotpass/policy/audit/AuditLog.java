package io.hotpass.policy.audit;

import io.hotpass.platform.logging.Redactor;
import io.hotpass.platform.tenancy.TenantSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Appends to and reads each tenant's audit chain. An append locks the tenant's chain head, so
 * concurrent appends queue rather than fork the chain; a repeated event id (an outbox retry) is
 * answered with the entry already stored. Free-text fields pass through {@link Redactor} first.
 */
@Startup // registers its metrics at start: the dashboard shows zero, not "no data"
@ApplicationScoped
public class AuditLog {

    @Inject
    Instance<DataSource> dataSource;

    /** Outcomes of chain verifications (on request and scheduled): the alert on a broken chain reads it. */
    private Counter verifiedValid;
    private Counter verifiedBroken;

    @Inject
    void registerMetrics(MeterRegistry metrics) {
        verifiedValid = Counter.builder("hotpass.policy.audit.chain.verifications").tag("result", "valid")
                .description("Audit chain verifications, by result").register(metrics);
        verifiedBroken = Counter.builder("hotpass.policy.audit.chain.verifications").tag("result", "broken")
                .description("Audit chain verifications, by result").register(metrics);
    }

    /** Appends an entry in its own transaction under the entry's tenant; returns the stored entry. */
    public AuditEntryView append(AuditEntryRequest req) {
        try (Connection c = dataSource.get().getConnection()) {
            c.setAutoCommit(false);
            try {
                TenantSession.apply(c, req.tenant());
                AuditEntryView existing = byEvent(c, req.tenant(), req.eventId());
                if (existing != null) {
                    c.commit();
                    return existing;
                }
                try (PreparedStatement ps = c.prepareStatement("insert into audit_chain_head (tenant_id, seq, hash)"
                        + " values (?, 0, ?) on conflict do nothing")) {
                    ps.setString(1, req.tenant());
                    ps.setString(2, AuditChain.GENESIS);
                    ps.executeUpdate();
                }
                long seq;
                String prev;
                try (PreparedStatement ps = c.prepareStatement(
                        "select seq, hash from audit_chain_head where tenant_id = ? for update")) {
                    ps.setString(1, req.tenant());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        seq = rs.getLong(1) + 1;
                        prev = rs.getString(2);
                    }
                }
                // Re-check under the lock: a concurrent delivery of the same event may have won.
                existing = byEvent(c, req.tenant(), req.eventId());
                if (existing != null) {
                    c.commit();
                    return existing;
                }
                AuditEntryView entry = new AuditEntryView(seq, req.eventId(), AuditChain.normalise(req.occurredAt()), null,
                        Redactor.redact(req.actor()), req.action(), Redactor.redact(req.resource()), req.decision(),
                        req.reason(), req.status(), req.method(), Redactor.redact(req.path()), req.traceId(), prev, null);
                String hash = AuditChain.hash(prev, req.tenant(), seq, entry);
                try (PreparedStatement ps = c.prepareStatement("insert into audit_entry (tenant_id, seq, event_id,"
                        + " occurred_at, actor, action, resource, decision, reason, status, method, path, trace_id,"
                        + " prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, req.tenant());
                    ps.setLong(2, seq);
                    ps.setObject(3, entry.eventId());
                    ps.setObject(4, entry.occurredAt());
                    ps.setString(5, entry.actor());
                    ps.setString(6, entry.action());
                    ps.setString(7, entry.resource());
                    ps.setString(8, entry.decision());
                    ps.setString(9, entry.reason());
                    ps.setObject(10, entry.status());
                    ps.setString(11, entry.method());
                    ps.setString(12, entry.path());
                    ps.setString(13, entry.traceId());
                    ps.setString(14, prev);
                    ps.setString(15, hash);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("update audit_chain_head set seq = ?, hash = ? where tenant_id = ?")) {
                    ps.setLong(1, seq);
                    ps.setString(2, hash);
                    ps.setString(3, req.tenant());
                    ps.executeUpdate();
                }
                AuditEntryView stored = byEvent(c, req.tenant(), req.eventId());
                c.commit();
                return stored;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not append to the audit log", e);
        }
    }

    /** Entries of a tenant in chain order, filtered; {@code afterSeq} is the cursor. */
    public List<AuditEntryView> query(String tenant, OffsetDateTime from, OffsetDateTime to, String actor, String action,
            long afterSeq, int limit) {
        StringBuilder sql = new StringBuilder(SELECT + " where tenant_id = ? and seq > ?");
        List<Object> args = new ArrayList<>(List.of(tenant, afterSeq));
        if (from != null) {
            sql.append(" and occurred_at >= ?");
            args.add(from);
        }
        if (to != null) {
            sql.append(" and occurred_at < ?");
            args.add(to);
        }
        if (actor != null) {
            sql.append(" and actor = ?");
            args.add(actor);
        }
        if (action != null) {
            sql.append(" and action = ?");
            args.add(action);
        }
        sql.append(" order by seq limit ?");
        args.add(limit);
        return inTenant(tenant, c -> {
            List<AuditEntryView> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
            }
            return out;
        });
    }

    /** Recomputes the tenant's chain from its latest checkpoint (or the genesis hash) and names the first broken link. */
    public ChainVerification verify(String tenant) {
        ChainVerification result = verifyChain(tenant);
        (result.valid() ? verifiedValid : verifiedBroken).increment();
        return result;
    }

    private ChainVerification verifyChain(String tenant) {
        // One snapshot for the entries and the head: read in two statements under READ COMMITTED, an
        // append committed in between moved the head past the entries read, and an intact chain was
        // reported as "ends before its recorded head" (seen in CI while the gateway's relay delivered).
        return inTenant(tenant, true, c -> {
            long startSeq = 0;
            String prev = AuditChain.GENESIS;
            try (PreparedStatement ps = c.prepareStatement(
                    "select seq, hash from audit_checkpoint where tenant_id = ? order by seq desc limit 1")) {
                ps.setString(1, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        startSeq = rs.getLong(1);
                        prev = rs.getString(2);
                    }
                }
            }
            long expectedSeq = startSeq + 1;
            long checked = 0;
            try (PreparedStatement ps = c.prepareStatement(SELECT + " where tenant_id = ? and seq > ? order by seq")) {
                ps.setFetchSize(1000);
                ps.setString(1, tenant);
                ps.setLong(2, startSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        AuditEntryView e = row(rs);
                        checked++;
                        if (e.seq() != expectedSeq) {
                            return broken(checked, startSeq, expectedSeq, "entry " + expectedSeq + " is missing");
                        }
                        if (!e.prevHash().equals(prev)) {
                            return broken(checked, startSeq, e.seq(), "prev_hash does not match the hash of the entry before");
                        }
                        String recomputed = AuditChain.hash(prev, tenant, e.seq(), e);
                        if (!recomputed.equals(e.hash())) {
                            return broken(checked, startSeq, e.seq(), "the entry's content does not match its hash");
                        }
                        prev = e.hash();
                        expectedSeq++;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select seq, hash from audit_chain_head where tenant_id = ?")) {
                ps.setString(1, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && (rs.getLong(1) != expectedSeq - 1 || !rs.getString(2).equals(prev))) {
                        return broken(checked, startSeq, rs.getLong(1),
                                "the chain ends before its recorded head (entries removed from the end)");
                    }
                }
            }
            return new ChainVerification(true, checked, startSeq == 0 ? null : startSeq, null, null, prev);
        });
    }

    /** Removes entries older than {@code before} behind a checkpoint; the rest still verifies. */
    public int applyRetention(String tenant, OffsetDateTime before) {
        return inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("select audit_apply_retention(?, ?)")) {
                ps.setString(1, tenant);
                ps.setObject(2, before);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** Tenants that may have a chain (for scheduled retention and verification). */
    public List<String> tenantsWithEntries() {
        // The head table is tenant-scoped by RLS; list through the function-free path: the tenant registry.
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.get().getConnection();
                PreparedStatement ps = c.prepareStatement("select id from tenant order by id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static final String SELECT = "select seq, event_id, occurred_at, recorded_at, actor, action, resource, decision,"
            + " reason, status, method, path, trace_id, prev_hash, hash from audit_entry";

    private static AuditEntryView row(ResultSet rs) throws SQLException {
        return new AuditEntryView(rs.getLong(1), rs.getObject(2, UUID.class), AuditChain.normalise(rs.getObject(3, OffsetDateTime.class)),
                rs.getObject(4, OffsetDateTime.class), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9), (Integer) rs.getObject(10), rs.getString(11), rs.getString(12), rs.getString(13),
                rs.getString(14), rs.getString(15));
    }

    private static ChainVerification broken(long checked, long start, long seq, String reason) {
        return new ChainVerification(false, checked, start == 0 ? null : start, seq, reason, null);
    }

    private AuditEntryView byEvent(Connection c, String tenant, UUID eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " where tenant_id = ? and event_id = ?")) {
            ps.setString(1, tenant);
            ps.setObject(2, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        }
    }

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTenant(String tenant, Work<T> work) {
        return inTenant(tenant, false, work);
    }

    /** {@code snapshot}: every statement of the work sees the same committed state (REPEATABLE READ, read only). */
    private <T> T inTenant(String tenant, boolean snapshot, Work<T> work) {
        try (Connection c = dataSource.get().getConnection()) {
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            if (snapshot) {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                c.setReadOnly(true);
            }
            try {
                TenantSession.apply(c, tenant);
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                if (snapshot) {
                    c.setReadOnly(false);
                    c.setTransactionIsolation(isolation);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Audit log query failed", e);
        }
    }
}
