package io.hotpass.enrichment.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway + ingest-service as enrichment-service sees them, speaking the ingest contract:
 * dataset headers with ETag "v<n>", version headers, NDJSON rows, and change sets with If-Match
 * (412 when the dataset moved on), and contracts-service's what-if ({@link ContractsStub}). Started
 * once for the test run; the gateway URL points here.
 */
public class IngestStub implements QuarkusTestResourceLifecycleManager {

    /** One dataset: its name and rows per version. */
    public static final class DatasetState {
        final String name;
        final Map<Integer, List<Map<String, Object>>> versions = new ConcurrentHashMap<>();
        volatile int current;

        DatasetState(String name) {
            this.name = name;
        }
    }

    /** A row as ingest streams it: alternating keys and values (values may be null). */
    static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static final Map<UUID, DatasetState> DATASETS = new ConcurrentHashMap<>();
    static final List<Map<String, Object>> CHANGE_SETS = new CopyOnWriteArrayList<>();
    /** Datasets whose rows are streamed slowly: this many milliseconds before each row. */
    static final Map<UUID, Long> ROW_DELAY_MILLIS = new ConcurrentHashMap<>();
    /** When set, the next change set is answered with this status and problem body instead of a version. */
    static volatile int rejectStatus;
    static volatile Map<String, Object> rejectBody;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("/api/v1/ingest/datasets/([0-9a-f-]{36})(/versions(/(\\d+)(/rows)?)?)?");
    private HttpServer server;

    /** Adds a dataset whose version 1 holds the given rows. */
    static UUID dataset(String name, List<Map<String, Object>> rows) {
        UUID id = UUID.randomUUID();
        DatasetState d = new DatasetState(name);
        d.versions.put(1, rows);
        d.current = 1;
        DATASETS.put(id, d);
        return id;
    }

    /** Another writer moves the dataset on. */
    static void bump(UUID id) {
        DatasetState d = DATASETS.get(id);
        d.versions.put(d.current + 1, d.versions.get(d.current));
        d.current++;
    }

    static List<Map<String, Object>> changeSetsFor(UUID id) {
        return CHANGE_SETS.stream().filter(c -> id.toString().equals(c.get("datasetId"))).toList();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        return Map.of("hotpass.gateway.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        if (ex.getRequestURI().getPath().startsWith("/api/v1/contracts/")) {
            ContractsStub.handle(ex); // the gateway routes contracts-service too
            return;
        }
        Matcher m = PATH.matcher(ex.getRequestURI().getPath());
        if (!m.matches() || ex.getRequestHeaders().getFirst("Authorization") == null
                && ex.getRequestHeaders().getFirst("X-API-Key") == null) {
            send(ex, m.matches() ? 401 : 404, Map.of("code", m.matches() ? "unauthenticated" : "not_found"), null);
            return;
        }
        UUID id = UUID.fromString(m.group(1));
        DatasetState d = DATASETS.get(id);
        if (d == null) {
            send(ex, 404, Map.of("code", "dataset_not_found"), null);
            return;
        }
        String etag = "\"v" + d.current + "\"";
        if (ex.getRequestMethod().equals("POST") && m.group(2) != null && m.group(3) == null) {
            String ifMatch = ex.getRequestHeaders().getFirst("If-Match");
            if (!etag.equals(ifMatch)) {
                send(ex, 412, Map.of("code", "precondition_failed", "currentEtag", etag), null);
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> body = JSON.readValue(ex.getRequestBody(), Map.class);
            if (rejectStatus != 0) {
                int status = rejectStatus;
                rejectStatus = 0;
                send(ex, status, rejectBody, null);
                return;
            }
            Map<String, Object> recorded = new ConcurrentHashMap<>(body);
            recorded.put("datasetId", id.toString());
            recorded.put("ifMatch", ifMatch);
            CHANGE_SETS.add(recorded);
            bump(id);
            send(ex, 201, Map.of("number", d.current, "parent", d.current - 1), "\"v" + d.current + "\"");
            return;
        }
        if (m.group(2) == null) {
            send(ex, 200, Map.of("id", id.toString(), "name", d.name, "currentVersion", d.current), etag);
            return;
        }
        int n = Integer.parseInt(m.group(4));
        List<Map<String, Object>> rows = d.versions.get(n);
        if (rows == null) {
            send(ex, 404, Map.of("code", "dataset_version_not_found"), null);
            return;
        }
        if (m.group(5) == null) {
            send(ex, 200, Map.of("number", n, "rowCount", rows.size(), "status", "committed"), null);
            return;
        }
        Long delay = ROW_DELAY_MILLIS.get(id);
        if (delay != null) {
            ex.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (Map<String, Object> row : new ArrayList<>(rows)) {
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    out.write((JSON.writeValueAsString(row) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
            return;
        }
        StringBuilder nd = new StringBuilder();
        for (Map<String, Object> row : new ArrayList<>(rows)) {
            nd.append(JSON.writeValueAsString(row)).append('\n');
        }
        byte[] bytes = nd.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/x-ndjson");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void send(HttpExchange ex, int status, Object body, String etag) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        if (etag != null) {
            ex.getResponseHeaders().add("ETag", etag);
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
