package io.hotpass.policy.tenant;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TenantResourceTest {

    static String admin() {
        return TestTokens.token("root", "platform", Set.of("platform-admin"), Set.of());
    }

    @Test
    void withoutTokenIs401() {
        given().get("/tenants/acme").then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("unauthenticated"));
    }

    @Test
    void platformAdminOnboardsTenantAndTenantReadsItself() {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"displayName\":\"Test Co\"}").post("/tenants")
                .then().statusCode(201).body("id", equalTo(id)).body("status", equalTo("active"));
        given().auth().oauth2(TestTokens.forTenant(id)).get("/tenants/" + id)
                .then().statusCode(200).body("displayName", equalTo("Test Co"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"displayName\":\"Again\"}").post("/tenants")
                .then().statusCode(409).body("code", equalTo("tenant_exists"));
    }

    @Test
    void tenantAdminCannotOnboardOrSeeOthers() {
        given().auth().oauth2(TestTokens.forTenant("acme")).contentType(ContentType.JSON)
                .body("{\"id\":\"evil-co\",\"displayName\":\"Evil\"}").post("/tenants")
                .then().statusCode(403).body("code", equalTo("forbidden"));
        String other = "o-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"id\":\"" + other + "\",\"displayName\":\"Other\"}").post("/tenants").then().statusCode(201);
        given().auth().oauth2(TestTokens.forTenant("acme")).get("/tenants/" + other)
                .then().statusCode(404).body("code", equalTo("tenant_not_found"));
    }

    @Test
    void invalidTenantIdNamesTheField() {
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"id\":\"Not Valid\",\"displayName\":\"x\"}").post("/tenants")
                .then().statusCode(400).body("errors[0].field", equalTo("id"));
    }

    private static io.restassured.path.json.JsonPath decideStewardCreates(String tenant) {
        return given().auth().oauth2(io.hotpass.policy.PolicyTestSupport.gateway()).contentType(ContentType.JSON)
                .body("{\"subject\":\"u-1\",\"tenant\":\"" + tenant + "\",\"roles\":[\"steward\"],"
                        + "\"action\":\"ingest:dataset:create\",\"resource\":\"tenant/" + tenant + "/datasets\"}")
                .post("/decisions").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aSuspendedTenantsSubjectsAreRefusedFromTheVersionItPublishes() {
        String id = "s-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"displayName\":\"Paused Co\"}").post("/tenants").then().statusCode(201);
        var before = decideStewardCreates(id);
        org.junit.jupiter.api.Assertions.assertTrue(before.getBoolean("allow"));

        given().auth().oauth2(TestTokens.forTenant(id)).contentType(ContentType.JSON).body("{\"status\":\"suspended\"}")
                .patch("/tenants/" + id).then().statusCode(403).body("code", equalTo("forbidden"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"status\":\"suspended\"}")
                .patch("/tenants/" + id).then().statusCode(200).body("status", equalTo("suspended"));
        var during = decideStewardCreates(id);
        org.junit.jupiter.api.Assertions.assertFalse(during.getBoolean("allow"));
        org.junit.jupiter.api.Assertions.assertEquals("subject_disabled", during.getString("reason"));
        org.junit.jupiter.api.Assertions.assertEquals(before.getLong("policyVersion") + 1, during.getLong("policyVersion"));
        // Other tenants are untouched.
        org.junit.jupiter.api.Assertions.assertTrue(decideStewardCreates("acme").getBoolean("allow"));

        // Suspending again is a no-op: no new version.
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"status\":\"suspended\"}")
                .patch("/tenants/" + id).then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertEquals(during.getLong("policyVersion"),
                decideStewardCreates(id).getLong("policyVersion"));

        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"status\":\"active\"}")
                .patch("/tenants/" + id).then().statusCode(200).body("status", equalTo("active"));
        var after = decideStewardCreates(id);
        org.junit.jupiter.api.Assertions.assertTrue(after.getBoolean("allow"));
        org.junit.jupiter.api.Assertions.assertEquals(during.getLong("policyVersion") + 1, after.getLong("policyVersion"));
    }

    @Test
    void statusChangesAreValidatedAndThePlatformTenantIsProtected() {
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"status\":\"paused\"}")
                .patch("/tenants/acme").then().statusCode(400).body("code", equalTo("validation_failed"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"status\":\"suspended\"}")
                .patch("/tenants/platform").then().statusCode(422).body("code", equalTo("tenant_protected"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"status\":\"suspended\"}")
                .patch("/tenants/no-such-tenant-x").then().statusCode(404).body("code", equalTo("tenant_not_found"));
    }
}
