package io.hotpass.enrichment.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * ingest-service, reached through the gateway. Requests authenticate with the caller's internal
 * JWT, or, for background plan runs, with the platform service API key and the tenant. Rows
 * stream line by line from the NDJSON response: nothing holds a whole version.
 */
@ApplicationScoped
public class IngestClient {

    /** How a request authenticates at the gateway. */
    public record Credentials(String bearer, String apiKey, String tenant) {
        public static Credentials bearer(String token) {
            return new Credentials(token, null, null);
        }

        void apply(HttpRequest.Builder b) {
            if (apiKey != null) {
                b.header("X-API-Key", apiKey).header("X-Tenant", tenant);
            } else if (bearer != null) {
                b.header("Authorization", "Bearer " + bearer);
            }
        }
    }

    /** A dataset header as ingest shows it. */
    public record Dataset(UUID id, String name, int currentVersion) {
    }

    /** The answer to a change set: the new version, or the dataset's current ETag when it moved on. */
    public record CommitResult(boolean preconditionFailed, Integer newVersion, String currentEtag) {
    }

    @ConfigProperty(name = "hotpass.gateway.url", defaultValue = "http://127.0.0.1:8080")
    String gatewayUrl;

    @ConfigProperty(name = "hotpass.enrichment.ingest.timeout", defaultValue = "PT30S")
    Duration timeout;

    @Inject
    ObjectMapper mapper;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    public Dataset dataset(UUID id, Credentials c) {
        JsonNode n = getJson("/api/v1/ingest/datasets/" + id, c, "dataset_not_found", "No dataset " + id);
        return new Dataset(id, n.path("name").asText(), n.path("currentVersion").asInt());
    }

    /** Checks that a version exists (404 {@code dataset_version_not_found} otherwise). */
    public void requireVersion(UUID id, int version, Credentials c) {
        getJson("/api/v1/ingest/datasets/" + id + "/versions/" + version, c, "dataset_version_not_found",
                "Dataset " + id + " has no version " + version);
    }

    /** Streams a version's rows to {@code each}, one parsed row at a time. */
    public void rows(UUID id, int version, Credentials c, Consumer<Map<String, Object>> each) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/api/v1/ingest/datasets/" + id + "/versions/" + version
                + "/rows")).header("Accept", "application/x-ndjson").timeout(timeout).GET();
        c.apply(b);
        HttpResponse<Stream<String>> r = send(b.build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = r.body()) {
            check(r.statusCode(), r.statusCode() >= 400 ? String.join("\n", lines.limit(200).toList()) : null,
                    "dataset_version_not_found", "Dataset " + id + " has no version " + version);
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.isBlank()) {
                    continue;
                }
                try {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> row = mapper.readValue(line, Map.class);
                    each.accept(row);
                } catch (JsonProcessingException e) {
                    throw new ProblemException(ErrorCode.UPSTREAM_UNAVAILABLE, "ingest-service sent a malformed row");
                }
            }
        } catch (UncheckedIOException e) {
            throw new ProblemException(ErrorCode.UPSTREAM_UNAVAILABLE, "ingest-service stream broke off");
        }
    }

    /** {@code POST /datasets/{id}/versions} with {@code If-Match}: a new version, or 412 reported as a result. */
    public CommitResult commit(UUID id, String ifMatch, Object changeSet, Credentials c) {
        String body;
        try {
            body = mapper.writeValueAsString(changeSet);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/api/v1/ingest/datasets/" + id + "/versions"))
                .header("Content-Type", "application/json").header("If-Match", ifMatch).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        c.apply(b);
        HttpResponse<String> r = send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 412) {
            String current = null;
            try {
                current = mapper.readTree(r.body()).path("currentEtag").asText(null);
            } catch (JsonProcessingException e) {
                // the status says enough
            }
            return new CommitResult(true, null, current);
        }
        check(r.statusCode(), r.body(), "dataset_not_found", "No dataset " + id);
        try {
            JsonNode n = mapper.readTree(r.body());
            JsonNode v = n.has("number") ? n.get("number") : n.path("version");
            return new CommitResult(false, v.isNumber() ? v.asInt() : null, null);
        } catch (JsonProcessingException e) {
            return new CommitResult(false, null, null);
        }
    }

    private JsonNode getJson(String path, Credentials c, String notFoundCode, String notFoundDetail) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Accept", "application/json")
                .timeout(timeout).GET();
        c.apply(b);
        HttpResponse<String> r = send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404 && r.body() != null && r.body().contains("\"dataset_not_found\"")) {
            // The dataset itself is missing, not just the version asked for.
            throw ProblemException.notFound("dataset_not_found", "No dataset " + path.split("/")[5]);
        }
        check(r.statusCode(), r.body(), notFoundCode, notFoundDetail);
        try {
            return mapper.readTree(r.body());
        } catch (JsonProcessingException e) {
            throw new ProblemException(ErrorCode.UPSTREAM_UNAVAILABLE, "ingest-service sent malformed JSON");
        }
    }

    /**
     * What ingest-service's answer means for our caller. A 4xx is about the caller's request or
     * data, not an outage: it passes through with ingest's status, code and detail (prefixed, so
     * the caller sees where it came from) — a refused change set is a 422 the steward can act on,
     * not a 502. Only 5xx and unreadable answers are {@code upstream_unavailable}.
     */
    private void check(int status, String body, String notFoundCode, String notFoundDetail) {
        if (status < 300) {
            return;
        }
        if (status == 404) {
            throw ProblemException.notFound(notFoundCode, notFoundDetail);
        }
        if (status == 401 || status == 403) {
            throw new ProblemException(ErrorCode.FORBIDDEN, "ingest-service refused this caller (" + status
                    + "): it may not read or change the dataset");
        }
        if (status >= 400 && status < 500) {
            JsonNode problem = null;
            try {
                problem = body == null ? null : mapper.readTree(body);
            } catch (JsonProcessingException e) {
                // no problem body: the generic code and detail
            }
            throw UpstreamRejection.of("ingest-service", status, problem, "ingest_rejected", "");
        }
        throw new ProblemException(ErrorCode.UPSTREAM_UNAVAILABLE, "ingest-service answered " + status);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (java.net.http.HttpTimeoutException e) {
            throw new ProblemException(ErrorCode.UPSTREAM_TIMEOUT, "ingest-service did not answer in time");
        } catch (IOException e) {
            throw new ProblemException(ErrorCode.UPSTREAM_UNAVAILABLE, "ingest-service is unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ErrorCode.SERVICE_UNAVAILABLE, "interrupted");
        }
    }

    private URI uri(String path) {
        return URI.create(gatewayUrl.replaceAll("/+$", "") + path);
    }
}
