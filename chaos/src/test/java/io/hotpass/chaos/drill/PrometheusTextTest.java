package io.hotpass.chaos.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    static final String TEXT = """
            # HELP hotpass_outbox_pending pending events
            # TYPE hotpass_outbox_pending gauge
            hotpass_outbox_pending 7.0
            hotpass_outbox_pending_oldest_seconds 120.0
            # TYPE hotpass_outbox_delivered_total counter
            hotpass_outbox_delivered_total{destination="lineage"} 10.0
            hotpass_outbox_delivered_total{destination="audit",note="a } b"} 5.0
            """;

    @Test
    void sumsEveryLabelSetOfExactlyThatMetric() {
        assertEquals(7.0, PrometheusText.sum(TEXT, "hotpass_outbox_pending"));
        assertEquals(15.0, PrometheusText.sum(TEXT, "hotpass_outbox_delivered_total"));
        assertNull(PrometheusText.sum(TEXT, "hotpass_missing"));
    }
}
