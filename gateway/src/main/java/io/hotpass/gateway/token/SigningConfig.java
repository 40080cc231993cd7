package io.hotpass.gateway.token;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code hotpass.gateway.signing.*}: the key that signs internal JWTs and the keys still published. */
@ConfigMapping(prefix = "hotpass.gateway.signing")
public interface SigningConfig {

    /** PKCS#8 PEM private key; generated (RSA 2048) at this path when missing. */
    Path keyLocation();

    /** Lifetime of a minted internal token. */
    @WithDefault("PT5M")
    Duration tokenTtl();

    /**
     * How long a minted token is handed out again for the same caller (subject, tenant, roles,
     * scopes and signing key all equal) instead of signing a new one; every request is still
     * authenticated and decided. A service therefore always gets a token with at least
     * {@code token-ttl - token-reuse} to live. {@code PT0S} signs one per request.
     */
    @WithDefault("PT60S")
    Duration tokenReuse();

    /**
     * Public keys (PEM) of retired signing keys that stay in the JWKS until every token they signed
     * has expired: the rotation window.
     */
    Optional<List<String>> previousPublicKeyLocations();
}
