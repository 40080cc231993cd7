package io.hotpass.enrichment.plan;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OpenLineage events of plan commits: inputs = the dataset version and the sources, output = the new version. */
final class LineageEvents {

    static final String PRODUCER = "https://hotpass.io/enrichment-service";
    static final String SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent";
    static final String VERSION_FACET = "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json";

    private LineageEvents() {
    }

    static Map<String, Object> planCommitted(EnrichmentPlan p, String datasetName, int changes,
            PlanView.ContractOverride override) {
        List<Map<String, Object>> inputs = new ArrayList<>();
        inputs.add(dataset(p.tenantId, datasetName, String.valueOf(p.datasetVersion)));
        for (String s : p.sources) {
            if (s.equals("website")) {
                inputs.add(Map.of("namespace", "website", "name", "organisation-websites"));
            } else if (s.startsWith("registry:")) {
                inputs.add(Map.of("namespace", p.tenantId, "name", s.substring("registry:".length())));
            }
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventType", "COMPLETE");
        event.put("eventTime", OffsetDateTime.now(ZoneOffset.UTC).toString());
        event.put("producer", PRODUCER);
        event.put("schemaURL", SCHEMA);
        Map<String, Object> planFacet = new LinkedHashMap<>();
        planFacet.put("_producer", PRODUCER);
        planFacet.put("_schemaURL", PRODUCER + "/facets/plan.json");
        planFacet.put("kind", p.kind);
        planFacet.put("changes", changes);
        if (override != null) {
            // The record of a commit over the dataset's contract: who, when, what was overridden.
            planFacet.put("contractOverride", Map.of("by", override.by(), "at", override.at().toString(), "contract",
                    String.valueOf(override.contract()), "contractVersion", String.valueOf(override.contractVersion()),
                    "expectations", override.expectations()));
        }
        event.put("run", Map.of("runId", p.id.toString(), "facets", Map.of("hotpass_plan", planFacet)));
        event.put("job", Map.of("namespace", p.tenantId, "name", "enrichment." + p.kind + "-plan"));
        event.put("inputs", inputs);
        event.put("outputs", List.of(dataset(p.tenantId, datasetName, String.valueOf(p.committedVersion))));
        return event;
    }

    private static Map<String, Object> dataset(String ns, String name, String version) {
        return Map.of("namespace", ns, "name", name, "facets", Map.of("version", Map.of("_producer", PRODUCER,
                "_schemaURL", VERSION_FACET, "datasetVersion", version)));
    }
}
