package io.hotpass.lineage.marquez;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Response records in Marquez's shapes (api/v1), so Marquez clients and its web UI read them unchanged. */
public final class MarquezViews {

    private MarquezViews() {
    }

    public record NamespaceView(String name, OffsetDateTime createdAt, OffsetDateTime updatedAt, String ownerName,
            String description, boolean isHidden) {
    }

    public record NamespaceList(List<NamespaceView> namespaces) {
    }

    public record DatasetId(String namespace, String name) {
    }

    public record JobId(String namespace, String name) {
    }

    public record VersionId(String namespace, String name, UUID version) {
    }

    public record DatasetVersionRef(VersionId datasetVersionId, JsonNode facets) {
    }

    public record RunView(UUID id, OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime nominalStartTime,
            OffsetDateTime nominalEndTime, String state, OffsetDateTime startedAt, OffsetDateTime endedAt, Long durationMs,
            Map<String, String> args, VersionId jobVersion, List<DatasetVersionRef> inputDatasetVersions,
            List<DatasetVersionRef> outputDatasetVersions, Map<String, String> context, JsonNode facets) {
    }

    public record RunList(List<RunView> runs, long totalCount) {
    }

    public record JobView(JobId id, String type, String name, String simpleName, String parentJobName,
            OffsetDateTime createdAt, OffsetDateTime updatedAt, String namespace, List<DatasetId> inputs,
            List<DatasetId> outputs, String location, String description, RunView latestRun, JsonNode facets,
            UUID currentVersion) {
    }

    public record JobList(List<JobView> jobs, long totalCount) {
    }

    public record JobVersionView(VersionId id, String name, UUID version, OffsetDateTime createdAt, String namespace,
            List<DatasetId> inputs, List<DatasetId> outputs, String location) {
    }

    public record JobVersionList(List<JobVersionView> versions, long totalCount) {
    }

    public record DatasetView(DatasetId id, String type, String name, String physicalName, OffsetDateTime createdAt,
            OffsetDateTime updatedAt, String namespace, String sourceName, JsonNode fields, List<String> tags,
            OffsetDateTime lastModifiedAt, String lastLifecycleState, String description, JsonNode facets,
            UUID currentVersion, boolean deleted) {
    }

    public record DatasetList(List<DatasetView> datasets, long totalCount) {
    }

    public record DatasetVersionView(VersionId id, String type, String name, String physicalName, OffsetDateTime createdAt,
            UUID version, String namespace, String sourceName, JsonNode fields, List<String> tags, String lifecycleState,
            String description, RunView createdByRun, JsonNode facets) {
    }

    public record DatasetVersionList(List<DatasetVersionView> versions, long totalCount) {
    }

    public record SearchResult(String type, String name, OffsetDateTime updatedAt, String namespace, String nodeId) {
    }

    public record SearchResultList(long totalCount, List<SearchResult> results) {
    }
}
