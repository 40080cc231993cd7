package io.hotpass.gateway.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for policy-service's two gateway-facing endpoints (API key verification and
 * decisions, following their documented contract) and for a service that echoes what reached
 * it, so the gateway's own behaviour can be tested in isolation. Enrichment points at a closed
 * port to exercise 502.
 */
public class UpstreamStubs implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN_KEY = "hp_acmeadmin001_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    static final String VIEWER_KEY = "hp_acmeviewer01_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
    static final String PLATFORM_KEY = "hp_platformadm1_CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";
    static final AtomicBoolean POLICY_DOWN = new AtomicBoolean();
    static final AtomicInteger UPSTREAM_CALLS = new AtomicInteger();
    static final AtomicInteger VERIFY_CALLS = new AtomicInteger();
    static final AtomicBoolean CONTRACTS_FAILING = new AtomicBoolean();
    static final long SLOW_MILLIS = 6_000;
    static final java.util.concurrent.atomic.AtomicLong POLICY_VERSION = new java.util.concurrent.atomic.AtomicLong(1);
    static final java.util.List<String> AUDIT_DELIVERIES = new java.util.concurrent.CopyOnWriteArrayList<>();
    static final java.util.List<String> TRACEPARENTS = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Stands in for Keycloak's token endpoint when a test sets it (console OIDC sign-in). */
    public static volatile com.sun.net.httpserver.HttpHandler KEYCLOAK = null;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", UpstreamStubs::handle);
        // One thread per exchange, so a slow answer (the 504 test) does not hold up the others.
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> cfg = new LinkedHashMap<>();
        for (String u : List.of("ingest", "contracts", "lineage", "policy")) {
            cfg.put("hotpass.gateway.upstreams." + u + ".url", url);
        }
        cfg.put("hotpass.gateway.upstreams.enrichment.url", "http://127.0.0.1:" + closed);
        cfg.put("hotpass.gateway.auth-cache-ttl", "PT0.001S");
        // Routes without their own timeout wait this long for an upstream's next byte (504 after it).
        cfg.put("hotpass.gateway.default-timeout", "PT3S");
        cfg.put("hotpass.gateway.oidc.token-endpoint", url + "/realms/hotpass/protocol/openid-connect/token");
        return cfg;
    }

    @Override
    public void stop() {
        server.stop(0);
    }

    private static void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path.startsWith("/realms/") && KEYCLOAK != null) {
            KEYCLOAK.handle(ex);
            return;
        }
        if (path.endsWith("/uploads")) {
            // Count the streamed bytes without keeping them.
            long n = 0;
            byte[] buf = new byte[1 << 16];
            try (java.io.InputStream body = ex.getRequestBody()) {
                for (int r; (r = body.read(buf)) >= 0;) {
                    n += r;
                }
            }
            send(ex, 201, Map.of("bytes", n));
            return;
        }
        byte[] in = ex.getRequestBody().readAllBytes();
        if (path.equals("/api-keys/verify")) {
            VERIFY_CALLS.incrementAndGet();
            String key = MAPPER.readTree(in).path("key").asText();
            Map<String, Object> caller = switch (key) {
                case ADMIN_KEY -> Map.of("subject", "apikey:acmeadmin001", "tenant", "acme", "roles", List.of("tenant-admin"), "scopes", List.of());
                case VIEWER_KEY -> Map.of("subject", "apikey:acmeviewer01", "tenant", "acme", "roles", List.of("viewer"), "scopes", List.of());
                case PLATFORM_KEY -> Map.of("subject", "apikey:platformadm1", "tenant", "platform", "roles", List.of("platform-admin"), "scopes", List.of());
                default -> null;
            };
            if (caller == null) {
                send(ex, 401, Map.of("code", "invalid_api_key"));
            } else {
                send(ex, 200, caller);
            }
            return;
        }
        if (path.equals("/policy/version")) {
            send(ex, 200, Map.of("version", POLICY_VERSION.get()));
            return;
        }
        if (path.equals("/q/openapi")) {
            send(ex, 200, MAPPER.readTree("""
                    {"openapi":"3.0.3","info":{"title":"stub","version":"1"},
                     "paths":{"/datasets":{"get":{"summary":"List datasets","responses":{"200":{"description":"ok"}}},
                                           "post":{"summary":"Create a dataset","responses":{"201":{"description":"created",
                                             "content":{"application/json":{"schema":{"$ref":"#/components/schemas/DatasetView"}}}}}}},
                              "/datasets/{datasetId}":{"get":{"summary":"Get a dataset","responses":{"200":{"description":"ok"}}}},
                              "/internal/only":{"get":{"summary":"Not routed","responses":{"200":{"description":"ok"}}}}},
                     "components":{"schemas":{"DatasetView":{"type":"object","properties":{"id":{"type":"string"}}}}}}
                    """));
            return;
        }
        if (path.equals("/audit")) {
            AUDIT_DELIVERIES.add(new String(in, StandardCharsets.UTF_8));
            send(ex, 201, Map.of());
            return;
        }
        if (path.equals("/decisions")) {
            if (POLICY_DOWN.get()) {
                send(ex, 500, Map.of());
                return;
            }
            JsonNode r = MAPPER.readTree(in);
            List<String> roles = MAPPER.convertValue(r.path("roles"), List.class);
            String action = r.path("action").asText();
            boolean allow = roles.contains("tenant-admin") || roles.contains("platform-admin")
                    || roles.contains("viewer") && (action.endsWith(":read") || action.endsWith(":list"));
            send(ex, 200, Map.of("allow", allow, "reason", allow ? "allowed_by_role" : "no_matching_permission",
                    "matchedRules", List.of(), "policyVersion", POLICY_VERSION.get()));
            return;
        }
        UPSTREAM_CALLS.incrementAndGet();
        if (ex.getRequestHeaders().getFirst("traceparent") != null) {
            TRACEPARENTS.add(ex.getRequestHeaders().getFirst("traceparent"));
        }
        if (path.endsWith("/slow")) {
            // Answers only after the gateway's idle timeout for the route has passed.
            try {
                Thread.sleep(SLOW_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (path.startsWith("/contracts") && CONTRACTS_FAILING.get()) {
            send(ex, 503, Map.of("code", "service_unavailable"));
            return;
        }
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("method", ex.getRequestMethod());
        echo.put("path", path);
        echo.put("query", ex.getRequestURI().getRawQuery());
        echo.put("authorization", ex.getRequestHeaders().getFirst("Authorization"));
        echo.put("apiKey", ex.getRequestHeaders().getFirst("X-API-Key"));
        echo.put("bodyBytes", in.length);
        if ("POST".equals(ex.getRequestMethod())) {
            // Services answer absolute Locations (JAX-RS resolves them against their own base URI).
            ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + ex.getLocalAddress().getPort() + path + "/123");
            send(ex, 201, echo);
        } else {
            send(ex, 200, echo);
        }
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] out = MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }
}
