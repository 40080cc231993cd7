package io.hotpass.lineage.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotpass.lineage.event.IngestLimits;
import io.hotpass.lineage.event.LineageEventParser.ParsedEvent;
import io.hotpass.lineage.event.LineageEventStore;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.tenancy.TenantSession;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Group commit of OpenLineage events (ADR 0014). Request threads validate an event and hand it
 * here; a few writer threads each take the events waiting, up to {@code group-size}, record them
 * (raw event and projection) in one transaction and complete every waiting request after the one
 * commit. A 201 therefore still means "stored durably, with its projection", but a WAL flush and a
 * transaction's fixed costs are shared by a whole group instead of paid by each event.
 *
 * <p>The group is first recorded without savepoints. If any statement fails, the transaction is
 * rolled back and the group recorded again with a savepoint around each event, so one bad event
 * (or one lock conflict) costs only itself: its savepoint is rolled back and the others commit.
 * An event that lost a deadlock or serialisation conflict is put back in the queue for a later
 * group, up to {@value #MAX_ATTEMPTS} times.
 */
@ApplicationScoped
public class GroupCommit {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);
    static final int MAX_ATTEMPTS = 3;
    /** SQLSTATEs a later transaction may not meet again: deadlock, serialisation failure, lock not available. */
    private static final Set<String> RETRIABLE = Set.of("40P01", "40001", "55P03");

    @Inject
    Instance<DataSource> dataSource;

    @Inject
    LineageEventStore store;

    @Inject
    LineageModelWriter writer;

    @Inject
    IngestLimits limits;

    /** An event validated and ready to record; {@code result} completes after the commit (true: stored now, false: stored before). */
    public static final class Pending {
        final String tenant;
        final JsonNode event;
        final String canonicalJson;
        final String contentHash;
        final ParsedEvent parsed;
        final UUID outboxEventId;
        final CompletableFuture<Boolean> result = new CompletableFuture<>();
        int attempts;

        public Pending(String tenant, JsonNode event, String canonicalJson, String contentHash, ParsedEvent parsed,
                UUID outboxEventId) {
            this.tenant = tenant;
            this.event = event;
            this.canonicalJson = canonicalJson;
            this.contentHash = contentHash;
            this.parsed = parsed;
            this.outboxEventId = outboxEventId;
        }

        public CompletableFuture<Boolean> result() {
            return result;
        }
    }

    /** One queue a writer; a job's events always go to the same writer (see {@link #submit}). */
    private final List<LinkedBlockingQueue<Pending>> queues = new ArrayList<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running;

    void onStart(@Observes @Priority(200) StartupEvent ev) {
        running = true;
        for (int i = 0; i < limits.writers(); i++) {
            LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>(Math.max(1, limits.queueCapacity() / limits.writers()));
            queues.add(queue);
            Thread t = new Thread(() -> writerLoop(queue), "lineage-writer-" + i);
            t.setDaemon(true);
            t.start();
            writers.add(t);
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        running = false; // writers finish what is queued, then stop
        for (Thread t : writers) {
            try {
                t.join(limits.commitTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Queues the event for the next group; the returned future completes after its transaction
     * commits. Events are spread over the writers by job, so the rows of one job and its runs are
     * only ever written by one writer: two writers' groups do not wait for each other on them.
     */
    public CompletableFuture<Boolean> submit(Pending p) {
        if (!running || !queueOf(p).offer(p)) {
            p.result.completeExceptionally(new ProblemException(ErrorCode.SERVICE_UNAVAILABLE,
                    "Too many lineage events are waiting to be stored; retry this one").header("Retry-After", "1"));
        }
        return p.result;
    }

    private LinkedBlockingQueue<Pending> queueOf(Pending p) {
        String key = p.tenant + "|" + (p.parsed.jobName() != null ? p.parsed.jobNamespace() + "|" + p.parsed.jobName() : p.contentHash);
        return queues.get(Math.floorMod(key.hashCode(), queues.size()));
    }

    private void writerLoop(LinkedBlockingQueue<Pending> queue) {
        List<Pending> group = new ArrayList<>(limits.groupSize());
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, limits.groupSize() - 1);
                commit(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                group.forEach(p -> p.result.completeExceptionally(new ProblemException(ErrorCode.SERVICE_UNAVAILABLE,
                        "The service is stopping; retry this event")));
                return;
            } catch (RuntimeException | Error e) { // never let a writer die with requests waiting on it
                LOG.error("Lineage writer failed", e);
                group.forEach(p -> p.result.completeExceptionally(e));
            } finally {
                group.clear();
            }
        }
    }

    /** Records the group and completes each event's result (or puts it back in the queue). */
    void commit(List<Pending> group) {
        Map<Pending, Object> outcome;
        try {
            outcome = record(group, false);
        } catch (SQLException | RuntimeException e) {
            LOG.debugf(e, "A group of %d lineage events failed; recording it again with a savepoint an event", group.size());
            try {
                outcome = record(group, true);
            } catch (SQLException | RuntimeException again) {
                LOG.warn("Could not record a group of lineage events", again);
                group.forEach(p -> p.result.completeExceptionally(again));
                return;
            }
        }
        for (Pending p : group) {
            Object o = outcome.get(p);
            if (o instanceof Boolean stored) {
                p.result.complete(stored);
            } else {
                Throwable failure = (Throwable) o;
                String state = sqlState(failure);
                if (state != null && RETRIABLE.contains(state) && ++p.attempts < MAX_ATTEMPTS && running && queueOf(p).offer(p)) {
                    continue; // a later group, once the conflicting transaction has gone
                }
                p.result.completeExceptionally(problem(failure, state));
            }
        }
    }

    /**
     * One transaction for the group. Without savepoints any failure propagates (and the caller
     * tries again with them); with savepoints a failing event is rolled back alone and its
     * exception is its outcome.
     */
    private Map<Pending, Object> record(List<Pending> group, boolean savepoints) throws SQLException {
        Map<Pending, Object> outcome = new IdentityHashMap<>();
        // One tenant after the other (events of different tenants are independent; each tenant's keep their order).
        List<Pending> ordered = new ArrayList<>(group);
        ordered.sort(java.util.Comparator.comparing((Pending p) -> p.tenant));
        writer.transactionEnded(false);
        try (Connection c = dataSource.get().getConnection()) {
            c.setAutoCommit(false);
            try (Statement sp = c.createStatement()) {
                for (int from = 0; from < ordered.size();) {
                    String tenant = ordered.get(from).tenant;
                    int to = from;
                    while (to < ordered.size() && ordered.get(to).tenant.equals(tenant)) {
                        to++;
                    }
                    List<Pending> ofTenant = ordered.subList(from, to);
                    from = to;
                    TenantSession.apply(c, tenant); // transaction-local; set outside any event's savepoint
                    if (savepoints) {
                        for (Pending p : ofTenant) {
                            sp.execute("savepoint lineage_event");
                            try {
                                outcome.put(p, recordOne(c, p));
                            } catch (SQLException | RuntimeException e) {
                                sp.execute("rollback to savepoint lineage_event");
                                outcome.put(p, e);
                            }
                            sp.execute("release savepoint lineage_event");
                        }
                    } else {
                        recordTogether(c, tenant, ofTenant, outcome);
                    }
                }
                c.commit();
                writer.transactionEnded(true);
            } catch (SQLException | RuntimeException e) {
                writer.transactionEnded(false);
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        return outcome;
    }

    /**
     * The tenant's events of a group without savepoints: the raw events in one batch, then the
     * datasets and jobs they name created at once, then each stored event projected with its
     * write-only statements queued, a batch a kind for the group ({@code LineageModelWriter#queue}),
     * and its dataset row updates held back; both are sent by {@code flushDeferred}.
     */
    private void recordTogether(Connection c, String tenant, List<Pending> events, Map<Pending, Object> outcome)
            throws SQLException {
        writer.deferDatasetUpdates(tenant);
        List<LineageEventStore.Raw> raw = new ArrayList<>(events.size());
        List<UUID> outboxIds = new ArrayList<>(events.size());
        for (Pending p : events) {
            raw.add(new LineageEventStore.Raw(p.canonicalJson, p.contentHash, p.parsed));
            outboxIds.add(p.outboxEventId);
        }
        boolean[] stored = store.storeAll(c, tenant, raw, outboxIds);
        List<JsonNode> toWrite = new ArrayList<>();
        List<ParsedEvent> parsed = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            outcome.put(events.get(i), stored[i]);
            if (stored[i]) {
                toWrite.add(events.get(i).event);
                parsed.add(events.get(i).parsed);
            }
        }
        writer.prepareGroup(c, tenant, toWrite, parsed);
        for (int i = 0; i < toWrite.size(); i++) {
            writer.write(c, tenant, toWrite.get(i), parsed.get(i));
        }
        writer.flushDeferred(c);
    }

    private boolean recordOne(Connection c, Pending p) throws SQLException {
        if (!store.store(c, p.tenant, p.canonicalJson, p.contentHash, p.parsed, p.outboxEventId)) {
            return false;
        }
        writer.write(c, p.tenant, p.event, p.parsed);
        return true;
    }

    static String sqlState(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (x instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return null;
    }

    /** A value PostgreSQL refuses (SQLSTATE class 22, e.g. a NUL character) is the event's fault: 422. */
    private static RuntimeException problem(Throwable failure, String state) {
        if (state != null && state.startsWith("22")) {
            SQLException sql = null;
            for (Throwable x = failure; x != null && sql == null; x = x.getCause()) {
                sql = x instanceof SQLException s ? s : null;
            }
            String reason = sql.getMessage() == null ? state : sql.getMessage().lines().findFirst().orElse(state);
            return new ProblemException(ErrorCode.UNPROCESSABLE, "The event holds a value that cannot be stored: " + reason);
        }
        if (state != null && RETRIABLE.contains(state)) {
            return new ProblemException(ErrorCode.SERVICE_UNAVAILABLE, "The event met conflicting writes " + MAX_ATTEMPTS
                    + " times; retry it").header("Retry-After", "1");
        }
        return failure instanceof RuntimeException r ? r : new IllegalStateException("Could not record the lineage event", failure);
    }
}
