package io.hotpass.ingest.version;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

/** A dataset version as the API shows it. */
public record VersionView(int number, Integer parent, String kind, String status, long rowCount, long rowsAdded,
        long rowsRemoved, long rowsChanged, long rowsQuarantined, String contentSha256, JsonNode columns,
        JsonNode mapping, JsonNode source, String runId, OffsetDateTime createdAt, String createdBy) {
}
