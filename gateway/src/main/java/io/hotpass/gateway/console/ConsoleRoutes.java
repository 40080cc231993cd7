package io.hotpass.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.gateway.auth.OidcConfig;
import io.hotpass.gateway.auth.PolicyClient;
import io.hotpass.gateway.proxy.AuditTrail;
import io.hotpass.gateway.proxy.GatewayProxy;
import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The console's session endpoints: {@code POST /console/session} signs in with an API key (the
 * same verification as the {@code X-API-Key} header), {@code GET} tells the page who is signed in
 * and the CSRF token, {@code DELETE} signs out. The browser receives an opaque HttpOnly,
 * SameSite=Strict cookie and nothing else; {@link OidcLogin} adds the Keycloak sign-in.
 */
@ApplicationScoped
public class ConsoleRoutes {

    static final int MAX_SIGN_IN_BODY = 4096;

    @Inject
    ConsoleSessionStore store;

    @Inject
    ConsoleSessionGuard guard;

    @Inject
    PolicyClient policy;

    @Inject
    GatewayProxy proxy;

    @Inject
    AuditTrail audit;

    @Inject
    OidcConfig oidc;

    @Inject
    ObjectMapper mapper;

    @Inject
    Vertx vertx;

    void register(@Observes Router router) {
        router.getWithRegex("^/$").handler(rc -> redirect(rc, "/console/"));
        router.getWithRegex("^/console$").handler(rc -> redirect(rc, "/console/"));
        router.post("/console/session").handler(BodyHandler.create().setBodyLimit(MAX_SIGN_IN_BODY)
                .setHandleFileUploads(false)).handler(this::signIn);
        router.get("/console/session").handler(this::current);
        router.delete("/console/session").handler(this::signOut);
        router.get("/console/sign-in-methods").handler(rc -> json(rc.response().setStatusCode(200),
                Map.of("apiKey", true, "oidc", oidc.enabled())));
    }

    void signIn(RoutingContext rc) {
        HttpServerRequest req = rc.request();
        try {
            guard.requireSameOrigin(req);
            String type = req.getHeader("Content-Type");
            if (type == null || !type.toLowerCase().startsWith("application/json")) {
                throw new ProblemException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send {\"apiKey\": \"hp_…\"} as application/json");
            }
            String length = req.getHeader("Content-Length");
            if (length != null && Long.parseLong(length.trim()) > MAX_SIGN_IN_BODY) {
                throw new ProblemException(ErrorCode.PAYLOAD_TOO_LARGE, "A sign-in body is at most " + MAX_SIGN_IN_BODY + " bytes");
            }
        } catch (ProblemException e) {
            proxy.problem(rc, e);
            return;
        } catch (NumberFormatException e) {
            proxy.problem(rc, new ProblemException(ErrorCode.BAD_REQUEST, "Content-Length is not a number"));
            return;
        }
        io.vertx.core.buffer.Buffer buf = rc.body().buffer();
        Future.succeededFuture(buf == null ? io.vertx.core.buffer.Buffer.buffer() : buf).compose(body0 -> {
            String key;
            try {
                JsonNode body = body0.length() == 0 ? null : mapper.readTree(body0.getBytes());
                key = body == null ? null : body.path("apiKey").asText(null);
            } catch (IOException e) {
                return Future.failedFuture(new ProblemException(ErrorCode.MALFORMED_BODY, "The body is not JSON"));
            }
            if (key == null || key.isBlank()) {
                return Future.failedFuture(new ProblemException(ErrorCode.VALIDATION_FAILED, "apiKey is required")
                        .with("errors", java.util.List.of(Map.of("field", "apiKey", "message", "required"))));
            }
            if (!key.startsWith("hp_") || key.length() > 200) {
                return Future.failedFuture(new ProblemException(401, "invalid_api_key", "Invalid API key", "The API key is malformed"));
            }
            return policy.verifyApiKey(key);
        }).compose(caller -> vertx.executeBlocking(() -> {
            // A new sign-in replaces the browser's old session rather than leaving it alive.
            store.delete(ConsoleSessionGuard.sessionId(req));
            return store.create(caller, "api_key", null, null, null, null);
        }, false))
                .onSuccess(session -> {
                    audit.record(session.caller(), "console:session:create", "tenant/" + session.caller().tenant() + "/console",
                            req, 201, "allowed", null, io.hotpass.platform.problem.Problems.currentTraceId());
                    started(rc, session, 201);
                })
                .onFailure(err -> proxy.problem(rc, err));
    }

    /** Sets the cookie and answers who is signed in (the CSRF token included). */
    void started(RoutingContext rc, ConsoleSession session, int status) {
        setCookie(rc, session);
        json(rc.response().setStatusCode(status), view(session));
    }

    void setCookie(RoutingContext rc, ConsoleSession session) {
        rc.response().addCookie(Cookie.cookie(ConsoleSessionGuard.COOKIE, session.id()).setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setSecure(guard.secure(rc.request())));
    }

    void current(RoutingContext rc) {
        String id = ConsoleSessionGuard.sessionId(rc.request());
        if (id == null) {
            proxy.problem(rc, ConsoleSessionGuard.unauthenticated());
            return;
        }
        try {
            guard.requireSameOrigin(rc.request());
        } catch (ProblemException e) {
            proxy.problem(rc, e);
            return;
        }
        vertx.executeBlocking(() -> store.find(id), false).onSuccess(found -> {
            if (found.isEmpty()) {
                clearCookie(rc);
                proxy.problem(rc, ConsoleSessionGuard.sessionEnded());
            } else {
                json(rc.response().setStatusCode(200), view(found.get()));
            }
        }).onFailure(err -> proxy.problem(rc, err));
    }

    void signOut(RoutingContext rc) {
        String id = ConsoleSessionGuard.sessionId(rc.request());
        if (id == null) {
            proxy.problem(rc, ConsoleSessionGuard.unauthenticated());
            return;
        }
        guard.authenticate(rc.request(), id)
                .compose(caller -> vertx.executeBlocking(() -> {
                    store.delete(id);
                    return caller;
                }, false))
                .onSuccess(caller -> {
                    audit.record(caller, "console:session:delete", "tenant/" + caller.tenant() + "/console", rc.request(), 204,
                            "allowed", null, io.hotpass.platform.problem.Problems.currentTraceId());
                    clearCookie(rc);
                    rc.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
                })
                .onFailure(err -> proxy.problem(rc, err));
    }

    private void clearCookie(RoutingContext rc) {
        rc.response().addCookie(Cookie.cookie(ConsoleSessionGuard.COOKIE, "").setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setSecure(guard.secure(rc.request())).setMaxAge(0));
    }

    static Map<String, Object> view(ConsoleSession s) {
        Caller c = s.caller();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("subject", c.subject());
        v.put("displayName", s.displayName());
        v.put("tenant", c.tenant());
        v.put("roles", new TreeSet<>(c.roles()));
        v.put("authMethod", s.authMethod());
        v.put("csrfToken", s.csrfToken());
        v.put("expiresAt", s.expiresAt().toString());
        return v;
    }

    private void json(HttpServerResponse res, Object body) {
        try {
            res.putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                    .end(mapper.writeValueAsString(body));
        } catch (IOException e) {
            res.setStatusCode(500).end();
        }
    }

    private static void redirect(RoutingContext rc, String to) {
        rc.response().setStatusCode(302).putHeader("Location", to).end();
    }
}
