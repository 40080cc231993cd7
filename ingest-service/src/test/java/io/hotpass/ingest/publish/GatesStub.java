package io.hotpass.ingest.publish;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the gateway in front of contracts-service and lineage-service: answers the two
 * publish-gate paths with what a test sets, and records each request's path and Authorization.
 * The real gates are exercised end to end by the acceptance suite.
 */
public class GatesStub implements QuarkusTestResourceLifecycleManager {

    record Seen(String path, String authorization) {
    }

    static volatile int contractsStatus = 200;
    static volatile String contractsBody = "{\"pass\":true,\"reasons\":[]}";
    static volatile int lineageStatus = 200;
    static volatile String lineageBody = "{\"pass\":true,\"reasons\":[{\"code\":\"lineage_recorded\"}]}";
    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();

    private HttpServer server;

    static void reset() {
        contractsStatus = 200;
        contractsBody = "{\"pass\":true,\"reasons\":[]}";
        lineageStatus = 200;
        lineageBody = "{\"pass\":true,\"reasons\":[{\"code\":\"lineage_recorded\"}]}";
        SEEN.clear();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getRawPath();
            SEEN.add(new Seen(path, ex.getRequestHeaders().getFirst("Authorization")));
            int status;
            String body;
            if (path.startsWith("/api/v1/contracts/gates/")) {
                status = contractsStatus;
                body = contractsBody;
            } else if (path.startsWith("/marquez/api/v1/gates/")) {
                status = lineageStatus;
                body = lineageBody;
            } else {
                status = 404;
                body = "{}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return Map.of("hotpass.gateway.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
