package io.hotpass.ingest.lineage;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * OpenLineage payloads ingest-service emits through the outbox (destination {@code lineage}).
 * The namespace of a Hotpass dataset is its tenant id and its name is the dataset's name; a run's
 * job is {@code ingest.<kind>.<dataset>} in the same namespace.
 */
public final class LineageEvents {

    public static final String PRODUCER = "https://hotpass.dev/ingest-service";
    static final String RUN_EVENT = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    static final String DATASET_EVENT = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent";

    private LineageEvents() {
    }

    /** Announces a dataset before its first run. */
    public static Map<String, Object> datasetEvent(String tenant, String name, String description, OffsetDateTime at) {
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("namespace", tenant);
        dataset.put("name", name);
        dataset.put("facets", Map.of("documentation", Map.of(
                "_producer", PRODUCER,
                "_schemaURL", "https://openlineage.io/spec/facets/1-0-1/DocumentationDatasetFacet.json",
                "description", description == null ? "" : description)));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventTime", at.toString());
        event.put("producer", PRODUCER);
        event.put("schemaURL", DATASET_EVENT);
        event.put("dataset", dataset);
        return event;
    }

    /**
     * A run event. {@code input} names the source (e.g. the uploaded file) or is null;
     * {@code version}, {@code fields} and {@code rowCount} describe the output when known.
     */
    public static Map<String, Object> runEvent(String eventType, UUID runId, String tenant, String kind, String dataset,
            Map<String, Object> input, Integer version, List<String> fields, Long rowCount, Map<String, Object> error) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("runId", runId.toString());
        if (error != null) {
            run.put("facets", Map.of("errorMessage", facet("ErrorMessageRunFacet", "1-0-1", error)));
        }
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("namespace", tenant);
        output.put("name", dataset);
        Map<String, Object> facets = new LinkedHashMap<>();
        if (fields != null) {
            facets.put("schema", facet("SchemaDatasetFacet", "1-1-1",
                    Map.of("fields", fields.stream().map(f -> Map.of("name", f, "type", "string")).toList())));
        }
        if (version != null) {
            facets.put("version", facet("DatasetVersionDatasetFacet", "1-0-1", Map.of("datasetVersion", String.valueOf(version))));
        }
        output.put("facets", facets);
        if (rowCount != null) {
            output.put("outputFacets", Map.of("outputStatistics",
                    facet("OutputStatisticsOutputDatasetFacet", "1-0-2", Map.of("rowCount", rowCount))));
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventType", eventType);
        event.put("eventTime", OffsetDateTime.now(ZoneOffset.UTC).toString());
        event.put("producer", PRODUCER);
        event.put("schemaURL", RUN_EVENT);
        event.put("run", run);
        event.put("job", Map.of("namespace", tenant, "name", "ingest." + kind + "." + dataset));
        event.put("inputs", input == null ? List.of() : List.of(input));
        event.put("outputs", List.of(output));
        return event;
    }

    /**
     * A publish: a completed run of job {@code ingest.publish.<dataset>} that reads the published
     * version (an input with its version facet) and writes nothing; a {@code hotpass_publish} run
     * facet says which version was published and which one it replaced.
     */
    public static Map<String, Object> publishEvent(UUID runId, String tenant, String dataset, int version,
            Integer previous) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("namespace", tenant);
        input.put("name", dataset);
        input.put("facets", Map.of("version", facet("DatasetVersionDatasetFacet", "1-0-1",
                Map.of("datasetVersion", String.valueOf(version)))));
        Map<String, Object> publish = new LinkedHashMap<>();
        publish.put("_producer", PRODUCER);
        publish.put("_schemaURL", "https://hotpass.dev/spec/facets/1-0-0/HotpassPublishRunFacet.json");
        publish.put("publishedVersion", version);
        publish.put("previousVersion", previous);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventType", "COMPLETE");
        event.put("eventTime", OffsetDateTime.now(ZoneOffset.UTC).toString());
        event.put("producer", PRODUCER);
        event.put("schemaURL", RUN_EVENT);
        event.put("run", Map.of("runId", runId.toString(), "facets", Map.of("hotpass_publish", publish)));
        event.put("job", Map.of("namespace", tenant, "name", "ingest.publish." + dataset));
        event.put("inputs", List.of(input));
        event.put("outputs", List.of());
        return event;
    }

    /** The uploaded file as an OpenLineage input dataset. */
    public static Map<String, Object> fileInput(String tenant, String fileName, long bytes, String sha256) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("namespace", "upload://" + tenant);
        in.put("name", fileName == null || fileName.isBlank() ? "upload" : fileName);
        Map<String, Object> facets = new LinkedHashMap<>();
        if (sha256 != null) {
            facets.put("version", facet("DatasetVersionDatasetFacet", "1-0-1", Map.of("datasetVersion", sha256)));
        }
        in.put("facets", facets);
        in.put("inputFacets", Map.of("inputStatistics",
                facet("InputStatisticsInputDatasetFacet", "1-0-0", Map.of("size", bytes))));
        return in;
    }

    private static Map<String, Object> facet(String name, String version, Map<String, Object> body) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_producer", PRODUCER);
        m.put("_schemaURL", "https://openlineage.io/spec/facets/" + version + "/" + name + ".json");
        m.putAll(body);
        return m;
    }
}
