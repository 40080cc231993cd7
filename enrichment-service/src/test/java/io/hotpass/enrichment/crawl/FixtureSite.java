package io.hotpass.enrichment.crawl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local website for crawler tests and the crawl benchmark, served by the JDK's HTTP server on a
 * loopback address: pages by path, with any status, headers and body, recording every request
 * (path and arrival time) so tests can check what was and was not fetched, and how fast.
 */
public final class FixtureSite implements AutoCloseable {

    /** A canned response. */
    public record Page(int status, String contentType, byte[] body, Map<String, String> headers) {
        public static Page html(String html) {
            return new Page(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        public static Page text(int status, String text) {
            return new Page(status, "text/plain", text.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        public static Page redirect(String location) {
            return new Page(302, "text/plain", new byte[0], Map.of("Location", location));
        }
    }

    /** One request as the server saw it. */
    public record Hit(String path, long nanoTime) {
    }

    private final HttpServer server;
    private final Map<String, Page> pages = new ConcurrentHashMap<>();
    private final Map<String, java.util.Queue<Page>> sequences = new ConcurrentHashMap<>();
    private final List<Hit> hits = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.ScheduledExecutorService dripper =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

    public FixtureSite(String address) throws IOException {
        this(address, 0);
    }

    public FixtureSite(String address, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    /** A page that sends {@code bytes} bytes one at a time, {@code intervalMillis} apart (a slow drip). */
    public FixtureSite drip(String path, int bytes, long intervalMillis) {
        server.createContext(path, ex -> {
            hits.add(new Hit(path, System.nanoTime()));
            ex.getResponseHeaders().add("Content-Type", "text/html");
            ex.sendResponseHeaders(200, bytes);
            int[] sent = {0};
            java.util.concurrent.ScheduledFuture<?>[] task = new java.util.concurrent.ScheduledFuture<?>[1];
            task[0] = dripper.scheduleAtFixedRate(() -> {
                try {
                    ex.getResponseBody().write('x');
                    ex.getResponseBody().flush();
                    if (++sent[0] >= bytes) {
                        ex.close();
                        task[0].cancel(false);
                    }
                } catch (IOException e) {
                    ex.close();
                    task[0].cancel(false);
                }
            }, 0, intervalMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        });
        return this;
    }

    /** Answers {@code path} with each of {@code first} in turn, once each, then with {@code page} for good. */
    public FixtureSite sequence(String path, Page page, Page... first) {
        sequences.put(path, new java.util.concurrent.ConcurrentLinkedQueue<>(List.of(first)));
        return page(path, page);
    }

    /** Requests that arrived for {@code path}. */
    public List<Hit> hits(String path) {
        return hits.stream().filter(h -> h.path().equals(path)).toList();
    }

    public FixtureSite page(String path, Page page) {
        pages.put(path, page);
        return this;
    }

    public String base() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    public String host() {
        return server.getAddress().getAddress().getHostAddress();
    }

    public List<Hit> hits() {
        return List.copyOf(hits);
    }

    public List<String> paths() {
        return hits.stream().map(Hit::path).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        hits.add(new Hit(path, System.nanoTime()));
        java.util.Queue<Page> next = sequences.get(path);
        Page queued = next == null ? null : next.poll();
        Page p = queued != null ? queued : pages.getOrDefault(path, Page.text(404, "not found"));
        p.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v.replace("{base}", base())));
        ex.getResponseHeaders().add("Content-Type", p.contentType());
        try (OutputStream out = ex.getResponseBody()) {
            ex.sendResponseHeaders(p.status(), p.body().length == 0 ? -1 : p.body().length);
            if (p.body().length > 0) {
                out.write(p.body());
            }
        } catch (IOException e) {
            // the crawler may hang up on purpose (too large, wrong type)
        }
    }

    @Override
    public void close() {
        server.stop(0);
        dripper.shutdownNow();
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
