package io.hotpass.platform.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The services' JWT verifier with a memory of tokens it has verified. The gateway reuses an
 * internal token for the same caller for up to a minute, so a service sees the same token string
 * on many requests; verifying its RSA signature and claims each time was about a fifth of
 * lineage-service's CPU per event. A token that verified once is answered from here until it
 * expires (its {@code exp}, and at most {@code hotpass.auth.token-cache.max-age}).
 *
 * <p>What is never served from here: a token that failed (failures are not remembered), a token
 * verified under other settings (the entry belongs to the one {@link JWTAuthContextInfo} object it
 * was verified with — the service's configured one; {@code JWTParser.verify(token, key)} and the
 * gateway's Keycloak verifier use copies, which never match), and a token past its {@code exp}
 * (stricter than the verifier, which allows {@code mp.jwt.verify.clock.skew} after it). A signing
 * key removed from the gateway's JWKS is noticed by the verifier only at its next JWKS refresh
 * anyway; tokens live 5 minutes.
 *
 * <p>Bounded: at most {@code max-entries} tokens (expired ones are swept when it is full; when
 * still full a new token is verified but not remembered). {@code max-entries=0} turns it off.
 * Replaces SmallRye's factory as Quarkus documents for a custom {@link JWTCallerPrincipalFactory}.
 */
@Alternative
@Priority(1)
@Singleton
public class VerifiedTokenCache extends JWTCallerPrincipalFactory {

    private record Entry(JWTCallerPrincipal principal, JWTAuthContextInfo context, long expiresAtMillis) {
    }

    private final JWTCallerPrincipalFactory verifier;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int maxEntries;
    private final long maxAgeMillis;
    private final Clock clock;
    private final Counter hits;
    private final Counter misses;

    @Inject
    public VerifiedTokenCache(@ConfigProperty(name = "hotpass.auth.token-cache.max-entries", defaultValue = "4096") int maxEntries,
            @ConfigProperty(name = "hotpass.auth.token-cache.max-age", defaultValue = "PT5M") Duration maxAge,
            Instance<MeterRegistry> metrics) {
        this(new DefaultJWTCallerPrincipalFactory(), maxEntries, maxAge, Clock.systemUTC(),
                metrics.isResolvable() ? metrics.get() : null);
    }

    /** For tests: any verifier, clock and registry (null: no metrics). */
    public VerifiedTokenCache(JWTCallerPrincipalFactory verifier, int maxEntries, Duration maxAge, Clock clock,
            MeterRegistry metrics) {
        this.verifier = verifier;
        this.maxEntries = Math.max(0, maxEntries);
        this.maxAgeMillis = maxAge.toMillis();
        this.clock = clock;
        this.hits = metrics == null ? null : metrics.counter("hotpass_auth_token_cache_total", "result", "hit");
        this.misses = metrics == null ? null : metrics.counter("hotpass_auth_token_cache_total", "result", "miss");
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
        if (maxEntries == 0 || token == null) {
            return verifier.parse(token, context);
        }
        long now = clock.millis();
        Entry e = entries.get(token);
        if (e != null && e.context() == context && now < e.expiresAtMillis()) {
            count(hits);
            return e.principal();
        }
        count(misses);
        JWTCallerPrincipal principal = verifier.parse(token, context); // throws: nothing remembered
        long exp = principal.getExpirationTime() * 1000L;
        if (exp > now) {
            remember(token, new Entry(principal, context, Math.min(exp, now + maxAgeMillis)), now);
        }
        return principal;
    }

    /** Tokens remembered now (expired ones included until the next sweep). */
    public int size() {
        return size.get();
    }

    private void remember(String token, Entry entry, long now) {
        if (size.get() >= maxEntries) {
            sweep(now);
            if (size.get() >= maxEntries) {
                return;
            }
        }
        if (entries.put(token, entry) == null) {
            size.incrementAndGet();
        }
    }

    private void sweep(long now) {
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (e.getValue().expiresAtMillis() <= now && entries.remove(e.getKey(), e.getValue())) {
                size.decrementAndGet();
            }
        }
    }

    private static void count(Counter c) {
        if (c != null) {
            c.increment();
        }
    }
}
