package io.hotpass.gateway.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The realm's signing keys (its JWKS), held by the gateway and fetched with a bounded time.
 *
 * <p>Keycloak unreachable must not hang requests (FMEA FM-07): SmallRye JWT fetched the JWKS itself
 * whenever a token named a key it did not hold, with the HTTP client's long default timeouts, so
 * while Keycloak did not answer, every such request held a worker thread for over 30 seconds (seen
 * in acceptance's KeycloakOutageIT). Here:
 * <ul>
 *   <li>every fetch is bounded ({@code connect 2 s, answer 5 s}) and at most one runs at a time;</li>
 *   <li>the keys are refreshed when older than {@code refreshEvery}; a token naming an unknown key
 *       forces a refresh at most once per {@code forcedEvery} (so a stream of made-up key ids cannot
 *       make the gateway call Keycloak for each), otherwise it is refused at once;</li>
 *   <li>when a fetch fails the keys held are kept (tokens already issued keep working while Keycloak
 *       is away) and the next attempt waits 5 seconds (so a realm that was not up yet when the gateway
 *       started is picked up soon, and one that is away costs at most one bounded attempt each 5 s).</li>
 * </ul>
 */
final class RealmKeys {

    private static final Logger LOG = Logger.getLogger(RealmKeys.class);

    private final String location;
    private final Duration refreshEvery;
    private final Duration forcedEvery;
    private final Duration answerTimeout;
    private final HttpClient http;

    private volatile Map<String, PublicKey> keys = Map.of();
    private volatile long fetchedAt = Long.MIN_VALUE / 2;
    private volatile long lastAttempt = Long.MIN_VALUE / 2;
    private volatile boolean lastFailed;

    /** After a failed fetch (the realm away, or not up yet when the gateway started), try again this soon. */
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);

    RealmKeys(String location, Duration refreshEvery, Duration forcedEvery, Duration connectTimeout, Duration answerTimeout) {
        this.location = location;
        this.refreshEvery = refreshEvery;
        this.forcedEvery = forcedEvery;
        this.answerTimeout = answerTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The key a token names ({@code kid}); a token without a key id may use the realm's only key.
     * Empty when the realm (as last fetched) has no such key.
     */
    Optional<PublicKey> key(String kid) {
        if (System.nanoTime() - fetchedAt > refreshEvery.toNanos() && mayAttempt()) {
            refresh();
        }
        PublicKey key = lookup(kid);
        if (key == null && mayAttempt()) {
            refresh();
            key = lookup(kid);
        }
        return Optional.ofNullable(key);
    }

    /** Read without the lock: while a fetch runs (it set {@code lastAttempt}), others do not queue behind it. */
    private boolean mayAttempt() {
        Duration wait = lastFailed ? RETRY_AFTER_FAILURE : forcedEvery;
        return System.nanoTime() - lastAttempt > wait.toNanos();
    }

    private PublicKey lookup(String kid) {
        Map<String, PublicKey> held = keys;
        if (kid == null) {
            return held.size() == 1 ? held.values().iterator().next() : null;
        }
        return held.get(kid);
    }

    /**
     * Fetches the keys. One fetch at a time, and callers that queued behind one return without
     * fetching again: the check is repeated under the lock.
     */
    synchronized void refresh() {
        if (!mayAttempt()) {
            return;
        }
        lastAttempt = System.nanoTime();
        try {
            keys = parse(read());
            fetchedAt = System.nanoTime();
            lastFailed = false;
        } catch (IOException | JoseException | RuntimeException e) {
            lastFailed = true;
            LOG.warnf("Cannot fetch the realm's keys from %s (%s); keeping the %d key(s) held, next attempt in %s at the"
                    + " earliest", location, e.toString(), keys.size(), RETRY_AFTER_FAILURE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String read() throws IOException, InterruptedException {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(location)).timeout(answerTimeout)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("HTTP " + r.statusCode());
            }
            return r.body();
        }
        if (location.startsWith("file:")) {
            return Files.readString(Path.of(URI.create(location)));
        }
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(location)) {
            if (in != null) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return Files.readString(Path.of(location));
    }

    /** Signing keys only: a realm also publishes encryption keys ({@code use: enc}). */
    static Map<String, PublicKey> parse(String jwks) throws JoseException {
        Map<String, PublicKey> out = new LinkedHashMap<>();
        for (JsonWebKey k : new JsonWebKeySet(jwks).getJsonWebKeys()) {
            if ("enc".equals(k.getUse()) || !(k instanceof PublicJsonWebKey pk) || pk.getPublicKey() == null) {
                continue;
            }
            out.put(k.getKeyId() == null ? "" : k.getKeyId(), pk.getPublicKey());
        }
        return Map.copyOf(out);
    }
}
