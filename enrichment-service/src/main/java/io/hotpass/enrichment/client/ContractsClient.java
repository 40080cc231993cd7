package io.hotpass.enrichment.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * contracts-service, reached through the gateway with the caller's internal JWT: the what-if
 * validation of a change set ({@code POST /api/v1/contracts/validations/what-if}). A verdict is
 * either the report or "no contract applies". A problem answer with a 4xx passes through (the
 * caller's or the change set's fault); anything else (unreachable, timeout, 5xx, an answer that is
 * not a verdict) is 503 {@code contracts_unavailable}, so a caller never goes on unchecked.
 */
@ApplicationScoped
public class ContractsClient {

    private static final Logger LOG = Logger.getLogger(ContractsClient.class);
    static final String PATH = "/api/v1/contracts/validations/what-if";

    /**
     * The verdict. {@code applies} is false when the dataset has no active contract (then the other
     * fields are empty). {@code report} is contracts-service's answer as it came.
     */
    public record WhatIf(boolean applies, String contractName, String contractVersion, String status,
            List<String> failedErrors, List<String> failedWarnings, JsonNode report) {

        static WhatIf none() {
            return new WhatIf(false, null, null, null, List.of(), List.of(), null);
        }

        /** True when an error-severity expectation would fail. */
        public boolean breaksContract() {
            return applies && !failedErrors.isEmpty();
        }
    }

    @ConfigProperty(name = "hotpass.gateway.url", defaultValue = "http://127.0.0.1:8080")
    String gatewayUrl;

    /** A what-if streams the whole version at contracts-service: allow it as long as a validation. */
    @ConfigProperty(name = "hotpass.enrichment.contracts.timeout", defaultValue = "PT120S")
    Duration timeout;

    @Inject
    ObjectMapper mapper;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    /** Asks for the what-if of {@code changes} (ingest change-set items: op, rowId, values) on a version. */
    public WhatIf whatIf(UUID datasetId, int version, List<Map<String, Object>> changes, IngestClient.Credentials c) {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("datasetId", datasetId.toString());
        req.put("version", version);
        req.put("changes", changes);
        String body;
        try {
            body = mapper.writeValueAsString(req);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gatewayUrl.replaceAll("/+$", "") + PATH))
                .header("Content-Type", "application/json").header("Accept", "application/json").timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        c.apply(b);
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            LOG.warnf("contracts-service unreachable through the gateway: %s", e.toString());
            throw unavailable("contracts-service could not be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while waiting for contracts-service");
        }
        JsonNode n = readOrNull(r.body());
        String code = n == null ? null : n.path("code").asText(null);
        int s = r.statusCode();
        if (s == 200 && n != null && n.path("failedErrors").isArray()) {
            return new WhatIf(true, n.path("contract").path("name").asText(null),
                    n.path("contract").path("version").asText(null), n.path("status").asText(null),
                    texts(n.get("failedErrors")), texts(n.path("failedWarnings")), n);
        }
        if (s == 422 && "no_active_contract".equals(code)) {
            return WhatIf.none();
        }
        if (s == 404 && ("dataset_not_found".equals(code) || "dataset_version_not_found".equals(code))) {
            throw ProblemException.notFound(code, "contracts-service: " + n.path("detail").asText(code));
        }
        if (s == 401 || s == 403) {
            throw new ProblemException(ErrorCode.FORBIDDEN, "contracts-service refused this caller (" + s
                    + "): it may not run a what-if validation (contracts:validation:whatif)");
        }
        if (s >= 400 && s < 500 && code != null) {
            // A 4xx is about the request, e.g. a change set over what contracts-service (and ingest) accept.
            throw UpstreamRejection.of("contracts-service", s, n, code, " (the what-if validation of the approved changes)");
        }
        LOG.warnf("contracts-service what-if answered %d %s", s, code);
        throw unavailable("contracts-service answered " + s + (code == null ? "" : " " + code)
                + " to the what-if validation");
    }

    private JsonNode readOrNull(String body) {
        try {
            return body == null || body.isBlank() ? null : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static ProblemException unavailable(String why) {
        return new ProblemException(503, "contracts_unavailable", "Contracts unavailable",
                why + "; the changes could not be checked against the dataset's contract, and a plan is not"
                        + " committed unchecked")
                .header("Retry-After", "5");
    }
}
