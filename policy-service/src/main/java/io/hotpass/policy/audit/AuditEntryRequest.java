package io.hotpass.policy.audit;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An audit entry as the gateway and services send it (through their outboxes). */
public record AuditEntryRequest(
        @NotNull UUID eventId,
        @NotNull OffsetDateTime occurredAt,
        @NotBlank @Size(max = 63) String tenant,
        @NotBlank @Size(max = 300) String actor,
        @NotBlank @Size(max = 200) String action,
        @Size(max = 1000) String resource,
        @Size(max = 20) String decision,
        @Size(max = 100) String reason,
        Integer status,
        @Size(max = 10) String method,
        @Size(max = 2000) String path,
        @Size(max = 64) String traceId) {
}
