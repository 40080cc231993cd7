package io.hotpass.gateway.proxy;

import io.hotpass.platform.problem.ProblemException;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.hotpass.gateway.route.GatewayConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One circuit breaker per upstream: after {@code failure-threshold} consecutive failures
 * (unreachable, timed out, or 502/503/504 from the upstream) the circuit opens and requests are
 * answered 503 {@code upstream_circuit_open} at once for {@code open-duration}; then one probe
 * request is let through (half-open) and its outcome closes or re-opens the circuit.
 */
@Startup // the state of every configured upstream's breaker is exported from the start (0 = closed)
@ApplicationScoped
public class UpstreamBreakers {

    @ConfigMapping(prefix = "hotpass.gateway.circuit-breaker")
    public interface BreakerConfig {
        @WithDefault("5")
        int failureThreshold();

        @WithDefault("PT10S")
        Duration openDuration();
    }

    enum State { CLOSED, OPEN, HALF_OPEN }

    static final class Breaker {
        State state = State.CLOSED;
        int failures;
        long openedAtNanos;
    }

    @Inject
    BreakerConfig config;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Inject
    GatewayConfig gateway;

    private final ConcurrentHashMap<String, Breaker> breakers = new ConcurrentHashMap<>();

    @jakarta.annotation.PostConstruct
    void registerConfiguredUpstreams() {
        gateway.upstreams().keySet().forEach(this::breaker);
    }

    private Breaker breaker(String upstream) {
        return breakers.computeIfAbsent(upstream, k -> {
            Breaker b = new Breaker();
            // 0 closed, 1 half-open, 2 open: what the dashboard's circuit panel and alert read.
            registry.gauge("hotpass_gateway_circuit_breaker_state", java.util.List.of(io.micrometer.core.instrument.Tag.of("upstream", k)),
                    b, x -> x.state == State.CLOSED ? 0 : x.state == State.HALF_OPEN ? 1 : 2);
            return b;
        });
    }

    /** Throws 503 when the upstream's circuit is open; otherwise lets the request (or the probe) through. */
    public void acquire(String upstream) {
        Breaker b = breaker(upstream);
        synchronized (b) {
            if (b.state == State.CLOSED) {
                return;
            }
            long elapsed = System.nanoTime() - b.openedAtNanos;
            long open = config.openDuration().toNanos();
            if (b.state == State.OPEN && elapsed >= open) {
                b.state = State.HALF_OPEN;
                return; // this request is the probe
            }
            long retry = Math.max(1, (open - elapsed) / 1_000_000_000L + 1);
            throw new ProblemException(503, "upstream_circuit_open", "Upstream circuit open",
                    upstream + " is failing; requests are refused until it recovers").header("Retry-After", Long.toString(retry));
        }
    }

    public void success(String upstream) {
        Breaker b = breaker(upstream);
        synchronized (b) {
            b.state = State.CLOSED;
            b.failures = 0;
        }
    }

    public void failure(String upstream) {
        Breaker b = breaker(upstream);
        synchronized (b) {
            b.failures++;
            if (b.state == State.HALF_OPEN || b.failures >= config.failureThreshold()) {
                b.state = State.OPEN;
                b.openedAtNanos = System.nanoTime();
            }
        }
    }

    public String state(String upstream) {
        Breaker b = breakers.get(upstream);
        return b == null ? "CLOSED" : b.state.name();
    }
}
