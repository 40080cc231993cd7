package io.hotpass.gateway.proxy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** CORS: denied unless origins are configured; configured origins match exactly, with {@code Vary: Origin}. */
@ApplicationScoped
public class Cors {

    @ConfigMapping(prefix = "hotpass.gateway.cors")
    public interface CorsConfig {
        /** Exact origins allowed, e.g. {@code https://console.example.com}. None: CORS denied. */
        Optional<List<String>> origins();

        @WithDefault("PT10M")
        Duration maxAge();
    }

    static final String ALLOWED_HEADERS = "Authorization, X-API-Key, Content-Type, Idempotency-Key, If-Match, X-Tenant, traceparent";
    static final String EXPOSED_HEADERS = "ETag, Location, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, traceparent, Idempotent-Replayed";

    @Inject
    CorsConfig config;

    private Set<String> origins() {
        return Set.copyOf(config.origins().orElse(List.of()));
    }

    public boolean allows(String origin) {
        return origins().contains(origin);
    }

    public void decorate(HttpServerResponse res, String origin) {
        res.headers().set("Access-Control-Allow-Origin", origin);
        res.headers().add("Vary", "Origin");
        res.headers().set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }

    public void preflight(HttpServerResponse res, String allowMethods) {
        res.headers().set("Access-Control-Allow-Methods", allowMethods);
        res.headers().set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        res.headers().set("Access-Control-Max-Age", Long.toString(config.maxAge().toSeconds()));
    }
}
