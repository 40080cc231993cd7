package io.hotpass.gateway.edge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;

import io.hotpass.gateway.proxy.UpstreamStubs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behind a TLS-terminating ingress that sets X-Forwarded-Proto, browsers are told to stay on HTTPS. */
@QuarkusTest
@QuarkusTestResource(UpstreamStubs.class)
@TestProfile(SecurityHeadersBehindTlsProxyTest.BehindTlsProxy.class)
class SecurityHeadersBehindTlsProxyTest {

    public static class BehindTlsProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hotpass.gateway.trust-forwarded-proto", "true");
        }
    }

    @Test
    void httpsForwardedByTheProxyGetsHsts() {
        given().header("X-Forwarded-Proto", "https").get("/console/").then().statusCode(200)
                .header("Strict-Transport-Security", SecurityHeaders.HSTS);
        given().header("X-Forwarded-Proto", "https").get("/api/v1/nowhere").then().statusCode(404)
                .header("Strict-Transport-Security", SecurityHeaders.HSTS);
    }

    @Test
    void plainHttpThroughTheProxyDoesNot() {
        given().header("X-Forwarded-Proto", "http").get("/console/").then().statusCode(200)
                .header("Strict-Transport-Security", nullValue());
    }
}
