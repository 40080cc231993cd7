package io.hotpass.gateway.auth;

import io.hotpass.platform.auth.Caller;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.security.PublicKey;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

/**
 * Verifies Keycloak access tokens: signature against the realm's JWKS ({@link RealmKeys}: fetched
 * with a bounded time, so Keycloak unreachable never hangs a request) with asymmetric algorithms
 * only (so {@code alg: none} and HMAC signed with the public key are refused), issuer, audience,
 * expiry and not-before. The tenant comes from the {@code tenant} claim; roles from realm roles,
 * the configured client's roles and groups.
 */
@ApplicationScoped
public class OidcTokenVerifier {

    @Inject
    OidcConfig config;

    private DefaultJWTParser parser;
    private RealmKeys keys;

    @PostConstruct
    void init() {
        if (!config.enabled()) {
            return;
        }
        String issuer = config.issuer().orElseThrow(() -> new IllegalStateException(
                "hotpass.gateway.oidc.issuer is required when OIDC is enabled"));
        JWTAuthContextInfo info = new JWTAuthContextInfo();
        info.setIssuedBy(issuer);
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256, SignatureAlgorithm.RS384, SignatureAlgorithm.RS512,
                SignatureAlgorithm.ES256, SignatureAlgorithm.PS256));
        info.setExpGracePeriodSecs(0);
        config.audiences().ifPresent(a -> info.setExpectedAudience(Set.copyOf(a)));
        parser = new DefaultJWTParser(info);
        keys = new RealmKeys(config.jwksLocation().orElse(issuer + "/protocol/openid-connect/certs"),
                Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofSeconds(2), Duration.ofSeconds(5));
        keys.refresh(); // a realm away at start-up is not fatal: the first token asks again
    }

    public boolean accepts(String issuer) {
        return config.enabled() && config.issuer().map(i -> i.equals(issuer)).orElse(false);
    }

    /** Blocking (may fetch the JWKS): call off the event loop. */
    public Caller verify(String token) {
        JsonWebToken jwt;
        try {
            String kid = JsonWebStructure.fromCompactSerialization(token).getKeyIdHeaderValue();
            PublicKey key = keys.key(kid).orElseThrow(() -> PolicyClient.unauthenticated(
                    "The bearer token is invalid, expired or not from the configured issuer"));
            jwt = parser.verify(token, key);
        } catch (ParseException | JoseException e) {
            throw PolicyClient.unauthenticated("The bearer token is invalid, expired or not from the configured issuer");
        }
        Object tenant = jwt.getClaim(config.tenantClaim());
        String tenantValue = tenant instanceof JsonString s ? s.getString() : tenant == null ? null : tenant.toString();
        if (tenantValue == null || tenantValue.isBlank()) {
            throw PolicyClient.unauthenticated("The token carries no '" + config.tenantClaim() + "' claim");
        }
        Set<String> roles = new LinkedHashSet<>(jwt.getGroups());
        addRoles(roles, jwt.getClaim("realm_access"));
        config.clientId().ifPresent(client -> {
            Object access = jwt.getClaim("resource_access");
            if (access instanceof JsonObject o && o.get(client) != null) {
                addRoles(roles, o.get(client));
            }
        });
        Set<String> scopes = new LinkedHashSet<>();
        Object scope = jwt.getClaim("scope");
        if (scope != null) {
            String s = scope instanceof JsonString js ? js.getString() : scope.toString();
            scopes.addAll(List.of(s.split("\\s+")));
            scopes.remove("");
        }
        return new Caller("user:" + jwt.getSubject(), tenantValue, roles, scopes);
    }

    private static void addRoles(Set<String> roles, Object access) {
        if (access instanceof JsonObject o && o.get("roles") instanceof JsonArray a) {
            for (JsonValue v : a) {
                if (v instanceof JsonString s) {
                    roles.add(s.getString());
                }
            }
        }
    }
}
