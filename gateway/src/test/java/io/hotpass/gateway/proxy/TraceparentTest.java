package io.hotpass.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Test;

class TraceparentTest {

    static final String INCOMING = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void theGatewaysOwnSpanIsTheUpstreamsParentWhenTraced() {
        SpanContext span = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01", Traceparent.of(span, INCOMING));
    }

    @Test
    void withoutTracingTheIncomingTraceIsContinuedWithANewSpanId() {
        String tp = Traceparent.of(SpanContext.getInvalid(), INCOMING);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", Traceparent.traceId(tp));
        assertNotEquals(INCOMING, tp);
        assertTrue(tp.endsWith("-01"), tp);
    }

    @Test
    void anInvalidIncomingContextStartsANewTrace() {
        String tp = Traceparent.of(null, "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01");
        assertTrue(tp.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), tp);
        assertNotEquals("0".repeat(32), Traceparent.traceId(tp));
    }
}
