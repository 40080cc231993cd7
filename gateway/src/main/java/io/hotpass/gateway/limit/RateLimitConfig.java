package io.hotpass.gateway.limit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code hotpass.gateway.rate-limit.*}: token buckets per tenant and per credential. */
@ConfigMapping(prefix = "hotpass.gateway.rate-limit")
public interface RateLimitConfig {

    @WithDefault("true")
    boolean enabled();

    /** {@code memory} (one replica) or {@code redis} (replicas share buckets; falls back to memory if Redis fails). */
    @WithDefault("memory")
    String store();

    /** Sustained requests per second for one tenant, all its credentials together. */
    @WithDefault("200")
    double tenantRate();

    @WithDefault("400")
    int tenantBurst();

    /** Sustained requests per second for one credential (API key, user or service). */
    @WithDefault("100")
    double subjectRate();

    @WithDefault("200")
    int subjectBurst();
}
