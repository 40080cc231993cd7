package io.hotpass.policy.apikey;

import java.time.Instant;
import java.util.List;

/** What the gateway learns from a valid key: whom to mint the internal token for. */
public record VerifiedApiKey(String keyId, String tenant, String subject, List<String> roles, List<String> scopes,
        Instant expiresAt) {

    public static final String SUBJECT_PREFIX = "apikey:";
}
