package io.hotpass.enrichment.registry;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

public record RegistryView(UUID id, String name, UUID datasetId, List<String> matchOn, BigDecimal reliability,
        OffsetDateTime createdAt) {
    static RegistryView of(ReferenceRegistry r) {
        return new RegistryView(r.id, r.name, r.datasetId, List.of(r.matchOn), r.reliability, r.createdAt);
    }
}
