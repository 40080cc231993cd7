package io.hotpass.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Body and header limits on streamed requests, and a 1 GiB upload through a bounded heap. */
@QuarkusTest
@QuarkusTestResource(UpstreamStubs.class)
class GatewayLimitsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static int port() {
        return RestAssured.port;
    }

    /** Sends {@code total} bytes as HTTP/1.1 chunks of 64 KiB and returns the raw answer (status line first). */
    static String postChunked(String path, long total) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + UpstreamStubs.ADMIN_KEY
                    + "\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            long sent = 0;
            try {
                while (sent < total) {
                    int n = (int) Math.min(chunk.length, total - sent);
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk, 0, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    sent += n;
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException closedEarly) {
                // The gateway may answer and close before the rest is sent: read what it said.
            }
            return readResponse(s.getInputStream());
        }
    }

    /** Reads one HTTP/1.1 response with a Content-Length body, or to the end of the connection. */
    static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            buf.write(b);
            String text = buf.toString(StandardCharsets.ISO_8859_1);
            int headEnd = text.indexOf("\r\n\r\n");
            if (headEnd >= 0) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
                if (m.find() && buf.size() >= headEnd + 4 + Integer.parseInt(m.group(1))) {
                    break;
                }
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aChunkedBodyPastTheRoutesLimitIs413AndIsNotDeliveredWhole() throws Exception {
        // POST /api/v1/ingest/datasets has the default 10 MiB limit; no Content-Length announces 12 MiB.
        int before = UpstreamStubs.UPSTREAM_CALLS.get();
        String answer = postChunked("/api/v1/ingest/datasets", 12L << 20);
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("application/problem+json"), answer);
        assertTrue(answer.contains("\"code\":\"payload_too_large\""), answer);
        assertTrue(answer.contains("\"limit\":10485760"), answer);
        // The upstream request was aborted, so the service never saw a complete body (the stub
        // counts a call only once it has read a body to its end).
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(500)).atMost(java.time.Duration.ofSeconds(5))
                .until(() -> UpstreamStubs.UPSTREAM_CALLS.get() == before);
    }

    @Test
    void aChunkedBodyWithinTheLimitIsStreamedThrough() throws Exception {
        String answer = postChunked("/api/v1/ingest/datasets/d1/uploads", 3L << 20);
        assertTrue(answer.startsWith("HTTP/1.1 201"), answer);
        JsonNode body = MAPPER.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertEquals(3L << 20, body.path("bytes").asLong());
    }

    @Test
    void tooManyHeaderFieldsAre431ProblemJson() throws Exception {
        StringBuilder req = new StringBuilder("GET /api/v1/ingest/datasets HTTP/1.1\r\nHost: localhost\r\nX-API-Key: ")
                .append(UpstreamStubs.ADMIN_KEY).append("\r\n");
        for (int i = 0; i < 120; i++) {
            req.append("X-Filler-").append(i).append(": ").append(i).append("\r\n");
        }
        req.append("\r\n");
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
            String answer = readResponse(s.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
            assertTrue(answer.contains("\"code\":\"request_header_fields_too_large\""), answer);
            assertTrue(answer.contains("\"limit\":100"), answer);
        }
    }

    @Test
    void headersOverSixteenKibAre431ProblemJson() throws Exception {
        String big = "a".repeat(20_000);
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /api/v1/ingest/datasets HTTP/1.1\r\nHost: localhost\r\nX-API-Key: "
                    + UpstreamStubs.ADMIN_KEY + "\r\nX-Big: " + big + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = readResponse(s.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
            assertTrue(answer.contains("application/problem+json"), answer);
            assertTrue(answer.contains("\"code\":\"request_header_fields_too_large\""), answer);
            assertTrue(answer.contains("\"limit\":16384"), answer);
        }
    }

    @Test
    void headersLargerThanTheServersLimitAre431() throws Exception {
        // quarkus.http.limits.max-header-size=64K: past it the HTTP server refuses before any route runs.
        String big = "a".repeat(70_000);
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /api/v1/ingest/datasets HTTP/1.1\r\nHost: localhost\r\nX-Big: " + big
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readNBytes(64), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
        }
    }

    @Test
    void aOneGibUploadStreamsThroughWithTheHeapBounded() throws Exception {
        long total = 1L << 30;
        // The premise: this JVM (gateway, stub service and client together) cannot hold the body.
        // Surefire runs it with -Xmx768m; buffering the upload anywhere would end in OutOfMemoryError.
        assumeTrue(Runtime.getRuntime().maxMemory() < total, "needs a heap smaller than the upload");
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            Runtime rt = Runtime.getRuntime();
            while (!done.get()) {
                peak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port()
                + "/api/v1/ingest/datasets/d1/uploads").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(total);
        c.setRequestProperty("X-API-Key", UpstreamStubs.ADMIN_KEY);
        c.setRequestProperty("Content-Type", "text/csv");
        c.setReadTimeout(300_000);
        long started = System.nanoTime();
        byte[] block = new byte[1 << 16];
        java.util.Arrays.fill(block, (byte) 'y');
        try (OutputStream out = c.getOutputStream()) {
            for (long sent = 0; sent < total; sent += block.length) {
                out.write(block);
            }
        }
        int status = c.getResponseCode();
        JsonNode body;
        try (InputStream in = c.getInputStream()) {
            body = MAPPER.readTree(in);
        }
        done.set(true);
        sampler.join();
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(201, status);
        assertEquals(total, body.path("bytes").asLong(), "every byte reached the service");
        System.out.printf("1 GiB upload through the gateway: %.1f s (%.0f MiB/s), peak heap used %d MiB of %d MiB max%n",
                seconds, 1024 / seconds, peak.get() >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }
}
