package io.hotpass.enrichment.crawl;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.Guard;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * Retries and a circuit breaker per host ({@code host:port}), built with SmallRye Fault Tolerance's
 * programmatic {@link Guard}: one guard per host, kept for the {@code maxGuardedHosts} most recently
 * used hosts, so one misbehaving host opens only its own breaker.
 *
 * <p>A failure is what says the host is unwell: a network error (DNS included), a timeout, any 5xx
 * or a 429. Of those only what can succeed on retry is retried: network errors, connect and read
 * timeouts (not a body still dripping at the fetch deadline), 429, 502, 503 and 504, with jittered exponential backoff (half to all of {@code initialBackoff × 2^n}, capped
 * at {@code maxBackoff}), and never sooner than the host's {@code Retry-After}; a host asking for
 * more than {@code maxRetryAfter} is not retried. A 4xx other than 429, a blocked (SSRF) address, a
 * too-large body or an unwanted type is an answer, not a failure: returned at once, never retried, and
 * it counts as a success for the breaker. Every attempt counts in the breaker's window, and while the
 * breaker is open the fetch answers {@code CIRCUIT_OPEN} without sending anything. Backoff and
 * politeness add up: each attempt still waits for the host's politeness slot ({@link GuardedFetcher}).
 */
public final class HostGuards implements FetchGuard {

    /** A failed attempt, carried through the guard; {@code retryable} decides whether it is tried again. */
    static final class HostFailure extends Exception {
        final transient PageFetcher.Fetch fetch;
        final boolean retryable;

        HostFailure(PageFetcher.Fetch fetch, boolean retryable) {
            super(fetch.detail(), null, false, false);
            this.fetch = fetch;
            this.retryable = retryable;
        }
    }

    private record Entry(Guard guard, AtomicReference<CircuitBreakerState> state) {
    }

    private final ResilienceSettings settings;
    private final Map<String, Entry> guards;
    private final LongAdder retries = new LongAdder();

    public HostGuards(ResilienceSettings settings) {
        this.settings = settings;
        int max = settings.maxGuardedHosts();
        this.guards = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > max;
            }
        });
    }

    @Override
    public PageFetcher.Fetch fetch(URI uri, Attempt attempt) throws InterruptedException {
        String host = RobotsPolicy.authority(uri);
        Entry entry = guards.computeIfAbsent(host, this::build);
        AtomicInteger attempts = new AtomicInteger();
        try {
            return entry.guard().call(() -> {
                attempts.incrementAndGet();
                return classify(attempt.call());
            }, PageFetcher.Fetch.class);
        } catch (HostFailure f) {
            return f.fetch.withDetail(f.fetch.detail() + (attempts.get() > 1 ? " (" + attempts.get() + " attempts)" : ""));
        } catch (CircuitBreakerOpenException e) {
            return PageFetcher.Fetch.circuitOpen(uri, "circuit open for " + host
                    + (attempts.get() > 0 ? " after " + attempts.get() + (attempts.get() == 1 ? " attempt" : " attempts")
                            : ""));
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unexpected failure fetching " + uri, e);
        }
    }

    /** Retries made so far (attempts after the first of a fetch). */
    public long retries() {
        return retries.sum();
    }

    /** Hosts whose breaker is open now. */
    public int openBreakers() {
        synchronized (guards) {
            return (int) guards.values().stream().filter(e -> e.state().get() == CircuitBreakerState.OPEN).count();
        }
    }

    /** The breaker state of a host ({@code host:port}); {@code CLOSED} for a host not guarded (yet or any more). */
    public CircuitBreakerState state(String host) {
        Entry e = guards.get(host);
        return e == null ? CircuitBreakerState.CLOSED : e.state().get();
    }

    /** Success and answers pass; failures are thrown so that the guard counts and maybe retries them. */
    static PageFetcher.Fetch classify(PageFetcher.Fetch f) throws HostFailure {
        switch (f.outcome()) {
            case NETWORK_ERROR -> throw new HostFailure(f, true);
            // A connect or read timeout (no answer: status 0) may pass; a body that did not arrive within the
            // fetch deadline after a 2xx (a slow drip) would only be dripped again.
            case TIMEOUT -> throw new HostFailure(f, f.status() == 0);
            case HTTP_ERROR -> {
                int s = f.status();
                if (s == 429 || s == 502 || s == 503 || s == 504) {
                    throw new HostFailure(f, true);
                }
                if (s >= 500) {
                    throw new HostFailure(f, false);
                }
                return f;
            }
            default -> {
                return f;
            }
        }
    }

    private boolean retryable(Throwable t) {
        if (!(t instanceof HostFailure f) || !f.retryable) {
            return false;
        }
        Duration after = f.fetch.retryAfter();
        return after == null || after.compareTo(settings.maxRetryAfter()) <= 0;
    }

    private Entry build(String host) {
        AtomicReference<CircuitBreakerState> state = new AtomicReference<>(CircuitBreakerState.CLOSED);
        long initial = settings.initialBackoff().toMillis();
        Guard guard = Guard.create()
                .withRetry().maxRetries(settings.maxRetries()).delay(initial, ChronoUnit.MILLIS).jitter(0, ChronoUnit.MILLIS)
                .maxDuration(settings.maxRetryDuration().toMillis(), ChronoUnit.MILLIS)
                .whenException(this::retryable)
                .onRetry(retries::increment)
                .withCustomBackoff().strategy(Backoff::new).done()
                .done()
                .withCircuitBreaker().requestVolumeThreshold(settings.hostBreakerVolume())
                .failureRatio(settings.hostBreakerRatio())
                .delay(settings.hostBreakerDelay().toMillis(), ChronoUnit.MILLIS).successThreshold(1)
                .when(t -> t instanceof HostFailure)
                .onStateChange(state::set)
                .done()
                .build();
        return new Entry(guard, state);
    }

    /** Jittered exponential backoff, never shorter than the failed response's {@code Retry-After}; one per fetch. */
    private final class Backoff implements CustomBackoffStrategy {
        private long initial;
        private int retries;

        @Override
        public void init(long initialDelayInMillis) {
            initial = initialDelayInMillis;
        }

        @Override
        public long nextDelayInMillis(Throwable cause) {
            long cap = settings.maxBackoff().toMillis();
            long exp = Math.min(cap, initial * (1L << Math.min(retries++, 30)));
            long delay = exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
            if (cause instanceof HostFailure f && f.fetch.retryAfter() != null) {
                delay = Math.max(delay, f.fetch.retryAfter().toMillis());
            }
            return delay;
        }
    }
}
