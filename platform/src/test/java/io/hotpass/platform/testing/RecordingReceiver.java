package io.hotpass.platform.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for an outbox destination that behaves like a real receiver: it de-duplicates by
 * {@code Hotpass-Event-Id}, can be taken down (port closed) and brought back on the same port, and
 * can lose its answer after applying an event (so the sender retries and the duplicate must be
 * absorbed). It records every delivery attempt it saw.
 */
public final class RecordingReceiver {

    private final int port;
    private HttpServer server;
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private final Map<String, String> applied = new ConcurrentHashMap<>();
    private final AtomicInteger loseAnswers = new AtomicInteger();

    public RecordingReceiver() {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", exchange -> {
            String id = exchange.getRequestHeaders().getFirst("Hotpass-Event-Id");
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (id != null) {
                received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                applied.putIfAbsent(id, body);
            }
            int status = loseAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 201;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** The next {@code n} deliveries are applied but answered with 500, as if the answer was lost. */
    public void loseNextAnswers(int n) {
        loseAnswers.set(n);
    }

    /** Events applied once each: event id to body. */
    public Map<String, String> applied() {
        return Map.copyOf(applied);
    }

    /** How many times each event id arrived. */
    public int deliveries(String eventId) {
        AtomicInteger n = received.get(eventId);
        return n == null ? 0 : n.get();
    }

    public Set<String> receivedIds() {
        return Set.copyOf(received.keySet());
    }
}
