package io.hotpass.gateway.token;

import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.auth.InternalToken;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mints the short-lived internal JWT that replaces the caller's credential on the way to a service.
 *
 * <p>An RS256 signature costs about a millisecond of CPU, which at the gateway's request rates is
 * most of its own work; so a token minted for a caller is handed out again for
 * {@code hotpass.gateway.signing.token-reuse} (60 s of its 5 min). Authentication and the policy
 * decision still happen on every request: reuse changes only which signed copy of the same
 * identity travels upstream. A new signing key (rotation) never reuses an old key's token.
 */
@ApplicationScoped
public class InternalTokenIssuer {

    /** More distinct callers than this within one reuse window: start the cache afresh. */
    static final int MAX_CACHED = 10_000;

    @Inject
    SigningKeys keys;

    @Inject
    SigningConfig config;

    private record Minted(String token, Instant reuseUntil) {
    }

    private record ReuseKey(String keyId, String subjectKind, Caller caller) {
    }

    private final ConcurrentHashMap<ReuseKey, Minted> recent = new ConcurrentHashMap<>();

    public String mint(Caller caller, String subjectKind) {
        Instant now = Instant.now();
        if (config.tokenReuse().isZero() || config.tokenReuse().isNegative()) {
            return sign(caller, subjectKind, now);
        }
        // Caller is a record of sets: equal callers are equal keys whatever the order of their roles.
        ReuseKey key = new ReuseKey(keys.keyId(), subjectKind, caller);
        Minted m = recent.get(key);
        if (m != null && now.isBefore(m.reuseUntil())) {
            return m.token();
        }
        if (recent.size() >= MAX_CACHED) {
            recent.clear();
        }
        String token = sign(caller, subjectKind, now);
        recent.put(key, new Minted(token, now.plus(config.tokenReuse())));
        return token;
    }

    private String sign(Caller caller, String subjectKind, Instant now) {
        var claims = Jwt.issuer(InternalToken.ISSUER)
                .audience(InternalToken.AUDIENCE)
                .subject(caller.subject())
                .claim(InternalToken.CLAIM_TENANT, caller.tenant())
                .groups(caller.roles())
                .claim(InternalToken.CLAIM_SUBJECT_KIND, subjectKind)
                .claim("jti", UUID.randomUUID().toString())
                .issuedAt(now)
                .expiresAt(now.plus(config.tokenTtl()));
        if (!caller.scopes().isEmpty()) {
            claims.claim(InternalToken.CLAIM_SCOPE, String.join(" ", caller.scopes()));
        }
        return claims.jws().keyId(keys.keyId()).sign(keys.privateKey());
    }
}
