package io.hotpass.ingest.version;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /datasets/{id}/versions}: upserts and deletes by row id, applied as one new version. */
public record ChangeSetRequest(
        @NotEmpty @Size(max = 100000) List<@Valid @NotNull Change> changes,
        @Valid Source source) {

    /** One change: {@code upsert} merges {@code values} into the row (creating it when new), {@code delete} ends it. */
    public record Change(
            @Schema(examples = "upsert") @NotBlank @Pattern(regexp = "upsert|delete", message = "must be upsert or delete") String op,
            @Schema(examples = "2017/061981/23") @NotBlank @Size(max = 500) String rowId,
            Map<String, Object> values) {
    }

    /** Where the change set comes from, e.g. an enrichment plan. */
    public record Source(@Schema(examples = "enrichment-plan") @Size(max = 100) String kind,
            @Size(max = 200) String ref) {
    }
}
