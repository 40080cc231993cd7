package io.hotpass.contracts.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * ingest-service, reached through the gateway with the caller's internal JWT or, for queued
 * (asynchronous) validation runs, with the platform service API key and the run's tenant. Rows
 * stream as NDJSON straight from the response body into a Jackson iterator: nothing holds a whole
 * version.
 */
@ApplicationScoped
public class IngestClient {

    private static final Logger LOG = Logger.getLogger(IngestClient.class);

    @ConfigProperty(name = "hotpass.gateway.url", defaultValue = "http://127.0.0.1:8080")
    String gatewayUrl;

    @ConfigProperty(name = "hotpass.contracts.ingest.timeout", defaultValue = "PT30S")
    Duration timeout;

    @Inject
    ObjectMapper mapper;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    /** How a request authenticates at the gateway: a bearer token, or the service API key with a tenant. */
    public record Credentials(String bearer, String apiKey, String tenant) {
        public static Credentials bearer(String token) {
            return new Credentials(token, null, null);
        }

        public static Credentials serviceKey(String apiKey, String tenant) {
            return new Credentials(null, apiKey, tenant);
        }

        void apply(HttpRequest.Builder b) {
            if (apiKey != null) {
                b.header("X-API-Key", apiKey).header("X-Tenant", tenant);
            } else if (bearer != null) {
                b.header("Authorization", "Bearer " + bearer);
            }
        }
    }

    /** A dataset as ingest-service shows it (the fields this service needs). */
    public record Dataset(UUID id, String name, int currentVersion) {
    }

    /** A dataset version's header. */
    public record Version(int number, Long rowCount, String contentSha256, String status) {
    }

    public Dataset dataset(UUID id, String bearer) {
        return dataset(id, Credentials.bearer(bearer));
    }

    public Dataset dataset(UUID id, Credentials bearer) {
        JsonNode n = getJson("/api/v1/ingest/datasets/" + id, bearer, "dataset_not_found", "No dataset " + id);
        return new Dataset(id, n.path("name").asText(), n.path("currentVersion").asInt());
    }

    public Version version(UUID id, int number, String bearer) {
        return version(id, number, Credentials.bearer(bearer));
    }

    public Version version(UUID id, int number, Credentials bearer) {
        JsonNode n = getJson("/api/v1/ingest/datasets/" + id + "/versions/" + number, bearer, "dataset_version_not_found",
                "Dataset " + id + " has no version " + number);
        return new Version(n.path("number").asInt(number), n.hasNonNull("rowCount") ? n.get("rowCount").asLong() : null,
                n.path("contentSha256").asText(null), n.path("status").asText(null));
    }

    /** Every dataset of the caller's tenant, following the cursor. */
    public List<Dataset> datasets(String bearer) {
        return datasets(Credentials.bearer(bearer));
    }

    /** Every dataset of the credentials' tenant, following the cursor. */
    public List<Dataset> datasets(Credentials bearer) {
        List<Dataset> all = new ArrayList<>();
        String cursor = null;
        do {
            String path = "/api/v1/ingest/datasets?limit=500"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = getJson(path, bearer, "dataset_not_found", "Datasets not found");
            for (JsonNode d : page.path("items")) {
                all.add(new Dataset(UUID.fromString(d.path("id").asText()), d.path("name").asText(),
                        d.path("currentVersion").asInt()));
            }
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        return all;
    }

    /** Opens the version's rows; close the stream when done. 404 is dataset_version_not_found. */
    public RowStream rows(UUID id, int number, String bearer) {
        return rows(id, number, Credentials.bearer(bearer));
    }

    /** As {@link #rows(UUID, int, String)}, authenticated by {@code bearer}. */
    public RowStream rows(UUID id, int number, Credentials bearer) {
        HttpRequest req = request("/api/v1/ingest/datasets/" + id + "/versions/" + number + "/rows", bearer)
                .header("Accept", "application/x-ndjson").build();
        HttpResponse<InputStream> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        }
        if (res.statusCode() != 200) {
            drain(res.body());
            throw status(res.statusCode(), "dataset_version_not_found", "Dataset " + id + " has no version " + number);
        }
        try {
            return new RowStream(res.body(), mapper);
        } catch (IOException e) {
            drain(res.body());
            throw unavailable(e);
        }
    }

    private JsonNode getJson(String path, Credentials bearer, String notFoundCode, String notFoundDetail) {
        HttpRequest req = request(path, bearer).header("Accept", "application/json").build();
        try {
            HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() != 200) {
                throw status(res.statusCode(), notFoundCode, notFoundDetail);
            }
            return mapper.readTree(res.body());
        } catch (IOException e) {
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        }
    }

    private HttpRequest.Builder request(String path, Credentials bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gatewayUrl.replaceAll("/+$", "") + path)).timeout(timeout)
                .GET();
        if (bearer != null) {
            bearer.apply(b);
        }
        return b;
    }

    private static ProblemException status(int status, String notFoundCode, String notFoundDetail) {
        if (status == 404) {
            return ProblemException.notFound(notFoundCode, notFoundDetail);
        }
        if (status == 401 || status == 403) {
            return new ProblemException(ErrorCode.UPSTREAM_UNAVAILABLE, "ingest-service refused the forwarded credential ("
                    + status + ")");
        }
        return new ProblemException(ErrorCode.UPSTREAM_UNAVAILABLE, "ingest-service answered " + status);
    }

    private static ProblemException unavailable(Exception e) {
        LOG.warnf("ingest-service unreachable through the gateway: %s", e.toString());
        return new ProblemException(ErrorCode.UPSTREAM_UNAVAILABLE, "ingest-service could not be reached");
    }

    private static void drain(InputStream in) {
        try (in) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the connection is discarded either way
        }
    }

    /** An iterator over NDJSON rows read from a live response body. */
    public static final class RowStream implements Iterator<Map<String, Object>>, AutoCloseable {
        private final InputStream body;
        private final MappingIterator<Map<String, Object>> it;

        RowStream(InputStream body, ObjectMapper mapper) throws IOException {
            this.body = body;
            JsonParser p = mapper.getFactory().createParser(body);
            this.it = mapper.readerFor(Map.class).readValues(p);
        }

        @Override
        public boolean hasNext() {
            try {
                return it.hasNextValue();
            } catch (IOException e) {
                throw new UncheckedIOException("The row stream broke off", e);
            }
        }

        @Override
        public Map<String, Object> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            try {
                return it.nextValue();
            } catch (IOException e) {
                throw new UncheckedIOException("A row could not be read", e);
            }
        }

        @Override
        public void close() {
            try {
                it.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                body.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        static boolean isEnd(JsonToken t) {
            return t == null;
        }
    }
}
