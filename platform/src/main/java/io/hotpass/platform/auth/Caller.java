package io.hotpass.platform.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Set;

/**
 * The authenticated caller of a request, as carried by the gateway's internal JWT.
 *
 * @param subject the user, API key or service account id
 * @param tenant the tenant the request acts in
 * @param roles role names granted in that tenant (and platform roles)
 * @param scopes OAuth-style scopes of the credential
 */
public record Caller(String subject, String tenant, Set<String> roles, Set<String> scopes) {

    public static final String PLATFORM_ADMIN = "platform-admin";

    public Caller {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    }

    /**
     * The caller an internal JWT stands for: subject, {@code tenant} claim, roles ({@code groups})
     * and space-separated {@code scope}. A token without a tenant is no credential (401).
     *
     * <p>The two custom claims are read from the payload of the verified raw token, not through
     * {@code JsonWebToken.getClaim}: smallrye-jwt's {@code getClaim} looks every name up with
     * {@code Claims.valueOf} and builds an {@code IllegalArgumentException}, stack trace and all, for
     * each name that is not a standard claim — two on every request of every service, the largest
     * single cost of a policy decision after jCasbin (bench/policy/README.md). The payload is the
     * very bytes the signature covers, so it says exactly what {@code getClaim} would.
     */
    public static Caller of(org.eclipse.microprofile.jwt.JsonWebToken jwt) {
        JsonNode payload = payload(jwt.getRawToken());
        String t = payload == null ? claimText(jwt.getClaim(InternalToken.CLAIM_TENANT))
                : claimText(payload.get(InternalToken.CLAIM_TENANT));
        if (t == null || t.isBlank()) {
            throw new io.hotpass.platform.problem.ProblemException(io.hotpass.platform.problem.ErrorCode.UNAUTHENTICATED,
                    "The credential names no tenant").header("WWW-Authenticate", "Bearer");
        }
        Set<String> scopes = new java.util.LinkedHashSet<>();
        String scope = payload == null ? claimText(jwt.getClaim(InternalToken.CLAIM_SCOPE))
                : claimText(payload.get(InternalToken.CLAIM_SCOPE));
        if (scope != null) {
            for (String s : scope.split("\\s+")) {
                if (!s.isBlank()) {
                    scopes.add(s);
                }
            }
        }
        return new Caller(jwt.getSubject(), io.hotpass.platform.tenancy.TenantId.parse(t).value(), jwt.getGroups(), scopes);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The claims of a compact JWS ({@code header.payload.signature}); null when there is no such token. */
    private static JsonNode payload(String rawToken) {
        if (rawToken == null) {
            return null;
        }
        int first = rawToken.indexOf('.');
        int second = first < 0 ? -1 : rawToken.indexOf('.', first + 1);
        if (second < 0) {
            return null;
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(rawToken.substring(first + 1, second)));
            return claims != null && claims.isObject() ? claims : null;
        } catch (IOException | IllegalArgumentException e) {
            return null; // not a compact JWS after all: ask the token object instead
        }
    }

    /** A claim's text: a JSON string unquoted, any other value as written; null when absent. */
    private static String claimText(Object value) {
        if (value == null || value instanceof com.fasterxml.jackson.databind.node.NullNode) {
            return null;
        }
        if (value instanceof JsonNode node) {
            return node.isValueNode() ? node.asText() : node.toString().replace("\"", "");
        }
        return value.toString().replace("\"", "");
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean isPlatformAdmin() {
        return roles.contains(PLATFORM_ADMIN);
    }
}
