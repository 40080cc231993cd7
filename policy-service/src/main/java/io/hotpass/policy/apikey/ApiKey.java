package io.hotpass.policy.apikey;

import java.time.Instant;
import java.util.List;

/** A stored API key, without its secret (only the secret's hash is stored, and it stays in the repository). */
public record ApiKey(String keyId, String tenant, String name, List<String> roles, List<String> scopes,
        String createdBy, Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {
}
