package io.hotpass.gateway.edge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.hotpass.gateway.proxy.UpstreamStubs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Every kind of gateway response carries the security headers; HSTS only when the request came over TLS. */
@QuarkusTest
@QuarkusTestResource(UpstreamStubs.class)
class SecurityHeadersTest {

    @Test
    void proxiedAnswersCarryThemAndLoseTheUpstreamsServerBanner() {
        given().header("X-API-Key", UpstreamStubs.ADMIN_KEY).get("/api/v1/ingest/datasets").then().statusCode(200)
                .header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "no-referrer")
                .header("X-Frame-Options", "DENY").header("Content-Security-Policy", SecurityHeaders.API_CSP)
                .header("Server", nullValue()).header("Strict-Transport-Security", nullValue());
    }

    @Test
    void theGatewaysOwnProblemsCarryThem() {
        given().get("/api/v1/nowhere").then().statusCode(404).header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", SecurityHeaders.API_CSP).header("Server", nullValue());
        given().get("/api/v1/ingest/datasets").then().statusCode(401).header("X-Frame-Options", "DENY");
    }

    @Test
    void theConsolesPagesGetAPolicyThatAllowsOnlyTheirOwnScripts() {
        given().get("/console/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", equalTo(SecurityHeaders.CONSOLE_CSP))
                .header("X-Content-Type-Options", "nosniff").header("X-Frame-Options", "DENY");
        given().get("/console/js/app.js").then().statusCode(200).header("Content-Security-Policy", SecurityHeaders.CONSOLE_CSP);
    }

    @Test
    void aClientCannotTalkTheGatewayIntoHstsOverPlainHttp() {
        // hotpass.gateway.trust-forwarded-proto is off unless a TLS-terminating proxy is in front.
        given().header("X-Forwarded-Proto", "https").get("/console/").then().statusCode(200)
                .header("Strict-Transport-Security", nullValue());
    }
}
