package io.hotpass.acceptance;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FMEA FM-07, Keycloak unreachable, on the real stack: the realm's Keycloak frozen (SIGSTOP: its
 * port accepts connections and nothing answers, the worst kind of unreachable). Tenant systems with
 * API keys are not affected; a bearer token issued before keeps working while the gateway holds the
 * realm's keys; a token whose key the gateway would have to fetch is refused with a problem, within
 * a bounded time, never hangs; once Keycloak answers again, new tokens work.
 */
class KeycloakOutageIT {

    /** No request may hang: each must be answered within this (the gateway's own timeouts are lower). */
    private static final RestAssuredConfig BOUNDED = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.connection.timeout", 5_000).setParam("http.socket.timeout", 30_000));

    static Stack stack;
    static String acme;

    @BeforeAll
    static void start() {
        stack = Stack.get();
        acme = Tenants.key("acme", "tenant-admin");
    }

    private static String clientCredentialsToken() {
        return given().baseUri(stack.keycloak.url()).formParam("grant_type", "client_credentials")
                .formParam("client_id", "tenant-acme").formParam("client_secret", "acme-acceptance-secret")
                .post("/realms/hotpass/protocol/openid-connect/token").then().statusCode(200).extract().path("access_token");
    }

    private static RequestSpecification gateway() {
        return given().config(BOUNDED).baseUri(stack.gateway());
    }

    @Test
    void apiKeysAndIssuedTokensKeepWorkingAndNothingHangsWhileKeycloakIsUnreachable() throws Exception {
        String issued = clientCredentialsToken();
        gateway().auth().oauth2(issued).get("/api/v1/ingest/datasets").then().statusCode(200);

        stack.keycloak.pause();
        try {
            gateway().header("X-API-Key", acme).get("/api/v1/ingest/datasets").then().statusCode(200);
            gateway().auth().oauth2(issued).get("/api/v1/ingest/datasets").then().statusCode(200);
            // A key the gateway does not hold would need the realm's JWKS: refused, not hung.
            gateway().auth().oauth2(Tokens.unknownKeycloakKey(stack.keycloak.issuer(), "acme"))
                    .get("/api/v1/ingest/datasets").then().statusCode(401).contentType("application/problem+json")
                    .body("code", equalTo("unauthenticated"));
            // And the service is still there for everyone else meanwhile.
            gateway().header("X-API-Key", acme).get("/api/v1/ingest/datasets").then().statusCode(200);
        } finally {
            stack.keycloak.resume();
        }

        String fresh = clientCredentialsToken();
        gateway().auth().oauth2(fresh).get("/api/v1/ingest/datasets").then().statusCode(200);
        gateway().auth().oauth2(issued).get("/api/v1/ingest/datasets").then().statusCode(200);
    }
}
