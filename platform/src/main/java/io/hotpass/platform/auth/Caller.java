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

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean isPlatformAdmin() {
        return roles.contains(PLATFORM_ADMIN);
    }
}
