package io.hotpass.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.platform.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Keycloak bearer tokens, the circuit breaker, CORS, trace context and the audit trail. */
@QuarkusTest
@QuarkusTestResource(UpstreamStubs.class)
class GatewayEdgeTest {

    static final String ISSUER = "https://keycloak.test/realms/hotpass";

    @AfterEach
    void reset() {
        UpstreamStubs.CONTRACTS_FAILING.set(false);
    }

    static PrivateKey realmKey() throws Exception {
        String pem = new String(GatewayEdgeTest.class.getClassLoader().getResourceAsStream("oidc-test/private-key.pem")
                .readAllBytes(), StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    static io.smallrye.jwt.build.JwtClaimsBuilder keycloakClaims() {
        return Jwt.issuer(ISSUER).audience("hotpass-gateway").subject("u-123").claim("tenant", "acme")
                .claim("realm_access", Map.of("roles", List.of("tenant-admin"))).issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(300));
    }

    @Test
    void keycloakTokenIsAcceptedWithTenantAndRolesFromClaims() throws Exception {
        String token = keycloakClaims().jws().keyId("keycloak-test-1").sign(realmKey());
        given().auth().oauth2(token).get("/api/v1/ingest/datasets").then().statusCode(200)
                .body("path", equalTo("/datasets"));
    }

    @Test
    void badKeycloakTokensAre401() throws Exception {
        PrivateKey key = realmKey();
        String expired = keycloakClaims().issuedAt(Instant.now().minusSeconds(900)).expiresAt(Instant.now().minusSeconds(60))
                .jws().keyId("keycloak-test-1").sign(key);
        String wrongAudience = keycloakClaims().audience("someone-else").jws().keyId("keycloak-test-1").sign(key);
        String noTenant = Jwt.issuer(ISSUER).audience("hotpass-gateway").subject("u").expiresAt(Instant.now().plusSeconds(60))
                .jws().keyId("keycloak-test-1").sign(key);
        String notBefore = keycloakClaims().claim("nbf", Instant.now().plusSeconds(600).getEpochSecond())
                .jws().keyId("keycloak-test-1").sign(key);
        String otherIssuer = Jwt.issuer("https://evil.test/realms/hotpass").audience("hotpass-gateway").subject("u")
                .claim("tenant", "acme").expiresAt(Instant.now().plusSeconds(60)).jws().sign(key);
        String valid = keycloakClaims().jws().keyId("keycloak-test-1").sign(key);
        String[] parts = valid.split("\\.");
        String algNone = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        // HMAC "signed" with the realm's public key as the secret: the classic key-confusion attack.
        byte[] publicKeyBytes = GatewayEdgeTest.class.getClassLoader().getResourceAsStream("oidc-test/public-key.pem").readAllBytes();
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(publicKeyBytes, "HmacSHA256"));
        String hsHeader = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"keycloak-test-1\"}");
        String hsToken = hsHeader + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal((hsHeader + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)));
        String forged = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 6) + "AAAAAA";
        for (String t : List.of(expired, wrongAudience, noTenant, notBefore, otherIssuer, algNone, hsToken, forged)) {
            given().auth().oauth2(t).get("/api/v1/ingest/datasets").then().statusCode(401)
                    .body("code", equalTo("unauthenticated"));
        }
    }

    @Test
    void circuitOpensAfterFailuresAndClosesWhenTheUpstreamRecovers() {
        UpstreamStubs.CONTRACTS_FAILING.set(true);
        for (int i = 0; i < 5; i++) {
            given().header("X-API-Key", UpstreamStubs.ADMIN_KEY).get("/api/v1/contracts/contracts").then().statusCode(503);
        }
        int calls = UpstreamStubs.UPSTREAM_CALLS.get();
        given().header("X-API-Key", UpstreamStubs.ADMIN_KEY).get("/api/v1/contracts/contracts")
                .then().statusCode(503).body("code", equalTo("upstream_circuit_open")).header("Retry-After", matchesPattern("\\d+"));
        assertEquals(calls, UpstreamStubs.UPSTREAM_CALLS.get(), "an open circuit does not call the upstream");
        UpstreamStubs.CONTRACTS_FAILING.set(false);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                given().header("X-API-Key", UpstreamStubs.ADMIN_KEY).get("/api/v1/contracts/contracts").statusCode() == 200);
    }

    @Test
    void corsIsDeniedUnlessTheOriginIsConfigured() {
        given().header("Origin", "https://evil.test").header("Access-Control-Request-Method", "GET")
                .options("/api/v1/ingest/datasets").then().statusCode(403).body("code", equalTo("cors_origin_denied"))
                .header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://console.test").header("Access-Control-Request-Method", "POST")
                .options("/api/v1/ingest/datasets").then().statusCode(204)
                .header("Access-Control-Allow-Origin", "https://console.test").header("Vary", containsString("Origin"))
                .header("Access-Control-Allow-Headers", containsString("Idempotency-Key"));
        given().header("Origin", "https://console.test").header("X-API-Key", UpstreamStubs.ADMIN_KEY)
                .get("/api/v1/ingest/datasets").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://console.test");
        given().header("Origin", "https://evil.test").header("X-API-Key", UpstreamStubs.ADMIN_KEY)
                .get("/api/v1/ingest/datasets").then().statusCode(200).header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void traceparentIsContinuedUpstreamAndEchoed() {
        String incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String echoed = given().header("traceparent", incoming).header("X-API-Key", UpstreamStubs.ADMIN_KEY)
                .get("/api/v1/ingest/datasets").then().statusCode(200).extract().header("traceparent");
        assertTrue(echoed.startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-"), echoed);
        assertTrue(UpstreamStubs.TRACEPARENTS.contains(echoed), "the upstream saw the same trace");
        given().get("/api/v1/nowhere").then().statusCode(404).header("traceparent", matchesPattern("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
    }

    @jakarta.inject.Inject
    io.hotpass.gateway.auth.PolicyClient policyClient;

    @Test
    void aNewPolicyVersionIsNoticedWithinSeconds() {
        await().atMost(Duration.ofSeconds(10)).until(() -> policyClient.knownPolicyVersion() == UpstreamStubs.POLICY_VERSION.get());
        long next = UpstreamStubs.POLICY_VERSION.incrementAndGet();
        await().atMost(Duration.ofSeconds(5)).until(() -> policyClient.knownPolicyVersion() == next);
    }

    @Test
    void headAndOptionsAreAnsweredForRoutes() {
        given().header("X-API-Key", UpstreamStubs.ADMIN_KEY).head("/api/v1/ingest/datasets").then().statusCode(200);
        given().options("/api/v1/ingest/datasets").then().statusCode(204).header("Allow", "GET, OPTIONS, POST");
    }

    @Test
    void mutatingRequestsAndDenialsAreAuditedWithoutCredentials() throws Exception {
        given().header("X-API-Key", UpstreamStubs.ADMIN_KEY).contentType(ContentType.JSON).body("{\"name\":\"audited\"}")
                .post("/api/v1/contracts/contracts").then().statusCode(201);
        given().header("X-API-Key", UpstreamStubs.VIEWER_KEY).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/ingest/datasets").then().statusCode(403);
        await().atMost(Duration.ofSeconds(10)).until(() -> auditPayloads().size() >= 2);
        List<String> payloads = auditPayloads();
        assertTrue(payloads.stream().anyMatch(p -> p.contains("contracts:contract:create") && p.contains("\"decision\": \"allowed\"")), payloads.toString());
        assertTrue(payloads.stream().anyMatch(p -> p.contains("ingest:dataset:create") && p.contains("\"decision\": \"denied\"")), payloads.toString());
        // The relay delivers them to policy-service's audit endpoint.
        await().atMost(Duration.ofSeconds(15)).until(() -> UpstreamStubs.AUDIT_DELIVERIES.stream()
                .anyMatch(d -> d.contains("ingest:dataset:create")));
        for (String p : payloads) {
            assertFalse(p.contains(UpstreamStubs.ADMIN_KEY) || p.contains(UpstreamStubs.VIEWER_KEY) || p.contains("Bearer"), p);
        }
    }

    @Test
    void aChangeTheGatewayCouldNotDeliverIsAuditedAsFailed() throws Exception {
        // Enrichment is down in these tests: the POST never reaches a service, and still leaves a trace.
        given().header("X-API-Key", UpstreamStubs.ADMIN_KEY).contentType(ContentType.JSON).body("{\"name\":\"reg\"}")
                .post("/api/v1/enrichment/registries").then().statusCode(502);
        await().atMost(Duration.ofSeconds(10)).until(() -> auditPayloads().stream()
                .anyMatch(p -> p.contains("enrichment:registry:create")));
        String entry = auditPayloads().stream().filter(p -> p.contains("enrichment:registry:create")).findFirst().orElseThrow();
        assertTrue(entry.contains("\"decision\": \"failed\""), entry);
        assertTrue(entry.contains("\"status\": 502"), entry);
        assertTrue(entry.contains("\"reason\": \"upstream_unavailable\""), entry);
        assertTrue(entry.contains("\"actor\": \"apikey:acmeadmin001\""), entry);
        assertFalse(entry.contains(UpstreamStubs.ADMIN_KEY), entry);
    }

    private static List<String> auditPayloads() throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (Connection c = TestDatabase.asOwner("hotpass_gateway_test");
                PreparedStatement ps = c.prepareStatement("select payload::text from outbox_event where destination = 'audit'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
