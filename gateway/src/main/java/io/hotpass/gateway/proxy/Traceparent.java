package io.hotpass.gateway.proxy;

import io.opentelemetry.api.trace.SpanContext;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** W3C Trace Context: the gateway's span as the upstream's parent, or a valid incoming {@code traceparent} continued, or a new trace. */
final class Traceparent {

    private static final Pattern VALID = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

    private Traceparent() {
    }

    /**
     * The request's own span when OpenTelemetry traces it (its server span already continues a
     * valid incoming {@code traceparent}), so the service's spans become its children in one
     * trace; without tracing, the incoming context continued by hand.
     */
    static String of(SpanContext span, String incoming) {
        if (span != null && span.isValid()) {
            return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
        }
        return continueOrStart(incoming);
    }

    static String continueOrStart(String incoming) {
        String traceId;
        String flags = "01";
        var m = incoming == null ? null : VALID.matcher(incoming.trim());
        if (m != null && m.matches() && !m.group(1).equals("0".repeat(32)) && !m.group(2).equals("0".repeat(16))) {
            traceId = m.group(1);
            flags = m.group(3);
        } else {
            traceId = randomHex(16);
        }
        return "00-" + traceId + "-" + randomHex(8) + "-" + flags;
    }

    static String traceId(String traceparent) {
        return traceparent.substring(3, 35);
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        if (b[0] == 0) {
            b[0] = 1;
        }
        return HexFormat.of().formatHex(b);
    }
}
