package io.hotpass.lineage.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hotpass.platform.outbox.Inbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Stores raw OpenLineage events once each. Two guards make a redelivery harmless: the outbox event
 * id (when a Hotpass service sent it) through {@link Inbox}, and the canonical content hash for
 * any producer that retries the same event.
 */
@ApplicationScoped
public class LineageEventStore {

    @Inject
    Instance<DataSource> dataSource;

    private final ObjectMapper canonical;

    @Inject
    public LineageEventStore(ObjectMapper mapper) {
        canonical = mapper.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    }

    /**
     * Stores the event on the given connection, which is in a tenanted transaction; false when it
     * was already stored. {@code contentHash} is {@link #contentHash} of {@code json}.
     */
    public boolean store(Connection c, String tenant, String json, String contentHash, LineageEventParser.ParsedEvent parsed,
            UUID outboxEventId) throws SQLException {
        if (outboxEventId != null && !Inbox.firstDelivery(c, outboxEventId, "lineage")) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into lineage_event (id, tenant_id, event_kind, event_type,"
                + " event_time, run_id, job_namespace, job_name, producer, content_hash, payload)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) on conflict (tenant_id, content_hash) do nothing")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, tenant);
            ps.setString(3, parsed.kind());
            ps.setString(4, parsed.eventType());
            ps.setTimestamp(5, Timestamp.from(parsed.eventTime().toInstant()));
            ps.setObject(6, parsed.runId());
            ps.setString(7, parsed.jobNamespace());
            ps.setString(8, parsed.jobName());
            ps.setString(9, parsed.producer());
            ps.setString(10, contentHash);
            ps.setString(11, json);
            return ps.executeUpdate() == 1;
        }
    }

    /** Raw events, oldest first, after the cursor (received_at, id). */
    public List<StoredEvent> page(String tenant, int limit, java.time.OffsetDateTime afterTime, UUID afterId) {
        List<StoredEvent> out = new ArrayList<>();
        String sql = "select id, received_at, payload::text from lineage_event where tenant_id = ?"
                + (afterId == null ? "" : " and (received_at, id) > (?, ?)") + " order by received_at, id limit ?";
        try (Connection c = dataSource.get().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, tenant);
            if (afterId != null) {
                ps.setObject(i++, afterTime);
                ps.setObject(i++, afterId);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredEvent(rs.getObject(1, UUID.class), rs.getObject(2, java.time.OffsetDateTime.class),
                            canonical.readTree(rs.getString(3))));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Could not read lineage events", e);
        }
        return out;
    }

    public record StoredEvent(UUID id, java.time.OffsetDateTime receivedAt, JsonNode event) {
    }

    /** The event with its keys sorted: the form that is stored and hashed. */
    public String canonicalJson(JsonNode event) {
        try {
            return canonical.writeValueAsString(canonical.treeToValue(event, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The hash that makes a redelivered event a duplicate: SHA-256 of its canonical JSON. */
    public static String contentHash(String canonicalJson) {
        return sha256(canonicalJson);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
