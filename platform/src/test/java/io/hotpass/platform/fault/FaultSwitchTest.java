package io.hotpass.platform.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FaultSwitchTest {

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-26T12:00:00Z"));

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    static FaultInjectionConfig config(boolean enabled, int maxFaults) {
        return new FaultInjectionConfig() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public Duration maxTtl() {
                return Duration.ofMinutes(15);
            }

            @Override
            public Duration maxLatency() {
                return Duration.ofMinutes(5);
            }

            @Override
            public int maxFaults() {
                return maxFaults;
            }
        };
    }

    final TestClock clock = new TestClock();
    double draw = 0.5;
    final FaultSwitch faults = new FaultSwitch(config(true, 3), clock, () -> draw);

    static FaultRequest latency(String method, String prefix, long ms, long ttl) {
        return new FaultRequest(method, prefix, ms, null, null, ttl);
    }

    @Test
    void aLatencyFaultSlowsMatchingPathsBySegmentAndNothingElse() {
        faults.set(latency(null, "/datasets", 8000, 60), "admin");
        assertEquals(Duration.ofSeconds(8), faults.effectFor("GET", "/datasets").orElseThrow().latency());
        assertEquals(Duration.ofSeconds(8), faults.effectFor("POST", "/datasets/7/uploads").orElseThrow().latency());
        assertTrue(faults.effectFor("GET", "/datasets-old").isEmpty(), "a prefix matches whole segments");
        assertTrue(faults.effectFor("GET", "/runs/7").isEmpty());
        assertTrue(faults.effectFor("GET", "/datasets").orElseThrow().errorStatus().isEmpty(), "latency only: no error");
    }

    @Test
    void healthMetricsAndTheSwitchItselfAreNeverFaulted() {
        faults.set(latency(null, "/", 5000, 60), "admin");
        assertTrue(faults.effectFor("GET", "/datasets").isPresent());
        assertTrue(faults.effectFor("GET", "/q/health/ready").isEmpty());
        assertTrue(faults.effectFor("GET", "/q/metrics").isEmpty());
        assertTrue(faults.effectFor("DELETE", "/admin/faults").isEmpty());
        assertTrue(faults.effectFor("DELETE", "/admin/faults/42").isEmpty());
    }

    @Test
    void theErrorRateDecidesPerRequest() {
        faults.set(new FaultRequest("GET", "/datasets", null, 0.25, 500, 60L), "admin");
        draw = 0.24;
        assertEquals(500, faults.effectFor("GET", "/datasets").orElseThrow().errorStatus().orElseThrow());
        draw = 0.25;
        assertTrue(faults.effectFor("GET", "/datasets").orElseThrow().errorStatus().isEmpty());
        assertTrue(faults.effectFor("POST", "/datasets").isEmpty(), "the fault names GET only");
    }

    @Test
    void everyFaultExpiresEvenIfNobodyClearsIt() {
        faults.set(latency(null, "/datasets", 1000, 30), "admin");
        clock.advance(Duration.ofSeconds(29));
        assertTrue(faults.effectFor("GET", "/datasets").isPresent());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(faults.effectFor("GET", "/datasets").isEmpty(), "expired at its expiresAt");
        assertEquals(List.of(), faults.active());
    }

    @Test
    void theMostSpecificFaultWinsAndTheSameTargetIsReplaced() {
        faults.set(latency(null, "/datasets", 1000, 60), "admin");
        faults.set(latency(null, "/datasets/7", 2000, 60), "admin");
        faults.set(latency("GET", "/datasets", 3000, 60), "admin");
        assertEquals(2000, faults.effectFor("GET", "/datasets/7/rows").orElseThrow().latency().toMillis());
        assertEquals(3000, faults.effectFor("GET", "/datasets/8").orElseThrow().latency().toMillis());
        assertEquals(1000, faults.effectFor("POST", "/datasets/8").orElseThrow().latency().toMillis());
        Fault again = faults.set(latency(null, "/datasets", 4000, 60), "admin");
        assertEquals(3, faults.active().size(), "the same method and prefix replace, not add");
        assertEquals(4000, faults.effectFor("POST", "/datasets/8").orElseThrow().latency().toMillis());
        assertThrows(FaultSwitch.TooManyFaults.class, () -> faults.set(latency(null, "/runs", 1000, 60), "admin"));
        assertTrue(faults.clear(again.id(), "admin"));
        assertFalse(faults.clear(again.id(), "admin"), "already gone");
        assertEquals(2, faults.clearAll("admin"));
        assertTrue(faults.effectFor("GET", "/datasets/7").isEmpty());
    }

    @Test
    void aRequestOutsideTheLimitsIsRefusedFieldByField() {
        FaultInjectionConfig limits = config(true, 16);
        assertEquals(List.of(), new FaultRequest("get", "/datasets", 100L, 0.5, 429, 900L).problems(limits));
        assertFields(List.of("pathPrefix", "latencyMs"), new FaultRequest(null, null, null, null, null, null).problems(limits));
        assertFields(List.of("pathPrefix"), new FaultRequest(null, "/q/health", 100L, null, null, null).problems(limits));
        assertFields(List.of("pathPrefix"), new FaultRequest(null, "/admin/faults", 100L, null, null, null).problems(limits));
        assertFields(List.of("pathPrefix"), new FaultRequest(null, "/datasets?limit=1", 100L, null, null, null).problems(limits));
        assertFields(List.of("method"), new FaultRequest("TRACE", "/datasets", 100L, null, null, null).problems(limits));
        assertFields(List.of("latencyMs"), new FaultRequest(null, "/datasets", 300_001L, null, null, null).problems(limits));
        assertFields(List.of("errorRate"), new FaultRequest(null, "/datasets", null, 1.5, null, null).problems(limits));
        assertFields(List.of("errorStatus"), new FaultRequest(null, "/datasets", null, 1.0, 404, null).problems(limits));
        assertFields(List.of("ttlSeconds"), new FaultRequest(null, "/datasets", 100L, null, null, 901L).problems(limits));
        assertFields(List.of("ttlSeconds"), new FaultRequest(null, "/datasets", 100L, null, null, 0L).problems(limits));
    }

    static void assertFields(List<String> fields, List<Map<String, String>> problems) {
        assertEquals(fields, problems.stream().map(p -> p.get("field")).toList(), problems::toString);
    }
}
