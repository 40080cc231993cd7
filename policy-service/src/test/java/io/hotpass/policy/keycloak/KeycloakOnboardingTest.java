package io.hotpass.policy.keycloak;

import static io.hotpass.policy.PolicyTestSupport.platformAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.representations.idm.GroupRepresentation;

/** Tenant onboarding against a real Keycloak (keycloak-quarkus-dist, started by {@link KeycloakServer}). */
@QuarkusTest
@QuarkusTestResource(value = KeycloakServer.class, restrictToAnnotatedClass = true)
class KeycloakOnboardingTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @Inject
    KeycloakOnboarding onboarding;

    /** A client-credentials token from Keycloak, or the HTTP status when refused. */
    HttpResponse<String> token(String clientId, String secret) throws Exception {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(URI.create(KeycloakServer.url + "/realms/hotpass/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    Keycloak admin() {
        return KeycloakBuilder.builder().serverUrl(KeycloakServer.url).realm("hotpass")
                .grantType(OAuth2Constants.CLIENT_CREDENTIALS).clientId("hotpass-policy-admin")
                .clientSecret(KeycloakServer.POLICY_ADMIN_SECRET).build();
    }

    @Test
    void anOnboardedTenantsSystemsGetTokensCarryingTheirTenant() throws Exception {
        String id = "kc-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(platformAdmin()).contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"displayName\":\"Keycloak Co\"}").post("/tenants")
                .then().statusCode(201).body("keycloakClient", equalTo("tenant-" + id));

        String tenantAdmin = TestTokens.token("admin-" + id, id, Set.of("tenant-admin"), Set.of());
        String secret = given().auth().oauth2(tenantAdmin).post("/tenants/" + id + "/client-secret").then()
                .statusCode(200).header("Cache-Control", "no-store").body("clientId", equalTo("tenant-" + id))
                .extract().path("clientSecret");

        HttpResponse<String> issued = token("tenant-" + id, secret);
        assertEquals(200, issued.statusCode(), issued.body());
        JsonNode claims = claims(JSON.readTree(issued.body()).get("access_token").asText());
        assertEquals(id, claims.path("tenant").asText(), claims.toString());
        assertTrue(claims.path("aud").toString().contains("hotpass-gateway"), claims.toString());
        assertTrue(claims.path("realm_access").path("roles").toString().contains("\"steward\""), claims.toString());
        assertTrue(claims.path("iss").asText().endsWith("/realms/hotpass"));

        // People join the tenant through its groups, whose attribute carries the tenant claim.
        try (Keycloak kc = admin()) {
            GroupRepresentation group = kc.realm("hotpass").getGroupByPath("/tenants/" + id);
            assertEquals(java.util.List.of(id), group.getAttributes().get("tenant"));
            assertEquals(4, kc.realm("hotpass").groups().group(group.getId()).getSubGroups(0, 10, true).size());
        }

        // Rotating the secret: the new one works, the old one does not.
        String rotated = given().auth().oauth2(platformAdmin()).post("/tenants/" + id + "/client-secret").then()
                .statusCode(200).extract().path("clientSecret");
        assertNotEquals(secret, rotated);
        assertEquals(401, token("tenant-" + id, secret).statusCode());
        assertEquals(200, token("tenant-" + id, rotated).statusCode());
    }

    @Test
    void onboardingIsIdempotentSoARetryAfterAPartialFailureFinishesTheJob() throws Exception {
        String id = "kc-" + UUID.randomUUID().toString().substring(0, 8);
        onboarding.onboard(id);
        try (Keycloak kc = admin()) {
            var realm = kc.realm("hotpass");
            // Simulate a failure halfway: the client exists but lost its tenant mapper and a role group.
            var client = realm.clients().get(realm.clients().findByClientId("tenant-" + id).get(0).getId());
            client.getProtocolMappers().getMappers().stream().filter(m -> m.getName().equals("tenant"))
                    .forEach(m -> client.getProtocolMappers().delete(m.getId()));
            GroupRepresentation group = realm.getGroupByPath("/tenants/" + id);
            realm.groups().group(group.getId()).getSubGroups(0, 10, true).stream()
                    .filter(g -> g.getName().equals("auditors")).forEach(g -> realm.groups().group(g.getId()).remove());

            onboarding.onboard(id);
            onboarding.onboard(id);

            assertEquals(1, realm.clients().findByClientId("tenant-" + id).size());
            assertEquals(1, client.getProtocolMappers().getMappers().stream().filter(m -> m.getName().equals("tenant")).count());
            var subgroups = realm.groups().group(group.getId()).getSubGroups(0, 10, true);
            assertEquals(4, subgroups.size());
            GroupRepresentation auditors = subgroups.stream().filter(g -> g.getName().equals("auditors")).findFirst().orElseThrow();
            assertTrue(realm.groups().group(auditors.getId()).roles().realmLevel().listAll().stream()
                    .anyMatch(r -> r.getName().equals("auditor")));
        }
    }

    @Test
    void onlyTheTenantsAdministratorsRotateItsSecret() {
        String id = "kc-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(platformAdmin()).contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"displayName\":\"X\"}").post("/tenants").then().statusCode(201);
        given().auth().oauth2(TestTokens.token("s-" + id, id, Set.of("steward"), Set.of()))
                .post("/tenants/" + id + "/client-secret").then().statusCode(403);
        given().auth().oauth2(TestTokens.token("other", "globex", Set.of("tenant-admin"), Set.of()))
                .post("/tenants/" + id + "/client-secret").then().statusCode(404).body("code", equalTo("tenant_not_found"));
    }
}
