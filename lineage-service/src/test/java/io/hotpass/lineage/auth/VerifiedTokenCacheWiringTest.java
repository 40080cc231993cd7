package io.hotpass.lineage.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.hotpass.platform.auth.VerifiedTokenCache;
import io.hotpass.platform.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The platform's verified-token cache is what this service verifies internal JWTs with (it
 * replaces SmallRye's factory), on real requests: a token is verified once and then answered from
 * memory, a token of the wrong issuer is refused every time.
 */
@QuarkusTest
class VerifiedTokenCacheWiringTest {

    @Inject
    JWTCallerPrincipalFactory factory;

    @Inject
    MeterRegistry metrics;

    double count(String result) {
        var c = metrics.find("hotpass_auth_token_cache_total").tag("result", result).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void theServiceVerifiesEachTokenOnceAndRefusesBadOnesEveryTime() {
        assertInstanceOf(VerifiedTokenCache.class, factory);
        String tenant = "cache-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestTokens.forTenant(tenant);
        double hits = count("hit");
        double misses = count("miss");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).get("/api/v1/namespaces").then().statusCode(200);
        }
        assertEquals(misses + 1, count("miss"), "verified once");
        assertEquals(hits + 2, count("hit"), "then remembered");

        String wrong = TestTokens.wrongIssuer(tenant);
        given().auth().oauth2(wrong).get("/api/v1/namespaces").then().statusCode(401);
        given().auth().oauth2(wrong).get("/api/v1/namespaces").then().statusCode(401);
        assertEquals(misses + 3, count("miss"), "a refused token is verified again each time");
        given().auth().oauth2(TestTokens.expired(tenant)).get("/api/v1/namespaces").then().statusCode(401);
    }
}
