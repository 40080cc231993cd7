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
import java.util.function.LongSupplier;

/**
 * One circuit breaker per upstream: after {@code failure-threshold} consecutive failures
 * (unreachable, timed out, or 502/503/504 from the upstream) the circuit opens and requests are
 * answered 503 {@code upstream_circuit_open} at once for {@code open-duration}. Then it is
 * half-open: up to {@code half-open-requests} trial requests are let through at once; the first
 * to succeed closes the circuit, a failed one opens it again. A trial is an ordinary request, so
 * one that takes long (an upload to a service that has just started) must not keep the circuit
 * half-open and refusing for its whole length: a quick trial beside it closes it, and once no trial
 * has been let through for {@code open-duration}, one more is.
 *
 * <p>{@link #acquire} hands out a {@link Permit}; the caller reports the upstream's answer on it
 * exactly once ({@link Permit#success}, {@link Permit#failure}, or {@link Permit#release} when
 * the request ended without the upstream's verdict). A failure of a request let through before
 * the circuit opened (it arrives late) does not re-open a circuit that has moved on.
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

        /** Trial requests let through at once while half-open. */
        @WithDefault("3")
        int halfOpenRequests();
    }

    enum State { CLOSED, OPEN, HALF_OPEN }

    static final class Breaker {
        State state = State.CLOSED;
        int failures;
        long openedAtNanos;
        /** Counts every move to OPEN or HALF_OPEN, so a permit knows whether its trial is still the current one. */
        long generation;
        int trialsInFlight;
        long lastTrialAtNanos;
    }

    /** Leave to call one upstream once; report its outcome on it exactly once. */
    public final class Permit {
        private final Breaker breaker;
        private final boolean trial;
        private final long generation;
        private boolean reported;

        Permit(Breaker breaker, boolean trial, long generation) {
            this.breaker = breaker;
            this.trial = trial;
            this.generation = generation;
        }

        /** The upstream answered (anything but 502/503/504): it works, so the circuit closes. */
        public void success() {
            synchronized (breaker) {
                if (report()) {
                    breaker.state = State.CLOSED;
                    breaker.failures = 0;
                    breaker.trialsInFlight = 0;
                }
            }
        }

        /** The upstream failed this request. */
        public void failure() {
            synchronized (breaker) {
                if (!report()) {
                    return;
                }
                switch (breaker.state) {
                    case CLOSED -> {
                        if (++breaker.failures >= config.failureThreshold()) {
                            open(breaker);
                        }
                    }
                    case HALF_OPEN -> {
                        if (currentTrial()) {
                            open(breaker);
                        }
                    }
                    case OPEN -> { } // late news from before the circuit opened: it is open already
                }
            }
        }

        /** The request ended without a verdict on the upstream (the caller was answered otherwise). */
        public void release() {
            synchronized (breaker) {
                if (report() && currentTrial()) {
                    breaker.trialsInFlight--;
                }
            }
        }

        boolean isTrial() {
            return trial;
        }

        private boolean report() {
            boolean first = !reported;
            reported = true;
            return first;
        }

        private boolean currentTrial() {
            return trial && breaker.state == State.HALF_OPEN && breaker.generation == generation;
        }
    }

    @Inject
    BreakerConfig config;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Inject
    GatewayConfig gateway;

    LongSupplier nanoTime = System::nanoTime;

    private final ConcurrentHashMap<String, Breaker> breakers = new ConcurrentHashMap<>();

    @jakarta.annotation.PostConstruct
    void registerConfiguredUpstreams() {
        gateway.upstreams().keySet().forEach(this::breaker);
    }

    private Breaker breaker(String upstream) {
        return breakers.computeIfAbsent(upstream, k -> {
            Breaker b = new Breaker();
            if (registry != null) {
                // 0 closed, 1 half-open, 2 open: what the dashboard's circuit panel and alert read.
                registry.gauge("hotpass_gateway_circuit_breaker_state", java.util.List.of(io.micrometer.core.instrument.Tag.of("upstream", k)),
                        b, x -> x.state == State.CLOSED ? 0 : x.state == State.HALF_OPEN ? 1 : 2);
            }
            return b;
        });
    }

    /** A permit to call the upstream, or 503 {@code upstream_circuit_open} when its circuit refuses. */
    public Permit acquire(String upstream) {
        Breaker b = breaker(upstream);
        synchronized (b) {
            if (b.state == State.CLOSED) {
                return new Permit(b, false, b.generation);
            }
            long now = nanoTime.getAsLong();
            long open = config.openDuration().toNanos();
            if (b.state == State.OPEN && now - b.openedAtNanos >= open) {
                b.state = State.HALF_OPEN;
                b.generation++;
                b.trialsInFlight = 0;
            }
            if (b.state == State.HALF_OPEN
                    && (b.trialsInFlight < Math.max(1, config.halfOpenRequests()) || now - b.lastTrialAtNanos >= open)) {
                b.trialsInFlight++;
                b.lastTrialAtNanos = now;
                return new Permit(b, true, b.generation);
            }
            long left = b.state == State.OPEN ? open - (now - b.openedAtNanos) : open - (now - b.lastTrialAtNanos);
            long retry = Math.max(1, (left + 999_999_999L) / 1_000_000_000L); // whole seconds, rounded up
            throw new ProblemException(503, "upstream_circuit_open", "Upstream circuit open",
                    upstream + " is failing; requests are refused until it recovers").header("Retry-After", Long.toString(retry));
        }
    }

    private void open(Breaker b) {
        b.state = State.OPEN;
        b.generation++;
        b.openedAtNanos = nanoTime.getAsLong();
        b.trialsInFlight = 0;
    }

    public String state(String upstream) {
        Breaker b = breakers.get(upstream);
        return b == null ? "CLOSED" : b.state.name();
    }
}
