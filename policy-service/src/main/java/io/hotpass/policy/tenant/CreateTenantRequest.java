package io.hotpass.policy.tenant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /tenants}. */
public record CreateTenantRequest(
        @Schema(examples = "acme") @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}",
                message = "must be 2-63 lower-case letters, digits or '-'") String id,
        @Schema(examples = "Acme Aviation") @NotBlank @Size(max = 200) String displayName) {
}
