package io.hotpass.policy.tenant;

import java.time.OffsetDateTime;

public record TenantView(String id, String displayName, String status, OffsetDateTime createdAt, String keycloakClient) {
    static TenantView of(Tenant t) {
        return new TenantView(t.id, t.displayName, t.status, t.createdAt, null);
    }

    /** With the Keycloak client its systems get tokens from, when the tenant was onboarded there. */
    static TenantView of(Tenant t, String keycloakClient) {
        return new TenantView(t.id, t.displayName, t.status, t.createdAt, keycloakClient);
    }
}
