package io.hotpass.contracts.validation;

import io.hotpass.contracts.engine.ExpectationResult;
import io.hotpass.contracts.engine.ValidationReport;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenLineage run events for a validation: START when it begins, COMPLETE (with the
 * {@code dataQualityAssertions} and {@code dataQualityMetrics} input facets) or FAIL when it ends.
 * Namespace = tenant id, dataset name = the dataset's name, as every Hotpass service does.
 */
final class LineageEvents {

    static final String PRODUCER = "https://hotpass.dev/contracts-service";
    static final String RUN_SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    static final String ASSERTIONS_SCHEMA = "https://openlineage.io/spec/facets/1-0-1/DataQualityAssertionsDatasetFacet.json";
    static final String METRICS_SCHEMA = "https://openlineage.io/spec/facets/1-0-2/DataQualityMetricsInputDatasetFacet.json";

    private LineageEvents() {
    }

    static Map<String, Object> start(ValidationRun run) {
        return event("START", run, input(run, null));
    }

    static Map<String, Object> complete(ValidationRun run, ValidationReport report) {
        return event("COMPLETE", run, input(run, report));
    }

    static Map<String, Object> fail(ValidationRun run, String error) {
        Map<String, Object> e = event("FAIL", run, input(run, null));
        @SuppressWarnings("unchecked")
        Map<String, Object> runNode = (Map<String, Object>) e.get("run");
        runNode.put("facets", Map.of("errorMessage", Map.of("_producer", PRODUCER,
                "_schemaURL", "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json",
                "message", error == null ? "validation failed" : error, "programmingLanguage", "java")));
        return e;
    }

    private static Map<String, Object> event(String type, ValidationRun run, Map<String, Object> input) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventType", type);
        e.put("eventTime", OffsetDateTime.now().toString());
        e.put("producer", PRODUCER);
        e.put("schemaURL", RUN_SCHEMA);
        Map<String, Object> runNode = new LinkedHashMap<>();
        runNode.put("runId", run.id.toString());
        e.put("run", runNode);
        e.put("job", Map.of("namespace", run.tenantId, "name", "contracts.validate." + run.datasetName));
        e.put("inputs", List.of(input));
        e.put("outputs", List.of());
        return e;
    }

    private static Map<String, Object> input(ValidationRun run, ValidationReport report) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("namespace", run.tenantId);
        in.put("name", run.datasetName);
        in.put("facets", Map.of("version", Map.of("_producer", PRODUCER,
                "_schemaURL", "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json",
                "datasetVersion", String.valueOf(run.datasetVersion))));
        if (report != null) {
            List<Map<String, Object>> assertions = new ArrayList<>();
            Map<String, Map<String, Object>> columns = new LinkedHashMap<>();
            for (ExpectationResult r : report.expectations()) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("assertion", r.id());
                a.put("success", r.success());
                if (r.columns().size() == 1) {
                    a.put("column", r.columns().get(0));
                }
                a.put("severity", r.severity());
                assertions.add(a);
                if (r.columns().size() == 1 && "type".equals(r.kind())) {
                    Map<String, Object> m = columns.computeIfAbsent(r.columns().get(0), k -> new LinkedHashMap<>());
                    m.put("nullCount", report.rowCount() - r.evaluated());
                    m.put("count", r.evaluated());
                }
                if (r.columns().size() == 1 && "unique".equals(r.kind()) && r.observed() instanceof Map<?, ?> o) {
                    columns.computeIfAbsent(r.columns().get(0), k -> new LinkedHashMap<>()).put("distinctCount", o.get("distinct"));
                }
            }
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("_producer", PRODUCER);
            metrics.put("_schemaURL", METRICS_SCHEMA);
            metrics.put("rowCount", report.rowCount());
            metrics.put("columnMetrics", columns);
            in.put("inputFacets", Map.of(
                    "dataQualityAssertions", Map.of("_producer", PRODUCER, "_schemaURL", ASSERTIONS_SCHEMA, "assertions", assertions),
                    "dataQualityMetrics", metrics));
        }
        return in;
    }
}
