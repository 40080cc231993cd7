package io.hotpass.acceptance;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver (protobuf, {@code POST /v1/traces}) that the stack's services export
 * their spans to, so tests can check what a trace looked like across processes. It keeps every span
 * it is sent, decoded with OTLP's own message classes.
 */
public final class TraceCollector {

    /** One received span, ids in lower-case hex. */
    public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name, String kind) {
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, Integer> requests = new java.util.concurrent.ConcurrentHashMap<>();

    public TraceCollector() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", ex -> {
            requests.merge(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " "
                    + ex.getRequestHeaders().getFirst("Content-Type"), 1, Integer::sum);
            try (InputStream raw = ex.getRequestBody();
                    InputStream in = "gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))
                            ? new GZIPInputStream(raw) : raw) {
                if (ex.getRequestURI().getPath().endsWith("/v1/traces")) {
                    collect(ExportTraceServiceRequest.parseFrom(in));
                } else {
                    in.readAllBytes();
                }
            } catch (IOException | RuntimeException | LinkageError e) {
                requests.merge("unreadable: " + e, 1, Integer::sum);
                ex.sendResponseHeaders(400, -1);
                ex.close();
                return;
            }
            // An empty ExportTraceServiceResponse: everything accepted.
            ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<ReceivedSpan> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    /** How many spans arrived from each service, for failure messages. */
    public String summary() {
        return spans.stream().collect(java.util.stream.Collectors.groupingBy(ReceivedSpan::service,
                java.util.TreeMap::new, java.util.stream.Collectors.counting())) + " from requests " + requests;
    }

    public void stop() {
        server.stop(0);
    }

    private void collect(ExportTraceServiceRequest request) {
        HexFormat hex = HexFormat.of();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            String service = rs.getResource().getAttributesList().stream().filter(a -> a.getKey().equals("service.name"))
                    .map(KeyValue::getValue).map(v -> v.getStringValue()).findFirst().orElse("unknown");
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
                    spans.add(new ReceivedSpan(service, hex.formatHex(s.getTraceId().toByteArray()),
                            hex.formatHex(s.getSpanId().toByteArray()), hex.formatHex(s.getParentSpanId().toByteArray()),
                            s.getName(), s.getKind().name()));
                }
            }
        }
    }
}
