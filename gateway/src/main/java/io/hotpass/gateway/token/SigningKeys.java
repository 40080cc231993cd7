package io.hotpass.gateway.token;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The gateway's RSA signing key and the JWKS that services fetch to verify internal tokens. The key
 * id is a thumbprint of the public key, so a rotated key gets a new id and services, seeing an
 * unknown kid, refetch the JWKS. Retired public keys stay published for the rotation window.
 *
 * <p>Loaded at start-up: a gateway that cannot read (or, locally, create) its key must not start and
 * report ready, only to fail every request it cannot sign a token for (a missing Secret mount, a
 * read-only root file system without one — found by the image checks, ADR 0018).
 */
@Startup
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    @Inject
    SigningConfig config;

    private PrivateKey privateKey;
    private String keyId;
    private Map<String, Object> jwks;

    @PostConstruct
    void load() {
        try {
            Path path = config.keyLocation();
            if (!Files.exists(path)) {
                generate(path);
            }
            privateKey = readPrivate(Files.readString(path));
            RSAPrivateCrtKey crt = (RSAPrivateCrtKey) privateKey;
            RSAPublicKey current = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            keyId = thumbprint(current);
            List<Map<String, Object>> keys = new ArrayList<>();
            keys.add(jwk(current, keyId));
            for (String location : config.previousPublicKeyLocations().orElse(List.of())) {
                if (!location.isBlank()) {
                    RSAPublicKey old = readPublic(Files.readString(Path.of(location)));
                    keys.add(jwk(old, thumbprint(old)));
                }
            }
            jwks = Map.of("keys", List.copyOf(keys));
            LOG.infof("Internal token signing key %s loaded (%d key(s) published)", keyId, keys.size());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the gateway signing key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Invalid gateway signing key", e);
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public String keyId() {
        return keyId;
    }

    public Map<String, Object> jwks() {
        return jwks;
    }

    private static void generate(Path path) throws GeneralSecurityException, IOException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        Files.writeString(path, pem, StandardOpenOption.CREATE_NEW);
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // non-POSIX file system
        }
        LOG.warnf("Generated a new internal token signing key at %s (local use; mount a Secret in a cluster)", path);
    }

    private static PrivateKey readPrivate(String pem) throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(pem)));
    }

    private static RSAPublicKey readPublic(String pem) throws GeneralSecurityException {
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(pem)));
    }

    private static byte[] der(String pem) {
        return Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    }

    private static Map<String, Object> jwk(RSAPublicKey key, String kid) {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("kid", kid);
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        jwk.put("n", b64(key.getModulus()));
        jwk.put("e", b64(key.getPublicExponent()));
        return jwk;
    }

    /** RFC 7638 JWK thumbprint (SHA-256 over the required members in lexical order). */
    static String thumbprint(RSAPublicKey key) throws GeneralSecurityException {
        String canonical = "{\"e\":\"" + b64(key.getPublicExponent()) + "\",\"kty\":\"RSA\",\"n\":\"" + b64(key.getModulus()) + "\"}";
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static String b64(BigInteger v) {
        byte[] bytes = v.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            bytes = trimmed;
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
