package io.hotpass.policy.keycloak;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * {@code hotpass.policy.keycloak.*}: the realm tenants are onboarded into. policy-service signs in
 * to Keycloak's admin API with the client credentials of its own confidential client
 * ({@code hotpass-policy-admin} in {@code k8s/keycloak/realm-hotpass.json}), whose service account
 * holds {@code realm-management}'s manage-clients, manage-users, view-realm and query-groups.
 */
@ConfigMapping(prefix = "hotpass.policy.keycloak")
public interface KeycloakSettings {

    /** Off by default: then onboarding creates the tenant in policy-service only. */
    @WithDefault("false")
    boolean enabled();

    /** e.g. {@code http://127.0.0.1:8180} (no {@code /realms/...}). */
    Optional<String> serverUrl();

    @WithDefault("hotpass")
    String realm();

    @WithDefault("hotpass-policy-admin")
    String clientId();

    Optional<String> clientSecret();

    /** The audience every tenant token must carry for the gateway. */
    @WithDefault("hotpass-gateway")
    String audience();

    /** The realm role of a tenant's machine client (its service account). */
    @WithDefault("steward")
    String machineRole();
}
