package io.hotpass.contracts.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for the gateway in front of ingest-service, speaking ingest's documented contract:
 * {@code GET /api/v1/ingest/datasets[/{id}[/versions/{n}[/rows]]]}, rows as NDJSON streamed in
 * chunks ({@code {"_rowId": …, field: value}}). Datasets belong to a tenant (read from the bearer
 * token's {@code tenant} claim, as the gateway keeps the identity; or, as the gateway accepts the
 * platform service API key, from {@code X-Tenant} beside {@link #SERVICE_API_KEY}); another
 * tenant's are 404. It records the credential of every request (the Authorization header, or
 * {@code ApiKey <tenant>}) so tests can see which one was forwarded. A dataset's row stream can be
 * held after some rows ({@link #hold}) so a test sees a run in the middle of its rows.
 */
public final class FakeIngest {

    public record Dataset(UUID id, String tenant, String name, int versions, IntFunction<Map<String, Object>> rows,
            int rowCount, int breakAfter) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("/api/v1/ingest/datasets(?:/([0-9a-f-]{36})(?:/versions/(\\d+)(/rows)?)?)?");

    /** The service API key the fixture accepts with X-Tenant (the test profile configures contracts with it). */
    public static final String SERVICE_API_KEY = "hp_test_service_key";

    private final Map<UUID, Dataset> datasets = new ConcurrentHashMap<>();
    private final Map<UUID, Map.Entry<Integer, java.util.concurrent.CountDownLatch>> holds = new ConcurrentHashMap<>();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    private HttpServer server;

    public String start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A dataset of {@code versions} versions (0..versions-1) whose every version has these rows. */
    public Dataset add(String tenant, String name, int versions, int rowCount, IntFunction<Map<String, Object>> rows) {
        return add(tenant, name, versions, rowCount, rows, -1);
    }

    /** As {@link #add}, but the row stream breaks off (connection closed) after {@code breakAfter} rows. */
    public Dataset add(String tenant, String name, int versions, int rowCount, IntFunction<Map<String, Object>> rows,
            int breakAfter) {
        Dataset d = new Dataset(UUID.randomUUID(), tenant, name, versions, rows, rowCount, breakAfter);
        datasets.put(d.id(), d);
        return d;
    }

    /**
     * From now on the row stream of {@code id} stops after {@code afterRows} rows until the returned
     * latch is counted down (at most a minute), as a slow upstream would.
     */
    public java.util.concurrent.CountDownLatch hold(UUID id, int afterRows) {
        java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
        holds.put(id, Map.entry(afterRows, latch));
        return latch;
    }

    /** From now on, {@code id}'s rows are those of {@code other} (a new version's content); {@code other} is dropped. */
    public void replaceRows(UUID id, Dataset other) {
        Dataset d = datasets.get(id);
        datasets.remove(other.id());
        datasets.put(id, new Dataset(id, d.tenant(), d.name(), d.versions(), other.rows(), other.rowCount(), d.breakAfter()));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String apiKey = ex.getRequestHeaders().getFirst("X-API-Key");
            String tenant;
            if (apiKey != null) {
                String claimed = ex.getRequestHeaders().getFirst("X-Tenant");
                authorizations.add("ApiKey " + claimed);
                tenant = SERVICE_API_KEY.equals(apiKey) ? claimed : null;
            } else {
                authorizations.add(auth == null ? "" : auth);
                tenant = tenantOf(auth);
            }
            Matcher m = PATH.matcher(ex.getRequestURI().getPath());
            if (tenant == null) {
                send(ex, 401, Map.of("code", "unauthenticated"));
                return;
            }
            if (!"GET".equals(ex.getRequestMethod()) || !m.matches()) {
                send(ex, 404, Map.of("code", "not_found"));
                return;
            }
            if (m.group(1) == null) {
                List<Map<String, Object>> items = new ArrayList<>();
                datasets.values().stream().filter(d -> d.tenant().equals(tenant))
                        .sorted((a, b) -> a.name().compareTo(b.name()))
                        .forEach(d -> items.add(Map.of("id", d.id().toString(), "name", d.name(), "currentVersion", d.versions() - 1)));
                java.util.HashMap<String, Object> page = new java.util.HashMap<>();
                page.put("items", items);
                page.put("nextCursor", null);
                send(ex, 200, page);
                return;
            }
            Dataset d = datasets.get(UUID.fromString(m.group(1)));
            if (d == null || !d.tenant().equals(tenant)) {
                send(ex, 404, Map.of("code", "dataset_not_found"));
                return;
            }
            if (m.group(2) == null) {
                send(ex, 200, Map.of("id", d.id().toString(), "name", d.name(), "profile", "organisation",
                        "currentVersion", d.versions() - 1));
                return;
            }
            int n = Integer.parseInt(m.group(2));
            if (n >= d.versions()) {
                send(ex, 404, Map.of("code", "dataset_version_not_found"));
                return;
            }
            if (m.group(3) == null) {
                send(ex, 200, Map.of("number", n, "rowCount", d.rowCount(), "status", "committed", "contentSha256", "00"));
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
            ex.sendResponseHeaders(200, 0); // chunked: rows stream as they are written
            OutputStream out = ex.getResponseBody();
            Map.Entry<Integer, java.util.concurrent.CountDownLatch> hold = holds.get(d.id());
            for (int i = 0; i < d.rowCount(); i++) {
                if (hold != null && i == hold.getKey()) {
                    out.flush(); // the rows so far reach the reader, then the stream waits
                    try {
                        hold.getValue().await(60, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (i == d.breakAfter()) {
                    // The stream ends in the middle of a row, as when the upstream dies mid-transfer.
                    out.write("{\"_rowId\":\"r-broken\",\"na".getBytes(StandardCharsets.UTF_8));
                    out.close();
                    return;
                }
                out.write(JSON.writeValueAsBytes(d.rows().apply(i)));
                out.write('\n');
            }
            out.close();
        } catch (IOException e) {
            // a broken stream: the client sees the connection end early
        }
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    /** The tenant claim of a bearer JWT (not verified here: the real gateway verifies it). */
    static String tenantOf(String auth) {
        if (auth == null || !auth.startsWith("Bearer ")) {
            return null;
        }
        String[] parts = auth.substring(7).split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            Map<?, ?> claims = JSON.readValue(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8), Map.class);
            Object t = claims.get("tenant");
            return t == null ? null : t.toString();
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
