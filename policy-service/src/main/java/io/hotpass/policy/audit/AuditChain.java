package io.hotpass.policy.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash of one link: SHA-256 over the previous hash, a newline and the canonical JSON of the
 * entry (keys sorted, timestamps in UTC at microsecond precision as PostgreSQL stores them).
 */
public final class AuditChain {

    /** The previous hash of a tenant's first entry. */
    public static final String GENESIS = "0".repeat(64);

    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    private AuditChain() {
    }

    public static String hash(String prevHash, String tenant, long seq, AuditEntryView e) {
        Map<String, Object> doc = new TreeMap<>();
        doc.put("tenant", tenant);
        doc.put("seq", seq);
        doc.put("eventId", e.eventId().toString());
        doc.put("occurredAt", time(e.occurredAt()));
        doc.put("actor", e.actor());
        doc.put("action", e.action());
        doc.put("resource", e.resource());
        doc.put("decision", e.decision());
        doc.put("reason", e.reason());
        doc.put("status", e.status());
        doc.put("method", e.method());
        doc.put("path", e.path());
        doc.put("traceId", e.traceId());
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            md.update((byte) '\n');
            md.update(CANONICAL.writeValueAsBytes(doc));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Timestamps as stored: UTC, truncated to microseconds. */
    public static OffsetDateTime normalise(OffsetDateTime t) {
        return t.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    private static String time(OffsetDateTime t) {
        return normalise(t).format(TIME);
    }
}
