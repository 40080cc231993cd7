package io.hotpass.acceptance;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The OWASP API1/API5 matrix, generated from the gateway's own route table so that a route cannot
 * be added untested: for every route, every bad credential is 401, a caller without the permission
 * is 403, another tenant's identifiers are 404 (or the tenant mismatch 403), and a valid caller is
 * never refused as unauthenticated nor answered with a server error.
 */
class TenantIsolationIT {

    static Stack stack;
    static String acmeAdmin;
    static String acmeViewer;
    static String globexAdmin;
    static String acmeAuditor;

    record Route(String method, String path, String action, String resource) {

        boolean platformOnly() {
            return resource.startsWith("platform/");
        }
    }

    @BeforeAll
    static void up() {
        stack = Stack.get();
        acmeAdmin = Tenants.key("acme", "tenant-admin");
        acmeViewer = Tenants.key("acme", "viewer");
        globexAdmin = Tenants.key("globex", "tenant-admin");
        acmeAuditor = Tenants.key("acme", "auditor");
    }

    static List<Route> routes() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory())
                .readTree(Files.readString(Stack.get().root.resolve("gateway/src/main/resources/routes.yaml")));
        List<Route> out = new ArrayList<>();
        for (JsonNode r : doc.path("routes")) {
            String path = r.path("path").asText().replace("{t}", "acme").replaceAll("\\{[a-zA-Z]+}", UUID.randomUUID().toString());
            out.add(new Route(r.path("method").asText(), path, r.path("action").asText(), r.path("resource").asText()));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyRouteRefusesBadCredentials() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Route r : routes()) {
            tests.add(DynamicTest.dynamicTest(r.method() + " " + r.path(), () -> {
                expect(r, s -> s, 401, "no credential");
                expect(r, s -> s.header("X-API-Key", "hp_unknownkey000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 401, "unknown API key");
                expect(r, s -> s.header("X-API-Key", "not-a-key"), 401, "malformed API key");
                expect(r, s -> s.auth().oauth2(Tokens.expiredInternal("acme")), 401, "expired token");
                expect(r, s -> s.auth().oauth2(Tokens.forgedInternal("acme")), 401, "forged token");
                expect(r, s -> s.auth().oauth2(Tokens.algNone("acme")), 401, "alg none");
                // Platform routes (onboarding tenants) belong to platform administrators only.
                // The audit log is for auditors only, even within the tenant.
                String allowedKey = r.platformOnly() ? stack.adminKey
                        : r.action().startsWith("policy:audit:") ? acmeAuditor : acmeAdmin;
                int valid = call(r, s -> s.header("X-API-Key", allowedKey));
                assertTrue(valid != 401 && valid != 403 && valid < 500, r + " with a permitted key answered " + valid);
                if (r.platformOnly()) {
                    expect(r, s -> s.header("X-API-Key", acmeAdmin), 403, "a tenant administrator on a platform route");
                }
                if (!r.method().equals("GET")) {
                    expect(r, s -> s.header("X-API-Key", acmeViewer), 403, "viewer on a mutating route");
                }
                if (r.path().contains("/acme")) {
                    int cross = call(r, s -> s.header("X-API-Key", globexAdmin));
                    assertTrue(cross == 404 || cross == 403, r + " for another tenant answered " + cross);
                }
            }));
        }
        return tests.stream();
    }

    private void expect(Route r, UnaryOperator<RequestSpecification> credential, int status, String what) {
        assertEquals(status, call(r, credential), r.method() + " " + r.path() + " with " + what);
    }

    private int call(Route r, UnaryOperator<RequestSpecification> credential) {
        RequestSpecification s = credential.apply(given().baseUri(stack.gateway()).contentType("application/json"));
        if (!r.method().equals("GET") && !r.method().equals("DELETE")) {
            s = s.body("{}");
        }
        return s.request(r.method(), r.path()).then().extract().statusCode();
    }
}
