package io.hotpass.gateway.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code hotpass.gateway.console.*}: the web console's sessions. */
@ConfigMapping(prefix = "hotpass.gateway.console")
public interface ConsoleConfig {

    /** A session unused this long is over. */
    @WithDefault("PT30M")
    Duration idleTimeout();

    /** A session is over this long after sign-in, however busy. */
    @WithDefault("PT8H")
    Duration maxAge();

    /**
     * {@code auto}: the cookie is {@code Secure} when the request came over https (directly or per
     * {@code X-Forwarded-Proto}); {@code always} or {@code never} override that.
     */
    @WithDefault("auto")
    String secureCookie();

    /**
     * The console's public origin (e.g. {@code https://hotpass.example.com}). Unset: the origin the
     * request names ({@code X-Forwarded-Proto}/{@code X-Forwarded-Host} or the scheme and Host).
     * Cookie-authenticated requests from any other {@code Origin} are refused.
     */
    Optional<String> publicOrigin();
}
