package io.hotpass.lineage.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Checks an OpenLineage 2-0-2 event for the fields the spec requires and tells which kind it is
 * (a RunEvent has {@code run} and {@code job}; a DatasetEvent {@code dataset}; a JobEvent only
 * {@code job}). Unknown facets and fields are kept as they are.
 */
public final class LineageEventParser {

    /** Events dated further ahead than this are refused: clocks drift, but not by days. */
    static final Duration MAX_FUTURE = Duration.ofHours(24);
    static final List<String> RUN_STATES = List.of("START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER");

    private LineageEventParser() {
    }

    public record ParsedEvent(String kind, String eventType, OffsetDateTime eventTime, UUID runId, String jobNamespace,
            String jobName, String producer) {
    }

    public static ParsedEvent parse(JsonNode e) {
        return parse(e, Long.MAX_VALUE, Integer.MAX_VALUE, -1);
    }

    /**
     * Validates the event and enforces the limits. {@code eventBytes} is the size of the serialised
     * event (or -1 when unknown): facets are only measured when the whole event could exceed the
     * facet limit, so ordinary events pay nothing for the check.
     */
    public static ParsedEvent parse(JsonNode e, long maxFacetBytes, int maxDatasets, long eventBytes) {
        List<Map<String, String>> errors = new ArrayList<>();
        if (e == null || !e.isObject()) {
            throw new ProblemException(ErrorCode.VALIDATION_FAILED, "The event must be a JSON object");
        }
        for (String list : List.of("inputs", "outputs")) {
            if (e.path(list).isArray() && e.path(list).size() > maxDatasets) {
                throw new ProblemException(422, "too_many_datasets", "Too many datasets",
                        list + ": " + e.path(list).size() + " datasets on one event; at most " + maxDatasets)
                        .with("errors", List.of(Map.of("field", list, "reason", "at most " + maxDatasets + " datasets")));
            }
        }
        if (eventBytes < 0 || eventBytes > maxFacetBytes) {
            long facetBytes = facetBytes(e);
            if (facetBytes > maxFacetBytes) {
                throw new ProblemException(ErrorCode.PAYLOAD_TOO_LARGE, "The facets of this event take " + facetBytes
                        + " bytes; at most " + maxFacetBytes + " are accepted").with("errors",
                                List.of(Map.of("field", "facets", "reason", "at most " + maxFacetBytes + " bytes")));
            }
        }
        OffsetDateTime time = null;
        String rawTime = text(e, "eventTime", errors);
        if (rawTime != null) {
            try {
                time = OffsetDateTime.parse(rawTime);
                if (time.isAfter(OffsetDateTime.now().plus(MAX_FUTURE))) {
                    errors.add(Map.of("field", "eventTime", "reason", "is more than 24 hours in the future"));
                }
            } catch (DateTimeParseException ex) {
                errors.add(Map.of("field", "eventTime", "reason", "must be an ISO 8601 date-time with offset"));
            }
        }
        String producer = text(e, "producer", errors);
        text(e, "schemaURL", errors);
        String kind;
        UUID runId = null;
        String eventType = null;
        String jobNs = null;
        String jobName = null;
        if (e.has("run") || e.has("eventType")) {
            kind = "RunEvent";
            JsonNode run = e.path("run");
            String rawRunId = run.path("runId").isTextual() ? run.path("runId").asText() : null;
            if (rawRunId == null) {
                errors.add(Map.of("field", "run.runId", "reason", "is required"));
            } else {
                try {
                    runId = UUID.fromString(rawRunId);
                } catch (IllegalArgumentException ex) {
                    errors.add(Map.of("field", "run.runId", "reason", "must be a UUID"));
                }
            }
            if (e.has("eventType")) {
                eventType = e.path("eventType").asText();
                if (!RUN_STATES.contains(eventType)) {
                    errors.add(Map.of("field", "eventType", "reason", "must be one of " + RUN_STATES));
                }
            }
            jobNs = text(e.path("job"), "job.namespace", "namespace", errors);
            jobName = text(e.path("job"), "job.name", "name", errors);
            datasets(e, "inputs", errors);
            datasets(e, "outputs", errors);
        } else if (e.has("dataset")) {
            kind = "DatasetEvent";
            text(e.path("dataset"), "dataset.namespace", "namespace", errors);
            text(e.path("dataset"), "dataset.name", "name", errors);
        } else if (e.has("job")) {
            kind = "JobEvent";
            jobNs = text(e.path("job"), "job.namespace", "namespace", errors);
            jobName = text(e.path("job"), "job.name", "name", errors);
            datasets(e, "inputs", errors);
            datasets(e, "outputs", errors);
        } else {
            throw new ProblemException(422, "unknown_event_type", "Unknown event type",
                    "The event is none of RunEvent (run, job), DatasetEvent (dataset) or JobEvent (job)");
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ErrorCode.VALIDATION_FAILED, errors.get(0).get("field") + ": "
                    + errors.get(0).get("reason")).with("errors", errors);
        }
        return new ParsedEvent(kind, eventType, time, runId, jobNs, jobName, producer);
    }

    /** Serialised size of every facets object of the event (run, job, dataset, input and output facets). */
    static long facetBytes(JsonNode e) {
        long total = size(e.path("run").path("facets")) + size(e.path("job").path("facets"))
                + size(e.path("dataset").path("facets"));
        for (String list : List.of("inputs", "outputs")) {
            for (JsonNode d : e.path(list)) {
                total += size(d.path("facets")) + size(d.path("inputFacets")) + size(d.path("outputFacets"));
            }
        }
        return total;
    }

    private static long size(JsonNode facets) {
        if (!facets.isContainerNode()) {
            return 0;
        }
        CountingOutputStream out = new CountingOutputStream();
        try {
            SIZER.writeValue(out, facets);
        } catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
        return out.count;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper SIZER = new com.fasterxml.jackson.databind.ObjectMapper();

    private static final class CountingOutputStream extends java.io.OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    private static void datasets(JsonNode e, String field, List<Map<String, String>> errors) {
        JsonNode list = e.path(field);
        if (list.isMissingNode() || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            errors.add(Map.of("field", field, "reason", "must be an array"));
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            text(list.get(i), field + "[" + i + "].namespace", "namespace", errors);
            text(list.get(i), field + "[" + i + "].name", "name", errors);
        }
    }

    private static String text(JsonNode e, String field, List<Map<String, String>> errors) {
        return text(e, field, field, errors);
    }

    private static String text(JsonNode parent, String path, String field, List<Map<String, String>> errors) {
        JsonNode v = parent.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            errors.add(Map.of("field", path, "reason", v.isMissingNode() || v.isNull() ? "is required" : "must be a non-empty string"));
            return null;
        }
        return v.asText();
    }
}
