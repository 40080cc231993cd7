package io.hotpass.gateway.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import io.hotpass.gateway.proxy.UpstreamStubs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console's Keycloak sign-in against a stand-in token endpoint that checks what Keycloak
 * checks (code, redirect URI, client, and the PKCE verifier against the challenge the browser was
 * sent with) and signs the access token with the test realm's key. Keycloak's login page itself
 * is not exercised: the test plays the browser coming back with a code.
 */
@QuarkusTest
@QuarkusTestResource(UpstreamStubs.class)
class OidcSignInTest {

    static final Map<String, String> CHALLENGES = new ConcurrentHashMap<>();
    static final List<Map<String, String>> EXCHANGES = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void reset() {
        UpstreamStubs.KEYCLOAK = null;
        CHALLENGES.clear();
        EXCHANGES.clear();
    }

    static PrivateKey realmKey() throws Exception {
        String pem = new String(OidcSignInTest.class.getClassLoader().getResourceAsStream("oidc-test/private-key.pem")
                .readAllBytes(), StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static void keycloak() throws Exception {
        PrivateKey key = realmKey();
        UpstreamStubs.KEYCLOAK = (HttpExchange ex) -> {
            Map<String, String> form = query(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            EXCHANGES.add(form);
            String challenge = CHALLENGES.get(form.get("code"));
            boolean ok = "authorization_code".equals(form.get("grant_type")) && challenge != null
                    && challenge.equals(OidcLogin.challenge(form.get("code_verifier")))
                    && "hotpass-gateway".equals(form.get("client_id"))
                    && form.get("redirect_uri").endsWith("/console/oidc/callback");
            String body;
            int status;
            if (ok) {
                String token = Jwt.issuer("https://keycloak.test/realms/hotpass").audience("hotpass-gateway").subject("u-42")
                        .claim("tenant", "acme").claim("realm_access", Map.of("roles", List.of("tenant-admin")))
                        .claim("preferred_username", "alice").claim("name", "Alice Ndlovu")
                        .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(300)).jws().keyId("keycloak-test-1").sign(key);
                body = "{\"access_token\":\"" + token + "\",\"refresh_token\":\"refresh-1\",\"refresh_expires_in\":1800,\"token_type\":\"Bearer\"}";
                status = 200;
            } else {
                body = "{\"error\":\"invalid_grant\"}";
                status = 400;
            }
            byte[] out = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        };
    }

    /** Starts a sign-in like the browser does and plays Keycloak's login page: a code bound to the challenge. */
    static Map<String, String> startSignIn(String returnTo, String code) {
        Response r = given().redirects().follow(false).queryParam("returnTo", returnTo).get("/console/oidc/login");
        r.then().statusCode(302);
        URI location = URI.create(r.header("Location"));
        assertEquals("/realms/hotpass/protocol/openid-connect/auth", location.getPath());
        Map<String, String> q = query(location.getRawQuery());
        CHALLENGES.put(code, q.get("code_challenge"));
        return q;
    }

    @Test
    void theGatewayExchangesTheCodeWithPkceAndGivesTheBrowserOnlyACookie() throws Exception {
        keycloak();
        Map<String, String> q = startSignIn("#/plans", "code-1");
        assertEquals("code", q.get("response_type"));
        assertEquals("S256", q.get("code_challenge_method"));
        assertEquals("hotpass-gateway", q.get("client_id"));
        assertEquals("http://localhost:" + RestAssured.port + "/console/oidc/callback", q.get("redirect_uri"));
        Response cb = given().redirects().follow(false).queryParam("code", "code-1").queryParam("state", q.get("state"))
                .get("/console/oidc/callback");
        cb.then().statusCode(302).header("Location", "/console/#/plans");
        String setCookie = cb.header("Set-Cookie");
        assertTrue(setCookie.toLowerCase().contains("; httponly") && setCookie.contains("SameSite=Strict"), setCookie);
        assertTrue(!cb.asString().contains("refresh-1") && !setCookie.contains("eyJ"), "no Keycloak token reaches the browser");
        String id = cb.getCookie(ConsoleSessionGuard.COOKIE);
        given().cookie(ConsoleSessionGuard.COOKIE, id).get("/console/session").then().statusCode(200)
                .body("authMethod", equalTo("oidc")).body("subject", equalTo("user:u-42")).body("tenant", equalTo("acme"))
                .body("displayName", equalTo("Alice Ndlovu"));
        given().cookie(ConsoleSessionGuard.COOKIE, id).get("/api/v1/ingest/datasets").then().statusCode(200);
        assertEquals(1, EXCHANGES.size());

        // A state is good once.
        given().redirects().follow(false).queryParam("code", "code-1").queryParam("state", q.get("state"))
                .get("/console/oidc/callback").then().statusCode(400).body("code", equalTo("oidc_sign_in_failed"));
    }

    @Test
    void aCodeKeycloakRefusesOrAnErrorSignsNoOneIn() throws Exception {
        keycloak();
        Map<String, String> q = startSignIn("https://evil.example/", "code-2");
        CHALLENGES.put("code-2", "not-the-challenge");
        given().redirects().follow(false).queryParam("code", "code-2").queryParam("state", q.get("state"))
                .get("/console/oidc/callback").then().statusCode(400).body("code", equalTo("oidc_sign_in_failed"))
                .header("Set-Cookie", (String) null);
        given().redirects().follow(false).queryParam("error", "access_denied").queryParam("state", "x")
                .get("/console/oidc/callback").then().statusCode(400).body("code", equalTo("oidc_sign_in_failed"));
        given().redirects().follow(false).queryParam("code", "code-3").queryParam("state", "never-issued")
                .get("/console/oidc/callback").then().statusCode(400).body("code", equalTo("oidc_sign_in_failed"));
    }

    @Test
    void onlyAConsolePageIsAPlaceToReturnTo() {
        assertEquals("#/datasets", OidcLogin.safeReturn("https://evil.example/"));
        assertEquals("#/datasets", OidcLogin.safeReturn("//evil.example"));
        assertEquals("#/lineage/orgs", OidcLogin.safeReturn("#/lineage/orgs"));
    }
}
