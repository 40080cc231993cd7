package io.hotpass.contracts.validation;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /validations}. */
public record ValidateRequest(
        @Schema(description = "ingest-service dataset id", examples = "0b6f1c1e-8a7d-4f0e-9a51-2f1c9d3b7e10") @NotNull UUID datasetId,
        @Schema(description = "dataset version number", examples = "3") @NotNull @Min(0) Integer version) {
}
