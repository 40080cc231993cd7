package io.hotpass.platform.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@code hotpass.outbox.*}: how the relay polls, backs off and where each destination lives. */
@ConfigMapping(prefix = "hotpass.outbox")
public interface OutboxConfig {

    /** Whether this process relays events (every replica may; rows are claimed with SKIP LOCKED). */
    @WithDefault("true")
    boolean enabled();

    /** How often the relay polls, in the scheduler's syntax ({@code 1s}, {@code 500ms}). */
    @WithDefault("1s")
    String pollInterval();

    /** Events claimed per poll. */
    @WithDefault("100")
    int batchSize();

    /** First retry delay; doubles per attempt, with full jitter, up to {@link #maxBackoff()}. */
    @WithDefault("PT0.5S")
    Duration initialBackoff();

    @WithDefault("PT5M")
    Duration maxBackoff();

    /** Per-delivery HTTP timeout. */
    @WithDefault("PT10S")
    Duration timeout();

    /** Destinations by logical name ({@code lineage}, {@code audit}…). */
    Map<String, Destination> destinations();

    interface Destination {
        /** Where events of this destination are POSTed. */
        URI url();

        /**
         * The platform service account's API key, sent as {@code X-API-Key} with the event's tenant in
         * {@code X-Tenant} when delivering through the gateway (which lets service accounts act for a tenant).
         */
        Optional<String> apiKey();
    }
}
