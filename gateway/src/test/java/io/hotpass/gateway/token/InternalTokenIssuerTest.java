package io.hotpass.gateway.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.auth.InternalToken;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.inject.Inject;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

@QuarkusTest
class InternalTokenIssuerTest {

    @Inject
    InternalTokenIssuer issuer;

    @Inject
    SigningKeys keys;

    @Test
    void jwksIsPublicAndMintedTokensVerifyAgainstIt() throws Exception {
        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys", hasSize(1)).body("keys[0].kid", equalTo(keys.keyId()))
                .body("keys[0].alg", equalTo("RS256")).extract().asString();
        String token = issuer.mint(new Caller("key-123", "acme", Set.of("tenant-admin"), Set.of("datasets:write")), "api_key");

        JWTAuthContextInfo info = new JWTAuthContextInfo();
        info.setPublicKeyContent(jwks);
        info.setIssuedBy(InternalToken.ISSUER);
        info.setExpectedAudience(Set.of(InternalToken.AUDIENCE));
        JsonWebToken jwt = new DefaultJWTParser(info).parse(token);
        assertEquals("key-123", jwt.getSubject());
        assertEquals("acme", jwt.getClaim("tenant").toString());
        assertTrue(jwt.getGroups().contains("tenant-admin"));
        assertEquals("datasets:write", jwt.getClaim("scope").toString());
        assertTrue(jwt.getExpirationTime() - jwt.getIssuedAtTime() <= 300);

        // A token signed by another key does not verify against this JWKS.
        JWTAuthContextInfo other = new JWTAuthContextInfo();
        other.setPublicKeyContent(new String(getClass().getClassLoader()
                .getResourceAsStream("hotpass-test/jwks.json").readAllBytes()));
        other.setIssuedBy(InternalToken.ISSUER);
        assertThrows(ParseException.class, () -> new DefaultJWTParser(other).parse(token));
    }

    @Test
    void aTokenIsReusedOnlyForExactlyTheSameIdentity() {
        Caller alice = new Caller("user:alice", "acme", Set.of("steward", "viewer"), Set.of());
        String first = issuer.mint(alice, "user");
        // The same identity (roles in another order) within the reuse window: the same signed token.
        assertEquals(first, issuer.mint(new Caller("user:alice", "acme", Set.of("viewer", "steward"), Set.of()), "user"));
        // Anything else about the identity differs: a token of its own.
        assertNotEquals(first, issuer.mint(new Caller("user:alice", "acme", Set.of("steward"), Set.of()), "user"));
        assertNotEquals(first, issuer.mint(new Caller("user:alice", "globex", Set.of("steward", "viewer"), Set.of()), "user"));
        assertNotEquals(first, issuer.mint(new Caller("user:alice", "acme", Set.of("steward", "viewer"), Set.of("x")), "user"));
        assertNotEquals(first, issuer.mint(alice, "api_key"));
        assertNotEquals(first, issuer.mint(new Caller("user:bob", "acme", Set.of("steward", "viewer"), Set.of()), "user"));
    }
}
