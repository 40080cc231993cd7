package io.hotpass.platform.outbox;

import java.time.Instant;
import java.util.UUID;

/** One event waiting in (or claimed from) the outbox. {@code payload} is a JSON document. */
public record OutboxMessage(UUID id, String tenant, String destination, String eventType, String payload,
        int attempts, Instant createdAt) {
}
