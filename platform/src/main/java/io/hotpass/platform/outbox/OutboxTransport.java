package io.hotpass.platform.outbox;

/**
 * Delivers one outbox message to its destination. Throwing means "not delivered, retry later";
 * returning means the receiver accepted it (receivers de-duplicate by event id, so a delivery
 * that succeeded but whose answer was lost is safe to repeat).
 */
public interface OutboxTransport {
    void deliver(OutboxMessage message) throws Exception;
}
