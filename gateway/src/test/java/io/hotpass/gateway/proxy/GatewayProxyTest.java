package io.hotpass.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hotpass.gateway.token.SigningKeys;
import io.hotpass.platform.auth.InternalToken;
import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import jakarta.inject.Inject;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(UpstreamStubs.class)
class GatewayProxyTest {

    @Inject
    SigningKeys keys;

    @AfterEach
    void policyBack() {
        UpstreamStubs.POLICY_DOWN.set(false);
    }

    @Test
    void unknownRouteIs404FromTheGatewayAndNeverReachesAService() {
        int before = UpstreamStubs.UPSTREAM_CALLS.get();
        given().header("X-API-Key", UpstreamStubs.ADMIN_KEY).get("/api/v1/ingest/secret-admin")
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("not_found"));
        assertEquals(before, UpstreamStubs.UPSTREAM_CALLS.get());
    }

    @Test
    void wrongMethodIs405WithAllow() {
        given().header("X-API-Key", UpstreamStubs.ADMIN_KEY).delete("/api/v1/ingest/datasets")
                .then().statusCode(405).header("Allow", "GET, OPTIONS, POST").body("code", equalTo("method_not_allowed"));
    }

    @Test
    void missingOrInvalidCredentialIs401() {
        given().get("/api/v1/ingest/datasets").then().statusCode(401).body("code", equalTo("unauthenticated"));
        given().header("X-API-Key", "hp_nosuchkey0001_" + "Z".repeat(32)).get("/api/v1/ingest/datasets")
                .then().statusCode(401).body("code", equalTo("invalid_api_key"));
        given().auth().oauth2(TestTokens.expired("acme")).get("/api/v1/ingest/datasets").then().statusCode(401);
    }

    @Test
    void apiKeyIsReplacedByAnInternalTokenForTheCallersTenant() throws Exception {
        String upstreamAuth = given().header("Authorization", "ApiKey " + UpstreamStubs.ADMIN_KEY)
                .queryParam("limit", 5).get("/api/v1/ingest/datasets")
                .then().statusCode(200).header("X-Content-Type-Options", "nosniff")
                .body("path", equalTo("/datasets")).body("query", equalTo("limit=5")).body("apiKey", nullValue())
                .body("authorization", startsWith("Bearer ")).extract().path("authorization");
        JWTAuthContextInfo info = new JWTAuthContextInfo();
        info.setPublicKeyContent(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(keys.jwks()));
        info.setIssuedBy(InternalToken.ISSUER);
        info.setExpectedAudience(Set.of(InternalToken.AUDIENCE));
        JsonWebToken jwt = new DefaultJWTParser(info).parse(upstreamAuth.substring(7));
        assertEquals("acme", jwt.getClaim("tenant").toString());
        assertEquals("apikey:acmeadmin001", jwt.getSubject());
    }

    @Test
    void createdLocationIsRewrittenToThePublicPath() {
        given().header("X-API-Key", UpstreamStubs.ADMIN_KEY).contentType(ContentType.JSON).body("{\"name\":\"x\"}")
                .post("/api/v1/ingest/datasets").then().statusCode(201)
                .header("Location", "/api/v1/ingest/datasets/123").body("bodyBytes", equalTo(12));
    }

    @Test
    void anotherTenantViaXTenantIs403UnlessPlatformAdmin() {
        given().header("X-API-Key", UpstreamStubs.ADMIN_KEY).header("X-Tenant", "globex").get("/api/v1/ingest/datasets")
                .then().statusCode(403).body("code", equalTo("tenant_mismatch"));
        given().header("X-API-Key", UpstreamStubs.PLATFORM_KEY).header("X-Tenant", "globex").get("/api/v1/ingest/datasets")
                .then().statusCode(200);
    }

    @Test
    void deniedDecisionIs403WithReason() {
        given().header("X-API-Key", UpstreamStubs.VIEWER_KEY).get("/api/v1/ingest/datasets").then().statusCode(200);
        given().header("X-API-Key", UpstreamStubs.VIEWER_KEY).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/ingest/datasets").then().statusCode(403).body("code", equalTo("forbidden"))
                .body("reason", equalTo("no_matching_permission"));
    }

    @Test
    void policyServiceDownMeansDenyNotAllow() {
        UpstreamStubs.POLICY_DOWN.set(true);
        int before = UpstreamStubs.UPSTREAM_CALLS.get();
        given().header("X-API-Key", UpstreamStubs.ADMIN_KEY).get("/api/v1/ingest/datasets")
                .then().statusCode(503).body("code", equalTo("policy_unavailable")).header("Retry-After", "5");
        assertEquals(before, UpstreamStubs.UPSTREAM_CALLS.get());
    }

    @Test
    void oversizedBodyIs413BeforeItIsRead() throws Exception {
        // Announce 2 GiB and send none of it: the answer must come from the headers alone.
        int port = io.restassured.RestAssured.port;
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /api/v1/ingest/datasets HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-API-Key: " + UpstreamStubs.ADMIN_KEY + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2147483648\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String response = new String(s.getInputStream().readNBytes(2048), java.nio.charset.StandardCharsets.UTF_8);
            org.junit.jupiter.api.Assertions.assertTrue(response.startsWith("HTTP/1.1 413"), response);
            org.junit.jupiter.api.Assertions.assertTrue(response.contains("payload_too_large"), response);
        }
    }

    @Test
    void anUpstreamSilentPastTheRoutesTimeoutIs504() {
        // The stub answers /datasets/slow with 200 after 6 s; routes without their own timeout wait
        // 3 s in tests, so the answer can only be the gateway's.
        given().header("X-API-Key", UpstreamStubs.ADMIN_KEY).get("/api/v1/ingest/datasets/slow")
                .then().statusCode(504).contentType("application/problem+json").body("code", equalTo("upstream_timeout"))
                .body("detail", equalTo("ingest did not answer in time"));
    }

    @Test
    void upstreamDownIs502() {
        given().header("X-API-Key", UpstreamStubs.ADMIN_KEY).get("/api/v1/enrichment/registries")
                .then().statusCode(502).body("code", equalTo("upstream_unavailable"));
    }
}
