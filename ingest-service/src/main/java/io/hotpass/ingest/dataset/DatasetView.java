package io.hotpass.ingest.dataset;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A dataset as the API shows it. */
public record DatasetView(UUID id, String name, String profile, String description, List<String> rowKey,
        int currentVersion, Integer publishedVersion, OffsetDateTime createdAt, String createdBy) {

    static DatasetView of(Dataset d) {
        return new DatasetView(d.id, d.name, d.profile, d.description,
                d.rowKey == null ? List.of() : List.of(d.rowKey), d.currentVersion, d.publishedVersion, d.createdAt, d.createdBy);
    }
}
