package io.hotpass.policy.apikey;

import java.time.Instant;
import java.util.List;

/** An API key as listed: everything but the secret, which is never shown after creation. */
public record ApiKeyView(String id, String name, String tenant, List<String> roles, List<String> scopes,
        String createdBy, Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {

    static ApiKeyView of(ApiKey k) {
        return new ApiKeyView(k.keyId(), k.name(), k.tenant(), k.roles(), k.scopes(), k.createdBy(), k.createdAt(),
                k.expiresAt(), k.revokedAt(), k.lastUsedAt());
    }
}
