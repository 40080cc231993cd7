package io.hotpass.acceptance;

import io.smallrye.jwt.build.Jwt;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/** Tokens an attacker could make: right shape and issuer, wrong key, no signature, expired. */
final class Tokens {

    private static final PrivateKey ATTACKER_KEY;

    static {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            ATTACKER_KEY = g.generateKeyPair().getPrivate();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Tokens() {
    }

    static String forgedInternal(String tenant) {
        return Jwt.issuer("hotpass-gateway").audience("hotpass-internal").subject("attacker").claim("tenant", tenant)
                .groups(Set.of("platform-admin")).expiresAt(Instant.now().plusSeconds(300)).jws().keyId("guess").sign(ATTACKER_KEY);
    }

    /** Looks like the realm's token, but signed with a key the realm never published (kid unknown). */
    static String unknownKeycloakKey(String issuer, String tenant) {
        return Jwt.issuer(issuer).subject("attacker").claim("tenant", tenant).expiresAt(Instant.now().plusSeconds(300))
                .jws().keyId("not-a-realm-key").sign(ATTACKER_KEY);
    }

    static String expiredInternal(String tenant) {
        return Jwt.issuer("hotpass-gateway").audience("hotpass-internal").subject("attacker").claim("tenant", tenant)
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600)).jws().sign(ATTACKER_KEY);
    }

    static String algNone(String tenant) {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = b64("{\"iss\":\"hotpass-gateway\",\"aud\":\"hotpass-internal\",\"sub\":\"attacker\",\"tenant\":\""
                + tenant + "\",\"groups\":[\"platform-admin\"],\"exp\":" + (Instant.now().getEpochSecond() + 300) + "}");
        return header + "." + payload + ".";
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
