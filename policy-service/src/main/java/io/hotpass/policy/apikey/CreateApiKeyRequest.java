package io.hotpass.policy.apikey;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /tenants/{tenant}/api-keys}. */
public record CreateApiKeyRequest(
        @Schema(examples = "nightly-import") @NotBlank @Size(max = 200) String name,
        @Schema(examples = "[\"steward\"]", description = "Known roles only; platform roles need a platform administrator")
        @Size(max = 16) List<@NotBlank String> roles,
        @Schema(examples = "[\"ingest:write\"]") @Size(max = 32)
        List<@NotBlank @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9:._/-]+",
                message = "must be letters, digits or : . _ / -") String> scopes,
        @Schema(description = "Optional expiry, an ISO-8601 instant in the future", examples = "2027-01-01T00:00:00Z")
        Instant expiresAt) {

    public CreateApiKeyRequest {
        roles = roles == null ? List.of() : List.copyOf(roles);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }
}
