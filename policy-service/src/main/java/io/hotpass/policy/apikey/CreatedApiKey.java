package io.hotpass.policy.apikey;

import java.time.Instant;
import java.util.List;

/**
 * The answer to creating a key. {@code key} is the full key, present in this one response only:
 * a replay of the request under the same Idempotency-Key answers with {@code key} null, because the
 * secret is never stored anywhere, the idempotency record included.
 */
public record CreatedApiKey(String id, String key, String name, String tenant, List<String> roles,
        List<String> scopes, Instant expiresAt, Instant createdAt) {

    static CreatedApiKey of(ApiKey k, PlaintextApiKey plaintext) {
        return new CreatedApiKey(k.keyId(), plaintext == null ? null : plaintext.value(), k.name(), k.tenant(),
                k.roles(), k.scopes(), k.expiresAt(), k.createdAt());
    }
}
