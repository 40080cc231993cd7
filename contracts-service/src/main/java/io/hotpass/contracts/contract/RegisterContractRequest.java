package io.hotpass.contracts.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /contracts}: a new contract or a new version of one. */
public record RegisterContractRequest(
        @Schema(examples = "aviation-orgs") @NotBlank @Size(max = 100)
        @Pattern(regexp = "[a-z0-9][a-z0-9._-]*", message = "must be lower-case letters, digits, '.', '_' or '-'") String name,
        @Schema(examples = "1.0.0") @NotBlank String version,
        @Schema(description = "Name of the dataset the contract applies to", examples = "aviation-orgs") @NotBlank @Size(max = 100) String dataset,
        @Size(max = 200) String owner,
        @Size(max = 4000) String description,
        @Schema(description = "Fields and expectations (format documented in docs/reference)") @NotNull ObjectNode spec) {
}
