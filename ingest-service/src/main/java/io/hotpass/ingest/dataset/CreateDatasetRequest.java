package io.hotpass.ingest.dataset;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /datasets}. */
public record CreateDatasetRequest(
        @Schema(examples = "aviation-orgs", description = "Unique within the tenant")
        @NotBlank @Size(max = 100) @Pattern(regexp = "[a-z0-9][a-z0-9._-]*", message = "must be lower-case letters, digits, '.', '_' or '-'")
        String name,
        @Schema(examples = "organisation", description = "Canonical profile the rows are mapped onto")
        @NotBlank String profile,
        @Size(max = 2000) String description,
        @Schema(description = "Columns whose values identify a row across versions", examples = "[\"registration_number\"]")
        @Size(max = 10) List<@NotBlank @Size(max = 100) String> rowKey) {
}
