package io.hotpass.platform.outbox;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Writes events to the {@code outbox_event} table in the caller's transaction, so an event exists
 * exactly when the change it describes committed. {@link OutboxRelay} delivers them afterwards.
 */
@ApplicationScoped
public class Outbox {

    @Inject
    Instance<DataSource> dataSource;

    @Inject
    ObjectMapper mapper;

    /** Enqueues an event in the current transaction and returns its id (the receivers' de-duplication key). */
    public UUID enqueue(String destination, String eventType, String tenant, Object payload) {
        UUID id = UUID.randomUUID();
        enqueue(id, destination, eventType, tenant, payload);
        return id;
    }

    public void enqueue(UUID id, String destination, String eventType, String tenant, Object payload) {
        try (Connection c = dataSource.get().getConnection()) {
            enqueue(c, id, destination, eventType, tenant, payload);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not write to the outbox", e);
        }
    }

    /** Enqueues on an explicit connection (bulk JDBC paths that manage their own transaction). */
    public void enqueue(Connection c, UUID id, String destination, String eventType, String tenant, Object payload)
            throws SQLException {
        String json;
        try {
            json = payload instanceof String s ? s : mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Outbox payload is not serialisable", e);
        }
        try (PreparedStatement ps = c.prepareStatement("insert into outbox_event"
                + " (id, tenant_id, destination, event_type, payload, traceparent) values (?, ?, ?, ?, ?::jsonb, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, tenant);
            ps.setString(3, destination);
            ps.setString(4, eventType);
            ps.setString(5, json);
            ps.setString(6, traceparent(Span.current().getSpanContext()));
            ps.executeUpdate();
        }
    }

    /** The W3C traceparent of a span, or null when there is none (tracing off, no request). */
    static String traceparent(SpanContext span) {
        return span.isValid() ? "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex() : null;
    }
}
