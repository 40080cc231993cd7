package io.hotpass.policy.audit;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One stored audit entry with its place in the tenant's chain. */
public record AuditEntryView(long seq, UUID eventId, OffsetDateTime occurredAt, OffsetDateTime recordedAt, String actor,
        String action, String resource, String decision, String reason, Integer status, String method, String path,
        String traceId, String prevHash, String hash) {
}
