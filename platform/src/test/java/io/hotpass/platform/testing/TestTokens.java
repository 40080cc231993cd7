package io.hotpass.platform.testing;

import io.hotpass.platform.auth.InternalToken;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

/**
 * Mints internal JWTs exactly as the gateway does, signed with the test key whose JWKS is
 * {@code hotpass-test/jwks.json} (services' {@code %test} profile trusts it). Only for tests.
 */
public final class TestTokens {

    public static final String KEY_ID = "hotpass-test-1";
    private static final PrivateKey KEY = load("hotpass-test/private-key.pem");

    private TestTokens() {
    }

    /** A valid token for a tenant administrator. */
    public static String forTenant(String tenant) {
        return token("user-" + tenant, tenant, Set.of("tenant-admin"), Set.of());
    }

    public static String token(String subject, String tenant, Set<String> roles, Set<String> scopes) {
        return builder(subject, tenant, roles, scopes).jws().keyId(KEY_ID).sign(KEY);
    }

    /** Signs claims built with {@link #builder} (e.g. other times) as the gateway would. */
    public static String sign(JwtClaimsBuilder claims) {
        return claims.jws().keyId(KEY_ID).sign(KEY);
    }

    public static String expired(String tenant) {
        Instant past = Instant.now().minusSeconds(3600);
        return builder("user-" + tenant, tenant, Set.of("tenant-admin"), Set.of()).issuedAt(past.minusSeconds(300))
                .expiresAt(past).jws().keyId(KEY_ID).sign(KEY);
    }

    public static String wrongIssuer(String tenant) {
        return builder("user-" + tenant, tenant, Set.of("tenant-admin"), Set.of()).issuer("https://evil.example")
                .jws().keyId(KEY_ID).sign(KEY);
    }

    public static JwtClaimsBuilder builder(String subject, String tenant, Set<String> roles, Set<String> scopes) {
        Instant now = Instant.now();
        JwtClaimsBuilder b = Jwt.issuer(InternalToken.ISSUER).audience(InternalToken.AUDIENCE).subject(subject)
                .groups(roles).claim("jti", UUID.randomUUID().toString()).issuedAt(now).expiresAt(now.plusSeconds(300));
        if (tenant != null) {
            b.claim(InternalToken.CLAIM_TENANT, tenant);
        }
        if (!scopes.isEmpty()) {
            b.claim(InternalToken.CLAIM_SCOPE, String.join(" ", scopes));
        }
        return b;
    }

    public static PrivateKey privateKey() {
        return KEY;
    }

    private static PrivateKey load(String resource) {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing test key " + resource);
            }
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
