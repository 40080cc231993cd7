package io.hotpass.platform.fault;

import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.jboss.logging.Logger;

/**
 * The faults active in this process (not shared between replicas: a drill sets each replica it
 * means to slow). Every fault expires; an expired one is dropped the next time anything looks.
 * Setting a fault on the same method and path prefix replaces the earlier one.
 */
@Singleton
public class FaultSwitch {

    private static final Logger LOG = Logger.getLogger(FaultSwitch.class);

    /** What a request that matched a fault suffers. */
    public record Effect(Fault fault, Duration latency, Optional<Integer> errorStatus) {
    }

    /** A request the switch refuses: over the limit of active faults. */
    public static final class TooManyFaults extends RuntimeException {
        TooManyFaults(int limit) {
            super("At most " + limit + " faults may be active at once; clear one first");
        }
    }

    private final CopyOnWriteArrayList<Fault> faults = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final DoubleSupplier random;
    private final FaultInjectionConfig config;

    @Inject
    public FaultSwitch(FaultInjectionConfig config) {
        this(config, Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble());
    }

    /** For tests: a clock to move past expiries and a random source to make the error rate exact. */
    FaultSwitch(FaultInjectionConfig config, Clock clock, DoubleSupplier random) {
        this.config = config;
        this.clock = clock;
        this.random = random;
    }

    public FaultInjectionConfig config() {
        return config;
    }

    /** Sets a fault for {@code ttlSeconds}; the request must have no {@link FaultRequest#problems}. */
    public Fault set(FaultRequest r, String setBy) {
        Instant now = clock.instant();
        String method = r.method() == null ? null : r.method().toUpperCase(Locale.ROOT);
        Fault f = new Fault(UUID.randomUUID().toString(), method, r.pathPrefix(), Duration.ofMillis(r.latency()), r.rate(), r.status(),
                setBy, now, now.plusSeconds(r.ttl()));
        synchronized (faults) {
            List<Fault> live = active();
            Optional<Fault> replaced = live.stream()
                    .filter(x -> java.util.Objects.equals(x.method(), method) && x.pathPrefix().equals(r.pathPrefix())).findFirst();
            if (replaced.isEmpty() && live.size() >= config.maxFaults()) {
                throw new TooManyFaults(config.maxFaults());
            }
            replaced.ifPresent(faults::remove);
            faults.add(f);
        }
        LOG.warnf("Fault injected by %s: %s %s latency %d ms, error %d at rate %.2f, until %s (id %s)", setBy, method == null ? "*" : method,
                f.pathPrefix(), f.latency().toMillis(), f.errorStatus(), f.errorRate(), f.expiresAt(), f.id());
        return f;
    }

    /** The faults still active, oldest first. */
    public List<Fault> active() {
        Instant now = clock.instant();
        for (Fault f : faults) {
            if (f.expired(now) && faults.remove(f)) {
                LOG.warnf("Fault %s on %s expired", f.id(), f.pathPrefix());
            }
        }
        return List.copyOf(faults);
    }

    /** Whether the fault is still set and not expired. */
    public boolean isActive(String id) {
        Instant now = clock.instant();
        for (Fault f : faults) {
            if (f.id().equals(id)) {
                return !f.expired(now);
            }
        }
        return false;
    }

    /** Clears one fault; false when there is no such active fault. */
    public boolean clear(String id, String by) {
        Optional<Fault> f = active().stream().filter(x -> x.id().equals(id)).findFirst();
        f.ifPresent(x -> {
            faults.remove(x);
            LOG.warnf("Fault %s on %s cleared by %s", x.id(), x.pathPrefix(), by);
        });
        return f.isPresent();
    }

    /** Clears every fault; how many were active. */
    public int clearAll(String by) {
        List<Fault> live = active();
        faults.removeAll(live);
        if (!live.isEmpty()) {
            LOG.warnf("%d fault(s) cleared by %s", live.size(), by);
        }
        return live.size();
    }

    /**
     * What a request suffers: the most specific active fault matching it (longest prefix; one with
     * a method before one without), its latency, and an error status drawn at its error rate.
     * Empty when nothing matches (the common case costs one look at an empty list).
     */
    public Optional<Effect> effectFor(String method, String path) {
        if (faults.isEmpty() || FaultHttp.exempt(path)) {
            return Optional.empty();
        }
        Fault best = null;
        for (Fault f : active()) {
            if (f.matches(method, path) && (best == null || specificity(f) > specificity(best))) {
                best = f;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        boolean fail = best.errorRate() > 0 && random.getAsDouble() < best.errorRate();
        return Optional.of(new Effect(best, best.latency(), fail ? Optional.of(best.errorStatus()) : Optional.empty()));
    }

    private static int specificity(Fault f) {
        return f.pathPrefix().length() * 2 + (f.method() != null ? 1 : 0);
    }
}
