package io.hotpass.contracts.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.UUID;

public record ContractView(UUID id, String name, String version, String dataset, String owner, String description,
        String state, JsonNode spec, OffsetDateTime createdAt, String createdBy) {
}
