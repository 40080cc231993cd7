package io.hotpass.policy.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API key as its holder sees it: {@code hp_<keyId>_<secret>}, with a 12-character id of
 * {@code [a-z0-9]} and a 32-character secret of {@code [A-Za-z0-9]}. Neither part contains
 * {@code _}, so splitting is unambiguous. Only {@link #secretSha256()} is ever stored.
 *
 * <p>SHA-256 rather than a slow password hash: the secret has 32·log2(62) ≈ 190 bits of entropy,
 * so no dictionary or brute force recovers it from its hash, and the gateway's verification path
 * stays a microsecond-scale hash plus one indexed lookup.
 */
public record PlaintextApiKey(String keyId, String secret) {

    public static final String PREFIX = "hp_";
    private static final Pattern FORMAT = Pattern.compile("hp_([a-z0-9]{12})_([A-Za-z0-9]{32})");
    private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    public static Optional<PlaintextApiKey> parse(String value) {
        if (value == null || value.length() != 48) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(value);
        return m.matches() ? Optional.of(new PlaintextApiKey(m.group(1), m.group(2))) : Optional.empty();
    }

    public static PlaintextApiKey generate(SecureRandom random) {
        return new PlaintextApiKey(draw(random, ID_ALPHABET, 12), draw(random, SECRET_ALPHABET, 32));
    }

    /** The full key, to be shown to its creator once. */
    public String value() {
        return PREFIX + keyId + "_" + secret;
    }

    public String secretSha256() {
        return sha256Hex(secret);
    }

    static String sha256Hex(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Never the secret: keys end up in logs through toString more often than anyone intends. */
    @Override
    public String toString() {
        return PREFIX + keyId + "_***";
    }

    private static String draw(SecureRandom random, char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[random.nextInt(alphabet.length)]; // nextInt(bound) is uniform: no modulo bias
        }
        return new String(out);
    }
}
