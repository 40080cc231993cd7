package io.hotpass.ingest.version;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** Body of {@code POST /datasets/{id}/restore}. */
public record RestoreRequest(@NotNull @Min(1) Integer version) {
}
