package io.hotpass.platform.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hotpass.platform.testing.TestTokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.util.KeyUtils;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache in front of SmallRye's real verifier, with real tokens signed by the test key: what it
 * remembers, and — the part that matters — what it must never answer from memory.
 */
class VerifiedTokenCacheTest {

    /** The real verifier, counting how often it is asked. */
    static final class CountingVerifier extends JWTCallerPrincipalFactory {
        final DefaultJWTCallerPrincipalFactory real = new DefaultJWTCallerPrincipalFactory();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public JWTCallerPrincipal parse(String token, JWTAuthContextInfo info) throws ParseException {
            calls.incrementAndGet();
            return real.parse(token, info);
        }
    }

    static final class MovableClock extends Clock {
        Instant now = Instant.now();

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    CountingVerifier verifier;
    MovableClock clock;
    SimpleMeterRegistry metrics;
    VerifiedTokenCache cache;
    JWTAuthContextInfo serviceSettings;
    DefaultJWTParser parser;

    @BeforeEach
    void setUp() throws IOException {
        verifier = new CountingVerifier();
        clock = new MovableClock();
        metrics = new SimpleMeterRegistry();
        cache = new VerifiedTokenCache(verifier, 3, Duration.ofMinutes(5), clock, metrics);
        serviceSettings = settings(InternalToken.ISSUER);
        parser = new DefaultJWTParser(serviceSettings, cache);
    }

    static JWTAuthContextInfo settings(String issuer) throws IOException {
        String pem;
        try (InputStream in = VerifiedTokenCacheTest.class.getClassLoader()
                .getResourceAsStream("hotpass-test/public-key.pem")) {
            pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        JWTAuthContextInfo info;
        try {
            info = new JWTAuthContextInfo(KeyUtils.decodePublicKey(pem, SignatureAlgorithm.RS256), issuer);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        info.setExpectedAudience(Set.of(InternalToken.AUDIENCE));
        return info;
    }

    private double count(String result) {
        return metrics.counter("hotpass_auth_token_cache_total", "result", result).count();
    }

    @Test
    void aVerifiedTokenIsAnsweredFromMemoryWithTheSameClaims() throws Exception {
        String token = TestTokens.forTenant("acme");
        JsonWebToken first = parser.parse(token);
        JsonWebToken again = parser.parse(token);
        assertEquals(1, verifier.calls.get(), "verified once");
        assertSame(first, again);
        assertEquals("acme", again.getClaim(InternalToken.CLAIM_TENANT).toString().replace("\"", ""));
        assertEquals(Set.of("tenant-admin"), again.getGroups());
        assertEquals(1.0, count("hit"));
        assertEquals(1.0, count("miss"));
    }

    @Test
    void aTokenThatFailedIsVerifiedEveryTime() {
        String bad = TestTokens.wrongIssuer("acme");
        assertThrows(ParseException.class, () -> parser.parse(bad));
        assertThrows(ParseException.class, () -> parser.parse(bad));
        assertEquals(2, verifier.calls.get());
        assertEquals(0, cache.size());
    }

    @Test
    void aTamperedTokenIsNeverAHit() throws Exception {
        String token = TestTokens.forTenant("acme");
        parser.parse(token);
        String[] parts = token.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"acme\"", "\"evil\"");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThrows(ParseException.class, () -> parser.parse(forged));
        assertEquals(2, verifier.calls.get());
    }

    @Test
    void aTokenVerifiedUnderOtherSettingsIsVerifiedAgainUnderThese() throws Exception {
        // Verified where the issuer "https://evil.example" is expected: must not count as verified here.
        String foreign = TestTokens.wrongIssuer("acme");
        new DefaultJWTParser(settings("https://evil.example"), cache).parse(foreign);
        assertEquals(1, cache.size());
        assertThrows(ParseException.class, () -> parser.parse(foreign));
        assertEquals(2, verifier.calls.get());
        // JWTParser.verify(token, key) verifies with a copy of the settings: never a hit either.
        String token = TestTokens.forTenant("acme");
        parser.parse(token);
        parser.verify(token, serviceSettings.getPublicVerificationKey());
        assertEquals(4, verifier.calls.get());
    }

    @Test
    void anEntryEndsWhenItsTokenExpires() throws Exception {
        Instant now = Instant.now();
        String token = TestTokens.sign(TestTokens.builder("user-acme", "acme", Set.of("tenant-admin"), Set.of())
                .issuedAt(now).expiresAt(now.plusSeconds(30)));
        parser.parse(token);
        clock.now = now.plusSeconds(29);
        parser.parse(token);
        assertEquals(1, verifier.calls.get());
        clock.now = now.plusSeconds(31); // past exp: not answered from memory (the verifier decides again)
        parser.parse(token); // still inside SmallRye's own clock-skew leeway, so it verifies
        assertEquals(2, verifier.calls.get());
    }

    @Test
    void anEntryEndsAtMaxAgeEvenIfTheTokenLivesLonger() throws Exception {
        cache = new VerifiedTokenCache(verifier, 3, Duration.ofSeconds(10), clock, metrics);
        parser = new DefaultJWTParser(serviceSettings, cache);
        String token = TestTokens.forTenant("acme"); // lives 5 minutes
        parser.parse(token);
        clock.now = clock.now.plusSeconds(11);
        parser.parse(token);
        assertEquals(2, verifier.calls.get());
    }

    @Test
    void fullMemorySweepsExpiredEntriesAndOtherwiseVerifiesWithoutRemembering() throws Exception {
        for (int i = 0; i < 3; i++) {
            parser.parse(TestTokens.forTenant("t" + i));
        }
        assertEquals(3, cache.size());
        Instant now = Instant.now();
        String fourth = TestTokens.sign(TestTokens.builder("user-t3", "t3", Set.of("tenant-admin"), Set.of())
                .issuedAt(now).expiresAt(now.plusSeconds(600))); // outlives the other three
        parser.parse(fourth);
        parser.parse(fourth);
        assertEquals(3, cache.size(), "bounded");
        assertEquals(5, verifier.calls.get(), "the fourth was verified both times");
        clock.now = clock.now.plusSeconds(301); // all three expired: the next new token sweeps them
        parser.parse(fourth);
        assertEquals(1, cache.size());
    }

    @Test
    void zeroEntriesTurnsItOff() throws Exception {
        cache = new VerifiedTokenCache(verifier, 0, Duration.ofMinutes(5), clock, null);
        parser = new DefaultJWTParser(serviceSettings, cache);
        String token = TestTokens.forTenant("acme");
        parser.parse(token);
        parser.parse(token);
        assertEquals(2, verifier.calls.get());
        assertEquals(0, cache.size());
    }
}
