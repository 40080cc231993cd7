package io.hotpass.gateway.token;

import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.auth.InternalToken;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;

/** Mints the short-lived internal JWT that replaces the caller's credential on the way to a service. */
@ApplicationScoped
public class InternalTokenIssuer {

    @Inject
    SigningKeys keys;

    @Inject
    SigningConfig config;

    public String mint(Caller caller, String subjectKind) {
        Instant now = Instant.now();
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
