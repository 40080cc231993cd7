package io.hotpass.gateway.auth;

import io.hotpass.gateway.console.ConsoleSessionGuard;
import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.auth.InternalToken;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Turns the credential on an incoming request into a {@link Caller}: a tenant API key
 * ({@code Authorization: ApiKey …} or {@code X-API-Key}) verified by policy-service, or a bearer
 * internal JWT (a service calling another through the gateway keeps its identity), or — only
 * when neither is present — the web console's session cookie under the rules of
 * {@link ConsoleSessionGuard}. Anything else, including a missing credential, is 401.
 */
@ApplicationScoped
public class Authenticator {

    @Inject
    PolicyClient policy;

    @Inject
    JWTParser jwtParser;

    @Inject
    Vertx vertx;

    @Inject
    OidcTokenVerifier oidc;

    @Inject
    ConsoleSessionGuard consoleSessions;

    public Future<Caller> authenticate(HttpServerRequest req) {
        String apiKey = req.getHeader("X-API-Key");
        String authorization = req.getHeader("Authorization");
        if (apiKey == null && authorization != null && authorization.regionMatches(true, 0, "ApiKey ", 0, 7)) {
            apiKey = authorization.substring(7).trim();
        }
        if (apiKey != null) {
            if (!apiKey.startsWith("hp_") || apiKey.length() > 200) {
                return Future.failedFuture(PolicyClient.unauthenticated("The API key is malformed"));
            }
            return policy.verifyApiKey(apiKey);
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            String issuer = unverifiedIssuer(token);
            // Signature checks may fetch a JWKS, which blocks: verify off the event loop.
            if (InternalToken.ISSUER.equals(issuer)) {
                return vertx.executeBlocking(() -> fromInternalToken(token), false);
            }
            if (issuer != null && oidc.accepts(issuer)) {
                return vertx.executeBlocking(() -> oidc.verify(token), false);
            }
            return Future.failedFuture(PolicyClient.unauthenticated("The bearer token is not from a trusted issuer"));
        }
        String session = ConsoleSessionGuard.sessionId(req);
        if (session != null) {
            return consoleSessions.authenticate(req, session);
        }
        return Future.failedFuture(PolicyClient.unauthenticated("A credential is required: an API key or a bearer token"));
    }

    /** The {@code iss} claim read without verification, only to choose the verifier. */
    static String unverifiedIssuer(String token) {
        String[] parts = token.split("\\.");
        if (parts.length < 2 || parts[1].length() > 16_384) {
            return null;
        }
        try {
            byte[] json = java.util.Base64.getUrlDecoder().decode(parts[1]);
            try (jakarta.json.JsonReader r = jakarta.json.Json.createReader(new java.io.ByteArrayInputStream(json))) {
                jakarta.json.JsonObject o = r.readObject();
                return o.get("iss") instanceof jakarta.json.JsonString s ? s.getString() : null;
            }
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Caller fromInternalToken(String token) {
        try {
            return Caller.of(jwtParser.parse(token));
        } catch (ParseException e) {
            throw PolicyClient.unauthenticated("The bearer token is invalid or expired");
        }
    }
}
