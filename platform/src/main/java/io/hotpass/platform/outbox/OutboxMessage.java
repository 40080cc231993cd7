package io.hotpass.platform.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * One event waiting in (or claimed from) the outbox. {@code payload} is a JSON document;
 * {@code traceparent} that of the request which wrote it, when traced.
 */
public record OutboxMessage(UUID id, String tenant, String destination, String eventType, String payload,
        int attempts, Instant createdAt, String traceparent) {

    public OutboxMessage(UUID id, String tenant, String destination, String eventType, String payload, int attempts,
            Instant createdAt) {
        this(id, tenant, destination, eventType, payload, attempts, createdAt, null);
    }
}
