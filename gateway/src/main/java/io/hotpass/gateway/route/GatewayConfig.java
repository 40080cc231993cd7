package io.hotpass.gateway.route;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@code hotpass.gateway.*}: where upstreams live and the gateway's default limits. */
@ConfigMapping(prefix = "hotpass.gateway")
public interface GatewayConfig {

    /** Upstream base URLs by name ({@code ingest}, {@code policy}…). */
    Map<String, UpstreamConfig> upstreams();

    /** Route table file; the bundled {@code routes.yaml} when unset. */
    Optional<String> routesLocation();

    /** Body limit for routes that set none. */
    @WithDefault("10M")
    String defaultMaxBody();

    /** Upstream idle timeout for routes that set none. */
    @WithDefault("PT30S")
    Duration defaultTimeout();

    /** Most request header fields the gateway accepts (431 problem+json beyond it). */
    @WithDefault("100")
    int maxHeaderCount();

    /**
     * Largest total size of a request's header fields, names and values, the gateway accepts (431
     * problem+json beyond it). The HTTP server's own, larger limit
     * ({@code quarkus.http.limits.max-header-size}, 64K) only stops what cannot be parsed at all, and
     * answers a bare 431.
     */
    @WithDefault("16384")
    int maxHeaderBytes();

    /**
     * Whether {@code X-Forwarded-Proto} from the proxy in front is believed (only behind a
     * TLS-terminating ingress that sets it): {@code https} there means the client used TLS, and
     * responses carry {@code Strict-Transport-Security}.
     */
    @WithDefault("false")
    boolean trustForwardedProto();

    /** How long verified API keys and allow/deny decisions are reused. */
    @WithDefault("PT5S")
    Duration authCacheTtl();

    interface UpstreamConfig {
        String url();
    }
}
