package io.hotpass.enrichment.plan;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /plans}. */
public record CreatePlanRequest(
        @Schema(description = "The ingest dataset to enrich") @NotNull UUID datasetId,
        @Schema(description = "The dataset version the plan is computed from", examples = "3") @NotNull @Min(0)
        Integer version,
        @Schema(description = "Fields to propose values for", examples = "[\"phone\", \"email\"]")
        @NotEmpty @Size(max = 9) List<@Pattern(regexp = PlanService.FIELD_PATTERN,
                message = "must be one of name, email, phone, website, street, city, province, country, "
                        + "registration_number") String> fields,
        @Schema(description = "Sources: registry:<name> or website", examples = "[\"registry:caa-register\", \"website\"]")
        @NotEmpty @Size(max = 10) List<@Pattern(regexp = "website|registry:[a-z0-9][a-z0-9._-]*",
                message = "must be 'website' or 'registry:<name>'") String> sources) {
}
