package io.hotpass.ingest.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * FMEA FM-11, clock skew between the gateway and a service, as a service verifies the gateway's
 * internal tokens (SmallRye JWT, platform config: 5-minute tokens, 60 s leeway): the numbers the
 * runbook gives SREs. A token is minted "by a gateway" whose clock is off by the given seconds.
 */
@QuarkusTest
class ClockSkewTest {

    static String mintedByAGatewayAhead(long seconds) {
        Instant gatewayNow = Instant.now().plusSeconds(seconds);
        return TestTokens.sign(TestTokens.builder("user-skew", "skew", Set.of("tenant-admin"), Set.of())
                .issuedAt(gatewayNow).expiresAt(gatewayNow.plusSeconds(300)));
    }

    @Test
    void smallSkewEitherWayIsTolerated() {
        for (long skew : new long[] {-60, -1, 1, 60}) {
            given().auth().oauth2(mintedByAGatewayAhead(skew)).get("/datasets").then().statusCode(200);
        }
    }

    /**
     * A service whose clock runs ahead sees tokens age faster: accepted while its clock is short of
     * the token's expiry plus the 60 s leeway. The gateway reuses a caller's token for up to 60 s, so
     * a service up to about 4 minutes ahead keeps working; 7 minutes ahead, nothing does.
     */
    @Test
    void aServiceFarAheadOfTheGatewayRefusesItsTokens() {
        given().auth().oauth2(mintedByAGatewayAhead(-240)).get("/datasets").then().statusCode(200);
        given().auth().oauth2(mintedByAGatewayAhead(-420)).get("/datasets").then().statusCode(401)
                .contentType("application/problem+json").body("code", equalTo("unauthenticated"));
    }

    /**
     * Known leniency, pinned so that a change is noticed: `iat` in the future is not checked, so a
     * service behind the gateway accepts its tokens at any skew (and they live longer by the skew).
     * Only the gateway signs these tokens, so no third party gains from it; a future check belongs
     * in a custom JWTCallerPrincipalFactory (see docs/sre/runbooks/clock-skew.md).
     */
    @Test
    void aServiceBehindTheGatewayStillAcceptsItsTokens() {
        given().auth().oauth2(mintedByAGatewayAhead(600)).get("/datasets").then().statusCode(200);
    }
}
