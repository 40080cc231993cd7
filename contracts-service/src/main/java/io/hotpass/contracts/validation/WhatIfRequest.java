package io.hotpass.contracts.validation;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /validations/what-if}: a dataset version and changes in the shape of an
 * ingest-service change set ({@code POST /datasets/{id}/versions}), so a caller can ask about
 * exactly what it is about to commit.
 */
public record WhatIfRequest(
        @Schema(description = "ingest-service dataset id", examples = "0b6f1c1e-8a7d-4f0e-9a51-2f1c9d3b7e10") @NotNull UUID datasetId,
        @Schema(description = "the dataset version the changes apply to", examples = "3") @NotNull @Min(0) Integer version,
        @Schema(description = "the changes, as ingest's change set carries them") @NotNull @Size(max = 100000)
        List<@Valid @NotNull Change> changes) {

    /**
     * One change: {@code upsert} merges {@code values} into the row (a new row when no row has the
     * id), {@code delete} removes the row. A null value clears the field.
     */
    public record Change(
            @Schema(examples = "upsert") @NotBlank @Pattern(regexp = "upsert|delete", message = "must be upsert or delete") String op,
            @Schema(examples = "2017/061981/23") @NotBlank @Size(max = 500) String rowId,
            Map<String, Object> values) {
    }
}
