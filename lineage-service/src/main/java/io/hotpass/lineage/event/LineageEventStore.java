package io.hotpass.lineage.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hotpass.platform.outbox.Inbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringWriter;
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
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            bind(ps, tenant, json, contentHash, parsed);
            return ps.executeUpdate() == 1;
        }
    }

    /** An event to store: its canonical JSON, {@link #contentHash} of it, and what the parser made of it. */
    public record Raw(String json, String contentHash, LineageEventParser.ParsedEvent parsed) {
    }

    /**
     * Stores the events, in order, in one JDBC batch on the given tenanted transaction; for each,
     * false when it was already stored (before, or earlier in the list). Events that came through
     * the outbox are checked against the {@link Inbox} one by one first, as in {@link #store}; those
     * seen before are not inserted.
     */
    public boolean[] storeAll(Connection c, String tenant, List<Raw> events, List<UUID> outboxEventIds) throws SQLException {
        boolean[] stored = new boolean[events.size()];
        boolean[] insert = new boolean[events.size()];
        for (int i = 0; i < events.size(); i++) {
            UUID outboxEventId = outboxEventIds.get(i);
            insert[i] = outboxEventId == null || Inbox.firstDelivery(c, outboxEventId, "lineage");
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            boolean any = false;
            for (int i = 0; i < events.size(); i++) {
                if (insert[i]) {
                    bind(ps, tenant, events.get(i).json(), events.get(i).contentHash(), events.get(i).parsed());
                    ps.addBatch();
                    any = true;
                }
            }
            int[] counts = any ? ps.executeBatch() : new int[0];
            for (int i = 0, k = 0; i < events.size(); i++) {
                if (insert[i]) {
                    int n = counts[k++];
                    if (n == java.sql.Statement.SUCCESS_NO_INFO) {
                        throw new IllegalStateException("The driver did not count the rows each insert stored (reWriteBatchedInserts?)");
                    }
                    stored[i] = n == 1;
                }
            }
        }
        return stored;
    }

    private static final String INSERT = "insert into lineage_event (id, tenant_id, event_kind, event_type,"
            + " event_time, run_id, job_namespace, job_name, producer, content_hash, payload)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::json) on conflict (tenant_id, content_hash) do nothing";

    private static void bind(PreparedStatement ps, String tenant, String json, String contentHash,
            LineageEventParser.ParsedEvent parsed) throws SQLException {
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

    /**
     * The event with its keys sorted: the form that is stored and hashed. Written straight from the
     * tree, object keys in {@link String#compareTo} order; the same text as converting the tree to
     * maps and writing them with {@code ORDER_MAP_ENTRIES_BY_KEYS} (which the stored hashes were
     * made with), without building the maps.
     */
    public String canonicalJson(JsonNode event) {
        StringWriter out = new StringWriter(4096);
        try (JsonGenerator g = canonical.createGenerator(out)) {
            writeSorted(g, event);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return out.toString();
    }

    private void writeSorted(JsonGenerator g, JsonNode n) throws IOException {
        if (n.isObject()) {
            List<String> names = new ArrayList<>(n.size());
            n.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            g.writeStartObject();
            for (String name : names) {
                g.writeFieldName(name);
                writeSorted(g, n.get(name));
            }
            g.writeEndObject();
        } else if (n.isArray()) {
            g.writeStartArray();
            for (JsonNode item : n) {
                writeSorted(g, item);
            }
            g.writeEndArray();
        } else if (n.isTextual()) {
            g.writeString(n.textValue());
        } else if (n.isNumber() || n.isPojo() || n.isBinary()) {
            // What the map form held for it (Integer, Long, Double, BigDecimal...), written as the map form wrote it.
            canonical.writeValue(g, canonical.treeToValue(n, Object.class));
        } else {
            canonical.writeTree(g, n); // true, false, null
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
