package io.hotpass.enrichment.registry;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /registries}. */
public record RegisterRegistryRequest(
        @Schema(examples = "caa-register") @NotBlank @Size(max = 100)
        @Pattern(regexp = "[a-z0-9][a-z0-9._-]*", message = "must be lower-case letters, digits, '.', '_' or '-'") String name,
        @Schema(description = "The ingest dataset holding the reference records") @NotNull UUID datasetId,
        @Schema(description = "Keys to match rows on, tried in this order: a normalised field equal in exactly one"
                + " registry row, or `resolved` — entity resolution (Fellegi-Sunter on name, phone, email, website and"
                + " registration number together) links a row to at most one registry row",
                examples = "[\"registration_number\", \"resolved\"]")
        @NotEmpty List<@Pattern(regexp = "registration_number|name|email|phone|website|resolved",
                message = "must be one of registration_number, name, email, phone, website, resolved") String> matchOn,
        @Schema(description = "How far values from this source are trusted, (0, 1]", examples = "0.9")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") BigDecimal reliability) {
}
