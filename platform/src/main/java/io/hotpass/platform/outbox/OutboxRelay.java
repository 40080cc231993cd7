package io.hotpass.platform.outbox;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Delivers outbox events with retries. Each poll claims a batch with
 * {@code FOR UPDATE SKIP LOCKED} (so replicas never deliver the same row at once), delivers them
 * in order, marks the delivered ones and schedules the rest with jittered exponential backoff.
 * Nothing is ever dropped: an event that keeps failing keeps being retried at the maximum backoff,
 * and the lag shows in {@code hotpass_outbox_pending}.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    Instance<DataSource> dataSource;

    @Inject
    OutboxConfig config;

    @Inject
    OutboxTransport transport;

    @Inject
    MeterRegistry registry;

    @Inject
    Tracer tracer;

    private final AtomicLong pending = new AtomicLong();

    @jakarta.annotation.PostConstruct
    void registerGauge() {
        registry.gauge("hotpass_outbox_pending", pending);
        // Each configured destination's counters exist from the start: the dashboard shows 0/s, not "no data".
        for (String destination : config.destinations().keySet()) {
            registry.counter("hotpass_outbox_delivered_total", "destination", destination);
            registry.counter("hotpass_outbox_failed_attempts_total", "destination", destination);
        }
    }

    @Scheduled(every = "${hotpass.outbox.poll-interval:1s}", delay = 2, delayUnit = java.util.concurrent.TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = RelayDisabled.class)
    void poll() {
        try {
            int delivered;
            do {
                delivered = relayOnce();
            } while (delivered == config.batchSize());
        } catch (Exception e) {
            LOG.warnf("Outbox relay poll failed: %s", e.getMessage());
        }
    }

    /** Claims and delivers one batch; returns how many were delivered. Public for tests and drills. */
    public int relayOnce() throws SQLException {
        int delivered = 0;
        try (Connection c = dataSource.get().getConnection()) {
            c.setAutoCommit(false);
            try {
                List<OutboxMessage> batch = claim(c);
                for (OutboxMessage m : batch) {
                    Span span = deliverySpan(m);
                    try (Scope ignored = span.makeCurrent()) {
                        transport.deliver(m);
                        markDelivered(c, m.id());
                        delivered++;
                        registry.counter("hotpass_outbox_delivered_total", "destination", m.destination()).increment();
                    } catch (Exception e) {
                        if (e instanceof InterruptedException) {
                            Thread.currentThread().interrupt();
                        }
                        Duration delay = backoff(m.attempts() + 1);
                        markFailed(c, m.id(), e.getMessage(), delay);
                        registry.counter("hotpass_outbox_failed_attempts_total", "destination", m.destination())
                                .increment();
                        LOG.debugf("Outbox event %s to %s failed (attempt %d), retry in %s: %s", m.id(),
                                m.destination(), m.attempts() + 1, delay, e.getMessage());
                        span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
                    } finally {
                        span.end();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            pending.set(countPending(c));
        }
        return delivered;
    }

    /**
     * A span for one delivery attempt, a child of the span that wrote the event (which may have
     * ended long ago, in another process's lifetime): one upload is one trace from the caller to
     * the receiver of its events. A root span when the event carries no traceparent.
     */
    Span deliverySpan(OutboxMessage m) {
        Context parent = Context.root();
        String[] tp = m.traceparent() == null ? new String[0] : m.traceparent().split("-");
        if (tp.length == 4) {
            SpanContext remote = SpanContext.createFromRemoteParent(tp[1], tp[2], TraceFlags.fromHex(tp[3], 0),
                    TraceState.getDefault());
            if (remote.isValid()) {
                parent = parent.with(Span.wrap(remote));
            }
        }
        return tracer.spanBuilder("outbox deliver " + m.destination()).setParent(parent).setSpanKind(SpanKind.PRODUCER)
                .setAttribute("hotpass.outbox.event_id", m.id().toString())
                .setAttribute("hotpass.outbox.event_type", m.eventType())
                .setAttribute("hotpass.outbox.attempt", m.attempts() + 1L).startSpan();
    }

    /** Exponential backoff with "equal jitter": uniform in [base/2, base], base = initial * 2^(attempt-1), capped. */
    Duration backoff(int attempt) {
        long initial = config.initialBackoff().toMillis();
        long max = config.maxBackoff().toMillis();
        long base = attempt >= 31 ? max : Math.min(max, initial * (1L << Math.max(0, attempt - 1)));
        long jittered = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        return Duration.ofMillis(Math.max(1, jittered));
    }

    private List<OutboxMessage> claim(Connection c) throws SQLException {
        List<OutboxMessage> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, tenant_id, destination, event_type, payload::text,"
                + " attempts, created_at, traceparent from outbox_event where delivered_at is null and next_attempt_at <= now()"
                + " order by created_at, id limit ? for update skip locked")) {
            ps.setInt(1, config.batchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OutboxMessage(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getInt(6), rs.getTimestamp(7).toInstant(),
                            rs.getString(8)));
                }
            }
        }
        return out;
    }

    private static void markDelivered(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update outbox_event set delivered_at = now(), attempts = attempts + 1, last_error = null where id = ?")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    private static void markFailed(Connection c, UUID id, String error, Duration delay) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update outbox_event set attempts = attempts + 1,"
                + " last_error = ?, next_attempt_at = ? where id = ?")) {
            ps.setString(1, error == null ? "unknown" : error.substring(0, Math.min(error.length(), 500)));
            ps.setTimestamp(2, Timestamp.from(Instant.now().plus(delay)));
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }

    private static long countPending(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from outbox_event where delivered_at is null");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Skips polls when {@code hotpass.outbox.enabled=false}. */
    @ApplicationScoped
    public static class RelayDisabled implements Scheduled.SkipPredicate {
        @Inject
        OutboxConfig config;

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !config.enabled();
        }
    }
}
