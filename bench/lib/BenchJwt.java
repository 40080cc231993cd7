// bench/lib/BenchJwt.java — keys and internal JWTs for benchmarks that talk to a service directly.
// The bench instance of a service is started with HOTPASS_GATEWAY_JWKS_URL pointing at the JWKS
// written here, so tokens minted with the matching private key are accepted as the gateway's.
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

public final class BenchJwt {

    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private BenchJwt() {
    }

    /** Writes {@code jwks.json} and {@code private-key.der} into {@code dir}. */
    public static void keys(Path dir) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        RSAPublicKey pub = (RSAPublicKey) kp.getPublic();
        String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"bench-1\",\"alg\":\"RS256\",\"use\":\"sig\",\"n\":\""
                + B64.encodeToString(unsigned(pub.getModulus())) + "\",\"e\":\""
                + B64.encodeToString(unsigned(pub.getPublicExponent())) + "\"}]}";
        Files.writeString(dir.resolve("jwks.json"), jwks);
        Files.write(dir.resolve("private-key.der"), kp.getPrivate().getEncoded());
    }

    /** An internal JWT as the gateway mints it, valid for two hours, signed with the key {@link #keys} wrote. */
    public static String token(Path dir, String subject, String tenant, String... groups) throws Exception {
        return tokenWithKid(dir, "bench-1", subject, tenant, groups);
    }

    /**
     * The same, naming key {@code kid}: for a service that trusts a gateway's JWKS (the gateway names
     * its key by thumbprint) while the bench holds the gateway's private key.
     */
    public static String tokenWithKid(Path dir, String kid, String subject, String tenant, String... groups) throws Exception {
        PrivateKey key = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(dir.resolve("private-key.der"))));
        long now = Instant.now().getEpochSecond();
        String header = B64.encodeToString(("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        String claims = B64.encodeToString(("{\"iss\":\"hotpass-gateway\",\"aud\":\"hotpass-internal\",\"sub\":\""
                + subject + "\",\"tenant\":\"" + tenant + "\",\"groups\":[\"" + String.join("\",\"", groups)
                + "\"],\"jti\":\"" + UUID.randomUUID() + "\",\"iat\":" + now + ",\"exp\":" + (now + 7200) + "}")
                .getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + B64.encodeToString(s.sign());
    }

    static byte[] unsigned(BigInteger i) {
        byte[] b = i.toByteArray();
        return b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }
}
