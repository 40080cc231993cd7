package io.hotpass.platform.auth;

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
     */
    public static Caller of(org.eclipse.microprofile.jwt.JsonWebToken jwt) {
        Object tenant = jwt.getClaim(InternalToken.CLAIM_TENANT);
        String t = tenant == null ? null : tenant.toString().replace("\"", "");
        if (t == null || t.isBlank()) {
            throw new io.hotpass.platform.problem.ProblemException(io.hotpass.platform.problem.ErrorCode.UNAUTHENTICATED,
                    "The credential names no tenant").header("WWW-Authenticate", "Bearer");
        }
        Set<String> scopes = new java.util.LinkedHashSet<>();
        Object scope = jwt.getClaim(InternalToken.CLAIM_SCOPE);
        if (scope != null) {
            for (String s : scope.toString().replace("\"", "").split("\\s+")) {
                if (!s.isBlank()) {
                    scopes.add(s);
                }
            }
        }
        return new Caller(jwt.getSubject(), io.hotpass.platform.tenancy.TenantId.parse(t).value(), jwt.getGroups(), scopes);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean isPlatformAdmin() {
        return roles.contains(PLATFORM_ADMIN);
    }
}
