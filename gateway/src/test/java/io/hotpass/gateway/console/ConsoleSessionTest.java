package io.hotpass.gateway.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.gateway.proxy.UpstreamStubs;
import io.hotpass.platform.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's session rules at the gateway: an API-key sign-in gives an opaque HttpOnly,
 * SameSite=Strict cookie; the cookie authenticates reads, changes need the CSRF token, other sites
 * are refused, and ended sessions (signed out, idle, expired) are refused everywhere.
 */
@QuarkusTest
@QuarkusTestResource(UpstreamStubs.class)
class ConsoleSessionTest {

    static final String DB = "hotpass_gateway_test";

    record Session(String id, String csrf, String setCookie) {
    }

    static Session signIn() {
        Response r = given().contentType(ContentType.JSON).body(Map.of("apiKey", UpstreamStubs.ADMIN_KEY))
                .post("/console/session");
        r.then().statusCode(201).body("tenant", equalTo("acme")).body("subject", equalTo("apikey:acmeadmin001"));
        return new Session(r.getCookie(ConsoleSessionGuard.COOKIE), r.path("csrfToken"), r.header("Set-Cookie"));
    }

    static String ownOrigin() {
        return "http://localhost:" + RestAssured.port;
    }

    @Test
    void signInGivesAnOpaqueHttpOnlyStrictCookieAndNoCredential() {
        Response r = given().contentType(ContentType.JSON).body(Map.of("apiKey", UpstreamStubs.ADMIN_KEY))
                .post("/console/session");
        r.then().statusCode(201).header("Cache-Control", "no-store");
        String setCookie = r.header("Set-Cookie");
        assertTrue(setCookie.startsWith(ConsoleSessionGuard.COOKIE + "="), setCookie);
        assertTrue(setCookie.toLowerCase().contains("; httponly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertTrue(setCookie.contains("Path=/"), setCookie);
        assertFalse(setCookie.toLowerCase().contains("; secure"), "plain http: not Secure, or the browser would drop it: " + setCookie);
        String id = r.getCookie(ConsoleSessionGuard.COOKIE);
        assertTrue(id.length() >= 43, "256 random bits");
        assertFalse(r.asString().contains(UpstreamStubs.ADMIN_KEY), "the API key never comes back");
        assertFalse(r.asString().contains(id), "the session id is only in the cookie");
        assertNotNull(r.path("csrfToken"));

        String viaHttps = given().contentType(ContentType.JSON).header("X-Forwarded-Proto", "https")
                .body(Map.of("apiKey", UpstreamStubs.ADMIN_KEY)).post("/console/session")
                .then().statusCode(201).extract().header("Set-Cookie");
        assertTrue(viaHttps.toLowerCase().contains("; secure"), viaHttps);
    }

    @Test
    void sessionsAreStoredByHashInTheGatewaysDatabase() throws Exception {
        Session s = signIn();
        try (Connection c = TestDatabase.asOwner(DB);
                PreparedStatement ps = c.prepareStatement("select count(*) filter (where id_hash = ?), count(*) filter (where id_hash = ?)"
                        + " from console_session")) {
            ps.setString(1, ConsoleSessionStore.hash(s.id()));
            ps.setString(2, s.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(1, rs.getInt(1), "one row, keyed by the id's hash");
                assertEquals(0, rs.getInt(2), "the raw id is not stored");
            }
        }
    }

    @Test
    void aWrongOrMalformedKeySignsNoOneIn() {
        given().contentType(ContentType.JSON).body(Map.of("apiKey", "hp_nosuchkey001_ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"))
                .post("/console/session").then().statusCode(401).body("code", equalTo("invalid_api_key"))
                .header("Set-Cookie", (String) null);
        given().contentType(ContentType.JSON).body(Map.of("apiKey", "nope")).post("/console/session")
                .then().statusCode(401).body("code", equalTo("invalid_api_key"));
        given().contentType(ContentType.JSON).body(Map.of()).post("/console/session")
                .then().statusCode(400).body("code", equalTo("validation_failed"));
        given().contentType("text/plain").body(UpstreamStubs.ADMIN_KEY).post("/console/session")
                .then().statusCode(415);
    }

    @Test
    void theCookieAuthenticatesReadsAndTheServiceGetsAnInternalToken() {
        Session s = signIn();
        given().cookie(ConsoleSessionGuard.COOKIE, s.id()).get("/api/v1/ingest/datasets")
                .then().statusCode(200).body("authorization", startsWith("Bearer ")).body("apiKey", equalTo(null));
        given().cookie(ConsoleSessionGuard.COOKIE, s.id()).get("/console/session")
                .then().statusCode(200).body("csrfToken", equalTo(s.csrf())).body("roles", equalTo(List.of("tenant-admin")));
    }

    @Test
    void aChangeWithTheCookieButWithoutTheCsrfTokenIsRefused() {
        Session s = signIn();
        given().cookie(ConsoleSessionGuard.COOKIE, s.id()).contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/api/v1/ingest/datasets").then().statusCode(403).body("code", equalTo("csrf_token_invalid"));
        given().cookie(ConsoleSessionGuard.COOKIE, s.id()).header(ConsoleSessionGuard.CSRF_HEADER, s.csrf() + "x")
                .contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/api/v1/ingest/datasets").then().statusCode(403).body("code", equalTo("csrf_token_invalid"));
        // Another session's token is no good either.
        Session other = signIn();
        given().cookie(ConsoleSessionGuard.COOKIE, s.id()).header(ConsoleSessionGuard.CSRF_HEADER, other.csrf())
                .contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/api/v1/ingest/datasets").then().statusCode(403).body("code", equalTo("csrf_token_invalid"));
        given().cookie(ConsoleSessionGuard.COOKIE, s.id()).header(ConsoleSessionGuard.CSRF_HEADER, s.csrf())
                .header("Origin", ownOrigin()).contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/api/v1/ingest/datasets").then().statusCode(201).body("method", equalTo("POST"));
    }

    @Test
    void aCrossSiteRequestIsRefusedEvenWithTheToken() {
        Session s = signIn();
        given().cookie(ConsoleSessionGuard.COOKIE, s.id()).header(ConsoleSessionGuard.CSRF_HEADER, s.csrf())
                .header("Origin", "https://evil.example").contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/api/v1/ingest/datasets").then().statusCode(403).body("code", equalTo("cross_site_request"));
        given().cookie(ConsoleSessionGuard.COOKIE, s.id()).header("Sec-Fetch-Site", "cross-site")
                .get("/api/v1/ingest/datasets").then().statusCode(403).body("code", equalTo("cross_site_request"));
        given().cookie(ConsoleSessionGuard.COOKIE, s.id()).header("Origin", "null")
                .get("/api/v1/ingest/datasets").then().statusCode(403).body("code", equalTo("cross_site_request"));
        // Signing in from another site (login CSRF) is refused too.
        given().contentType(ContentType.JSON).header("Origin", "https://evil.example")
                .body(Map.of("apiKey", UpstreamStubs.ADMIN_KEY)).post("/console/session")
                .then().statusCode(403).body("code", equalTo("cross_site_request")).header("Set-Cookie", (String) null);
        given().cookie(ConsoleSessionGuard.COOKIE, s.id()).header("Sec-Fetch-Site", "same-origin").header("Origin", ownOrigin())
                .get("/api/v1/ingest/datasets").then().statusCode(200);
    }

    @Test
    void signingOutEndsTheSessionForEveryRequest() {
        Session s = signIn();
        given().cookie(ConsoleSessionGuard.COOKIE, s.id()).delete("/console/session")
                .then().statusCode(403).body("code", equalTo("csrf_token_invalid"));
        String cleared = given().cookie(ConsoleSessionGuard.COOKIE, s.id()).header(ConsoleSessionGuard.CSRF_HEADER, s.csrf())
                .delete("/console/session").then().statusCode(204).extract().header("Set-Cookie");
        assertTrue(cleared.contains("Max-Age=0"), cleared);
        given().cookie(ConsoleSessionGuard.COOKIE, s.id()).get("/api/v1/ingest/datasets")
                .then().statusCode(401).body("code", equalTo("session_expired"));
        given().cookie(ConsoleSessionGuard.COOKIE, s.id()).get("/console/session")
                .then().statusCode(401).body("code", equalTo("session_expired"));
    }

    @Test
    void signingInAgainEndsTheBrowsersPreviousSession() {
        Session first = signIn();
        String second = given().cookie(ConsoleSessionGuard.COOKIE, first.id()).contentType(ContentType.JSON)
                .body(Map.of("apiKey", UpstreamStubs.ADMIN_KEY)).post("/console/session")
                .then().statusCode(201).extract().cookie(ConsoleSessionGuard.COOKIE);
        assertFalse(second.equals(first.id()), "a fresh id on every sign-in");
        given().cookie(ConsoleSessionGuard.COOKIE, first.id()).get("/api/v1/ingest/datasets")
                .then().statusCode(401).body("code", equalTo("session_expired"));
        given().cookie(ConsoleSessionGuard.COOKIE, second).get("/api/v1/ingest/datasets").then().statusCode(200);
    }

    @Test
    void expiredAndIdleSessionsAreRefused() throws Exception {
        Session expired = signIn();
        Session idle = signIn();
        given().cookie(ConsoleSessionGuard.COOKIE, expired.id()).get("/api/v1/ingest/datasets").then().statusCode(200);
        try (Connection c = TestDatabase.asOwner(DB)) {
            try (PreparedStatement ps = c.prepareStatement("update console_session set expires_at = now() - interval '1 second' where id_hash = ?")) {
                ps.setString(1, ConsoleSessionStore.hash(expired.id()));
                assertEquals(1, ps.executeUpdate());
            }
            try (PreparedStatement ps = c.prepareStatement("update console_session set last_seen_at = now() - interval '31 minutes' where id_hash = ?")) {
                ps.setString(1, ConsoleSessionStore.hash(idle.id()));
                assertEquals(1, ps.executeUpdate());
            }
        }
        for (Session s : List.of(expired, idle)) {
            given().cookie(ConsoleSessionGuard.COOKIE, s.id()).get("/api/v1/ingest/datasets")
                    .then().statusCode(401).body("code", equalTo("session_expired"));
        }
        given().cookie(ConsoleSessionGuard.COOKIE, "made-up-session-id").get("/api/v1/ingest/datasets")
                .then().statusCode(401).body("code", equalTo("session_expired"));
    }

    @Test
    void theConsoleIsServedWithAStrictContentSecurityPolicy() {
        given().redirects().follow(false).get("/").then().statusCode(302).header("Location", "/console/");
        given().get("/console/").then().statusCode(200).contentType(startsWith("text/html"))
                .header("Content-Security-Policy", org.hamcrest.Matchers.containsString("script-src 'self'"))
                .header("X-Frame-Options", "DENY");
        given().get("/console/sign-in-methods").then().statusCode(200).body("apiKey", equalTo(true));
    }
}
