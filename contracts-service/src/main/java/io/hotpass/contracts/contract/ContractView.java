package io.hotpass.contracts.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A contract version as the API shows it; {@code spec} is the whole contract document as JSON. */
public record ContractView(UUID id, String name, String version, String dataset, String owner, String description,
        String state, JsonNode spec, OffsetDateTime createdAt, String createdBy, OffsetDateTime activatedAt,
        OffsetDateTime deprecatedAt, Links links) {

    public record Links(String self, String jsonSchema, String avro) {
    }
}
