package io.hotpass.enrichment.plan;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code PATCH /plans/{id}}: decisions on individual changes, and/or every pending change
 * at or above a confidence approved.
 */
public record DecisionRequest(
        @Schema(description = "Decisions by change seq") @Size(max = 10_000) List<@Valid Decision> decisions,
        @Schema(description = "Approve every pending change with confidence >= this", examples = "0.8")
        @DecimalMin("0") @DecimalMax("1") BigDecimal approveAbove,
        @Schema(description = "Reject every pending change with confidence < this", examples = "0.5")
        @DecimalMin("0") @DecimalMax("1") BigDecimal rejectBelow) {

    public record Decision(@NotNull Integer seq,
            @NotNull @Pattern(regexp = "approved|rejected|pending", message = "must be approved, rejected or pending")
            String decision) {
    }
}
