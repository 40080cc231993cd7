package io.hotpass.gateway.edge;

import io.hotpass.gateway.route.GatewayConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Security headers on every response the gateway sends — proxied API answers, its own problems,
 * the console's pages and its session endpoints alike — set just before the headers go out, so no
 * handler can forget them and no upstream can add a {@code Server} banner.
 *
 * <ul>
 * <li>{@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer},
 * {@code X-Frame-Options: DENY} everywhere;</li>
 * <li>a Content-Security-Policy: the console may load only its own scripts, styles and data; API
 * answers may load nothing and be framed by no one;</li>
 * <li>{@code Strict-Transport-Security} when the request came over TLS — to the gateway itself,
 * or, when {@code hotpass.gateway.trust-forwarded-proto} says a TLS-terminating proxy in front
 * sets it, {@code X-Forwarded-Proto: https}.</li>
 * </ul>
 */
@ApplicationScoped
public class SecurityHeaders {

    static final String HSTS = "max-age=31536000; includeSubDomains";
    static final String CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

    @Inject
    GatewayConfig config;

    void register(@Observes Router router) {
        router.route().order(-1000).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        HttpServerRequest req = rc.request();
        HttpServerResponse res = rc.response();
        boolean tls = req.isSSL() || config.trustForwardedProto() && "https".equalsIgnoreCase(req.getHeader("X-Forwarded-Proto"));
        String path = req.path() == null ? "" : req.path();
        String csp = path.equals("/console") || path.startsWith("/console/") ? CONSOLE_CSP
                : path.startsWith("/api/") || path.startsWith("/marquez/") ? API_CSP : null;
        rc.addHeadersEndHandler(v -> {
            res.headers().set("X-Content-Type-Options", "nosniff");
            res.headers().set("Referrer-Policy", "no-referrer");
            res.headers().set("X-Frame-Options", "DENY");
            res.headers().remove("Server");
            if (csp != null) {
                res.headers().set("Content-Security-Policy", csp);
            }
            if (tls) {
                res.headers().set("Strict-Transport-Security", HSTS);
            }
        });
        rc.next();
    }
}
