package io.hotpass.contracts.validation;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /validations}. */
public record ValidateRequest(
        @Schema(description = "ingest-service dataset id", examples = "0b6f1c1e-8a7d-4f0e-9a51-2f1c9d3b7e10") @NotNull UUID datasetId,
        @Schema(description = "dataset version number", examples = "3") @NotNull @Min(0) Integer version,
        @Schema(description = "sync (default): answer 201 when the run has finished. async: answer 202 at once with"
                + " the run queued; a runner validates it and GET /validations/{id} shows its progress, then its result.",
                enumeration = {"sync", "async"}, defaultValue = "sync", examples = "async")
        @Pattern(regexp = "sync|async", message = "must be sync or async") String mode) {

    public ValidateRequest(UUID datasetId, Integer version) {
        this(datasetId, version, null);
    }

    /** Whether the caller asked for a queued run. */
    public boolean async() {
        return "async".equals(mode);
    }
}
