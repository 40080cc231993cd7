package io.hotpass.enrichment.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * contracts-service's what-if endpoint behind the gateway, as enrichment-service sees it
 * ({@code POST /api/v1/contracts/validations/what-if}), served by {@link IngestStub}'s server. It
 * does what contracts-service does, on a small scale: applies the change set (upsert merges values
 * into the row, or adds it; delete drops it) to the version's rows held by {@link IngestStub} and
 * checks each rule of the dataset's contract over every row. No contract: 422
 * {@code no_active_contract}.
 */
final class ContractsStub {

    /** One expectation: every non-empty value of {@code field} must satisfy {@code ok}. */
    record Rule(String id, String field, String severity, Predicate<String> ok) {
    }

    /** The active contract of a dataset (by dataset id): its rules. */
    static final Map<UUID, List<Rule>> CONTRACTS = new ConcurrentHashMap<>();
    /** Every what-if request: its body and Authorization header. */
    static final List<Map<String, Object>> REQUESTS = new CopyOnWriteArrayList<>();
    /**
     * An outage for a dataset's what-ifs: "503" answers as the gateway does when contracts-service
     * is down, "drop" closes the connection without an answer; "400" refuses the request as too big.
     */
    static final Map<UUID, String> OUTAGE = new ConcurrentHashMap<>();

    private static final ObjectMapper JSON = new ObjectMapper();

    private ContractsStub() {
    }

    static List<Map<String, Object>> requestsFor(UUID dataset) {
        return REQUESTS.stream().filter(r -> dataset.toString().equals(((Map<?, ?>) r.get("body")).get("datasetId")))
                .toList();
    }

    @SuppressWarnings("unchecked")
    static void handle(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST") || !ex.getRequestURI().getPath().equals(
                "/api/v1/contracts/validations/what-if")) {
            send(ex, 404, Map.of("code", "not_found"));
            return;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null) {
            send(ex, 401, Map.of("code", "unauthenticated"));
            return;
        }
        Map<String, Object> body = JSON.readValue(ex.getRequestBody(), Map.class);
        Map<String, Object> recorded = new HashMap<>();
        recorded.put("body", body);
        recorded.put("authorization", auth);
        REQUESTS.add(recorded);
        UUID id = UUID.fromString((String) body.get("datasetId"));
        String outage = OUTAGE.get(id);
        if ("drop".equals(outage)) {
            ex.close();
            return;
        }
        if ("400".equals(outage)) {
            send(ex, 400, Map.of("code", "validation_failed", "detail", "changes: size must be between 0 and 100000"));
            return;
        }
        if ("503".equals(outage)) {
            send(ex, 503, Map.of("code", "upstream_unavailable", "detail", "contracts is down"));
            return;
        }
        IngestStub.DatasetState d = IngestStub.DATASETS.get(id);
        if (d == null) {
            send(ex, 404, Map.of("code", "dataset_not_found", "detail", "No dataset " + id));
            return;
        }
        List<Map<String, Object>> rows = d.versions.get(((Number) body.get("version")).intValue());
        if (rows == null) {
            send(ex, 404, Map.of("code", "dataset_version_not_found", "detail", "no such version"));
            return;
        }
        List<Rule> rules = CONTRACTS.get(id);
        if (rules == null) {
            send(ex, 422, Map.of("code", "no_active_contract", "detail", "Dataset '" + d.name + "' has no active contract"));
            return;
        }
        Map<String, Map<String, Object>> after = new LinkedHashMap<>();
        rows.forEach(r -> after.put(String.valueOf(r.get("_rowId")), new HashMap<>(r)));
        for (Map<String, Object> c : (List<Map<String, Object>>) body.get("changes")) {
            String rowId = (String) c.get("rowId");
            if (c.get("op").equals("delete")) {
                after.remove(rowId);
            } else {
                after.computeIfAbsent(rowId, k -> new HashMap<>()).putAll((Map<String, Object>) c.get("values"));
            }
        }
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<Map<String, Object>> expectations = new ArrayList<>();
        for (Rule rule : rules) {
            long failing = after.values().stream().map(r -> r.get(rule.field()))
                    .filter(v -> v != null && !v.toString().isBlank() && !rule.ok().test(v.toString())).count();
            if (failing > 0) {
                (rule.severity().equals("error") ? errors : warnings).add(rule.id());
            }
            expectations.add(Map.of("id", rule.id(), "severity", rule.severity(), "success", failing == 0,
                    "failingCount", failing));
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("datasetId", id.toString());
        report.put("version", body.get("version"));
        report.put("contract", Map.of("name", "c-" + d.name, "version", "1.2.0"));
        report.put("status", !errors.isEmpty() ? "failed" : !warnings.isEmpty() ? "warned" : "passed");
        report.put("rowCount", after.size());
        report.put("failedErrors", errors);
        report.put("failedWarnings", warnings);
        report.put("expectations", expectations);
        send(ex, 200, report);
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
