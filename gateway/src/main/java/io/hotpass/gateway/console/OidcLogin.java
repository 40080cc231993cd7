package io.hotpass.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.gateway.auth.OidcConfig;
import io.hotpass.gateway.auth.OidcTokenVerifier;
import io.hotpass.gateway.proxy.AuditTrail;
import io.hotpass.gateway.proxy.GatewayProxy;
import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.problem.Problems;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The console's Keycloak sign-in: OAuth 2.0 authorization code with PKCE (S256), done by the
 * gateway. The state and the code verifier are kept in the gateway's database (any replica can
 * take the callback), the code is exchanged server-side, the access token is verified exactly as
 * a bearer token is, and Keycloak's tokens stay in the session row. The browser sees only the
 * session cookie.
 */
@ApplicationScoped
public class OidcLogin {

    @Inject
    OidcConfig config;

    @Inject
    OidcTokenVerifier verifier;

    @Inject
    ConsoleSessionStore store;

    @Inject
    ConsoleSessionGuard guard;

    @Inject
    ConsoleRoutes routes;

    @Inject
    GatewayProxy proxy;

    @Inject
    AuditTrail audit;

    @Inject
    ObjectMapper mapper;

    @Inject
    Vertx vertx;

    private HttpClient client;

    @PostConstruct
    void init() {
        client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5000).setKeepAlive(true));
    }

    void register(@Observes Router router) {
        router.get("/console/oidc/login").handler(this::login);
        router.get("/console/oidc/callback").handler(this::callback);
    }

    String issuer() {
        return config.issuer().orElseThrow();
    }

    String clientId() {
        return config.consoleClientId().or(config::clientId).orElse("hotpass-console");
    }

    String redirectUri(RoutingContext rc) {
        return guard.ownOrigin(rc.request()) + "/console/oidc/callback";
    }

    void login(RoutingContext rc) {
        if (!config.enabled()) {
            proxy.problem(rc, new ProblemException(404, "not_found", "Not found", "Keycloak sign-in is not configured"));
            return;
        }
        String state = ConsoleSessionStore.randomToken();
        String verifierValue = ConsoleSessionStore.randomToken() + ConsoleSessionStore.randomToken();
        String returnTo = safeReturn(rc.request().getParam("returnTo"));
        String redirect = redirectUri(rc);
        vertx.executeBlocking(() -> {
            store.savePendingLogin(state, verifierValue, returnTo);
            return null;
        }, false).onSuccess(v -> {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("response_type", "code");
            q.put("client_id", clientId());
            q.put("redirect_uri", redirect);
            q.put("scope", "openid");
            q.put("state", state);
            q.put("code_challenge", challenge(verifierValue));
            q.put("code_challenge_method", "S256");
            String endpoint = config.authorizationEndpoint().orElse(issuer() + "/protocol/openid-connect/auth");
            rc.response().setStatusCode(302).putHeader("Location", endpoint + "?" + form(q))
                    .putHeader("Cache-Control", "no-store").end();
        }).onFailure(err -> proxy.problem(rc, err));
    }

    void callback(RoutingContext rc) {
        if (!config.enabled()) {
            proxy.problem(rc, new ProblemException(404, "not_found", "Not found", "Keycloak sign-in is not configured"));
            return;
        }
        String error = rc.request().getParam("error");
        String code = rc.request().getParam("code");
        String state = rc.request().getParam("state");
        if (error != null || code == null || state == null) {
            proxy.problem(rc, failed(error != null ? "Keycloak answered " + error : "code and state are required"));
            return;
        }
        String redirect = redirectUri(rc);
        vertx.executeBlocking(() -> store.takePendingLogin(state), false).compose(pending -> {
            if (pending.isEmpty()) {
                return Future.failedFuture(failed("Unknown, used or expired state: start the sign-in again"));
            }
            Map<String, String> f = new LinkedHashMap<>();
            f.put("grant_type", "authorization_code");
            f.put("code", code);
            f.put("redirect_uri", redirect);
            f.put("client_id", clientId());
            f.put("code_verifier", pending.get().verifier());
            config.consoleClientSecret().ifPresent(s -> f.put("client_secret", s));
            String endpoint = config.tokenEndpoint().orElse(issuer() + "/protocol/openid-connect/token");
            return client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(endpoint).setIdleTimeout(10_000))
                    .compose(req -> req.putHeader("Content-Type", "application/x-www-form-urlencoded")
                            .putHeader("Accept", "application/json").send(Buffer.buffer(form(f))))
                    .compose(res -> res.body().map(body -> Map.entry(res.statusCode(), body)))
                    .compose(answer -> {
                        if (answer.getKey() != 200) {
                            return Future.failedFuture(failed("Keycloak refused the code (HTTP " + answer.getKey() + ")"));
                        }
                        JsonNode tokens;
                        try {
                            tokens = mapper.readTree(answer.getValue().getBytes());
                        } catch (java.io.IOException e) {
                            return Future.failedFuture(failed("Keycloak's token answer is not JSON"));
                        }
                        String access = tokens.path("access_token").asText(null);
                        if (access == null) {
                            return Future.failedFuture(failed("Keycloak's token answer has no access_token"));
                        }
                        String refresh = tokens.path("refresh_token").asText(null);
                        long refreshSeconds = tokens.path("refresh_expires_in").asLong(0);
                        Instant end = refreshSeconds > 0 ? Instant.now().plusSeconds(refreshSeconds) : null;
                        return vertx.executeBlocking(() -> {
                            Caller caller = verifier.verify(access);
                            return store.create(caller, "oidc", displayName(access), access, refresh, end);
                        }, false);
                    })
                    .map(session -> Map.entry(session, pending.get().returnTo()));
        }).onSuccess(done -> {
            ConsoleSession session = done.getKey();
            audit.record(session.caller(), "console:session:create", "tenant/" + session.caller().tenant() + "/console",
                    rc.request(), 302, "allowed", null, Problems.currentTraceId());
            routes.setCookie(rc, session);
            rc.response().setStatusCode(302).putHeader("Location", "/console/" + done.getValue())
                    .putHeader("Cache-Control", "no-store").end();
        }).onFailure(err -> proxy.problem(rc, err instanceof ProblemException ? err : failed(err.getMessage())));
    }

    /**
     * The person's name from the (just verified) access token, for the console to show: {@code name},
     * else {@code preferred_username}; null when the token has neither.
     */
    String displayName(String accessToken) {
        try {
            String[] parts = accessToken.split("\\.");
            JsonNode claims = mapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
            String name = claims.path("name").asText("");
            if (name.isBlank()) {
                name = claims.path("preferred_username").asText("");
            }
            return name.isBlank() ? null : name.length() > 200 ? name.substring(0, 200) : name;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** Only a console page (a hash route) is a place to return to: never another site. */
    static String safeReturn(String returnTo) {
        if (returnTo != null && returnTo.matches("#/[A-Za-z0-9/_.%?=&-]{0,200}")) {
            return returnTo;
        }
        return "#/datasets";
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static ProblemException failed(String detail) {
        return new ProblemException(400, "oidc_sign_in_failed", "Sign-in with Keycloak failed", detail);
    }
}
