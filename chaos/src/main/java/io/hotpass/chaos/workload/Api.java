package io.hotpass.chaos.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.chaos.drill.Journal;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The public API as a tenant sees it, through the gateway only. Every request carries a fresh W3C
 * {@code traceparent}, so the zero-loss check can find the audit entry of each mutating request by
 * its trace id, and every request is written to the journal (unless {@code who} is null).
 */
public final class Api {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient client;
    private final String baseUrl;
    private final Journal journal;

    /** A credential starting with this is sent as the Authorization header (a bearer token), any other as X-API-Key. */
    public static final String BEARER = "Bearer ";

    public Api(String baseUrl, Journal journal) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.journal = journal;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** An answer, or status 0 with the error when nothing answered. */
    public record Response(int status, String body, Map<String, String> headers, long latencyMs, String traceId, String error) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public JsonNode json() {
            try {
                return body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
            } catch (IOException e) {
                return JSON.nullNode();
            }
        }

        public String code() {
            JsonNode c = json().path("code");
            return c.isTextual() ? c.asText() : null;
        }

        /** Worth trying again: nothing answered, a 5xx, or a 429. */
        public boolean transientFailure() {
            return status == 0 || status == 429 || status >= 500;
        }

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase()));
        }
    }

    public Response send(String who, String method, String path, String key, Object body) {
        return send(who, method, path, key, body, Map.of(), Duration.ofSeconds(60));
    }

    public Response send(String who, String method, String path, String key, Object body, Map<String, String> headers, Duration timeout) {
        HttpRequest.BodyPublisher publisher;
        String contentType = headers.getOrDefault("Content-Type", "application/json");
        if (body == null) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else if (body instanceof String s) {
            publisher = HttpRequest.BodyPublishers.ofString(s);
        } else if (body instanceof byte[] b) {
            publisher = HttpRequest.BodyPublishers.ofByteArray(b);
        } else if (body instanceof Supplier<?> stream) {
            @SuppressWarnings("unchecked")
            Supplier<InputStream> s = (Supplier<InputStream>) stream;
            publisher = HttpRequest.BodyPublishers.ofInputStream(s);
        } else {
            try {
                publisher = HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
        }
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : baseUrl + path))
                .timeout(timeout)
                .method(method, publisher)
                .header("traceparent", "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01")
                .header("Accept", headers.getOrDefault("Accept", "application/json"));
        if (body != null) {
            rb.header("Content-Type", contentType);
        }
        if (key != null && key.startsWith(BEARER)) {
            rb.header("Authorization", key); // a Keycloak token instead of an API key
        } else if (key != null) {
            rb.header("X-API-Key", key);
        }
        headers.forEach((k, v) -> {
            if (!k.equals("Content-Type") && !k.equals("Accept")) {
                rb.header(k, v);
            }
        });
        long t = journal == null ? 0 : journal.now();
        long start = System.nanoTime();
        Response r;
        try {
            HttpResponse<String> resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> h = new LinkedHashMap<>();
            resp.headers().map().forEach((k, v) -> h.put(k.toLowerCase(), v.isEmpty() ? "" : v.get(0)));
            r = new Response(resp.statusCode(), resp.body(), h, (System.nanoTime() - start) / 1_000_000, traceId, null);
        } catch (IOException e) {
            r = new Response(0, null, Map.of(), (System.nanoTime() - start) / 1_000_000, traceId,
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r = new Response(0, null, Map.of(), (System.nanoTime() - start) / 1_000_000, traceId, "interrupted");
        }
        if (journal != null && who != null) {
            journal.requests.add(new Journal.Request(t, who, method, stripQuery(path), r.status(), r.latencyMs(), traceId, r.code(), r.error()));
        }
        return r;
    }

    private static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
