package io.hotpass.policy.tenant;

import java.time.OffsetDateTime;

public record TenantView(String id, String displayName, String status, OffsetDateTime createdAt) {
    static TenantView of(Tenant t) {
        return new TenantView(t.id, t.displayName, t.status, t.createdAt);
    }
}
