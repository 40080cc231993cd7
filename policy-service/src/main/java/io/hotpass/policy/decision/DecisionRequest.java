package io.hotpass.policy.decision;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One question to the decision point: may this subject of this tenant, holding these roles, do this? */
@Schema(description = "A subject of a tenant, with the roles of its token, asking to perform an action on a resource")
public record DecisionRequest(
        @Schema(examples = "user-7f3a") @NotBlank @Size(max = 256) String subject,
        @Schema(examples = "acme") @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}",
                message = "must be 2-63 lower-case letters, digits or '-'") String tenant,
        @Schema(examples = "[\"steward\"]") @Size(max = 64) List<@NotBlank @Size(max = 128) String> roles,
        @Schema(examples = "ingest:dataset:create") @NotBlank @Size(max = 256) String action,
        @Schema(examples = "tenant/acme/datasets") @NotBlank @Size(max = 1024)
        @Pattern(regexp = "(?!(.*/)?\\.{1,2}(/.*)?$).*", message = "must not contain '.' or '..' segments")
        String resource) {

    public DecisionRequest {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }
}
