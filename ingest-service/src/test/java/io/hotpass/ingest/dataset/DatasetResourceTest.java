package io.hotpass.ingest.dataset;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hotpass.platform.testing.TestDatabase;
import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DatasetResourceTest {

    static final String TENANT_A = "acme";
    static final String TENANT_B = "globex";

    static String body(String name) {
        return "{\"name\":\"" + name + "\",\"profile\":\"organisation\",\"rowKey\":[\"registration_number\"]}";
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void requestWithoutTokenIs401ProblemJson() {
        given().contentType(ContentType.JSON).body(body("x")).when().post("/datasets")
                .then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("unauthenticated")).body("status", equalTo(401))
                .body("traceId", notNullValue()).body("type", startsWith("https://"));
    }

    @Test
    void expiredForgedAndForeignTokensAre401() {
        given().auth().oauth2(TestTokens.expired(TENANT_A)).get("/datasets").then().statusCode(401)
                .body("code", equalTo("unauthenticated"));
        given().auth().oauth2(TestTokens.wrongIssuer(TENANT_A)).get("/datasets").then().statusCode(401);
        String valid = TestTokens.forTenant(TENANT_A);
        String forged = valid.substring(0, valid.lastIndexOf('.') + 1) + "AAAA" + valid.substring(valid.lastIndexOf('.') + 5);
        given().auth().oauth2(forged).get("/datasets").then().statusCode(401);
        String[] parts = valid.split("\\.");
        String algNone = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
                + "." + parts[1] + ".";
        given().auth().oauth2(algNone).get("/datasets").then().statusCode(401);
    }

    @Test
    void createThenReadWithEtagAndLocation() {
        String name = unique("orgs");
        Response created = given().auth().oauth2(TestTokens.forTenant(TENANT_A)).contentType(ContentType.JSON)
                .body(body(name)).post("/datasets");
        created.then().statusCode(201).header("ETag", "\"v0\"").header("Location", notNullValue())
                .body("name", equalTo(name)).body("profile", equalTo("organisation"))
                .body("currentVersion", equalTo(0)).body("rowKey", hasItem("registration_number"))
                .body("createdBy", equalTo("user-acme"));
        String id = created.path("id");
        given().auth().oauth2(TestTokens.forTenant(TENANT_A)).get("/datasets/" + id)
                .then().statusCode(200).header("ETag", "\"v0\"").body("id", equalTo(id));
    }

    @Test
    void newDatasetsHaveTimeOrderedIdsThatSortAfterOlderOnes() throws Exception {
        // ADR 0022: a new dataset's rows append at the right edge of dataset_row's indexes. The generator
        // orders ids made within one millisecond too (it counts up the random bits), so no wait is needed.
        String first = given().auth().oauth2(TestTokens.forTenant(TENANT_A)).contentType(ContentType.JSON)
                .body(body(unique("v7a"))).post("/datasets").then().statusCode(201).extract().path("id");
        String second = given().auth().oauth2(TestTokens.forTenant(TENANT_B)).contentType(ContentType.JSON)
                .body(body(unique("v7b"))).post("/datasets").then().statusCode(201).extract().path("id");
        assertEquals(7, UUID.fromString(first).version());
        assertEquals(7, UUID.fromString(second).version());
        try (Connection c = TestDatabase.asOwner("postgres");
                PreparedStatement ps = c.prepareStatement("select ?::uuid < ?::uuid")) {
            ps.setString(1, first);
            ps.setString(2, second);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(true, rs.getBoolean(1), first + " should sort before " + second);
            }
        }
    }

    @Test
    void anotherTenantsDatasetIs404NotForbidden() {
        String id = given().auth().oauth2(TestTokens.forTenant(TENANT_A)).contentType(ContentType.JSON)
                .body(body(unique("secret"))).post("/datasets").then().statusCode(201).extract().path("id");
        given().auth().oauth2(TestTokens.forTenant(TENANT_B)).get("/datasets/" + id)
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("dataset_not_found"));
        given().auth().oauth2(TestTokens.forTenant(TENANT_B)).queryParam("limit", 500).get("/datasets")
                .then().statusCode(200).body("items.id", org.hamcrest.Matchers.not(hasItem(id)));
    }

    @Test
    void invalidBodyNamesTheField() {
        given().auth().oauth2(TestTokens.forTenant(TENANT_A)).contentType(ContentType.JSON)
                .body("{\"name\":\"Bad Name!\",\"profile\":\"organisation\"}").post("/datasets")
                .then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("errors.field", hasItem("name"));
        given().auth().oauth2(TestTokens.forTenant(TENANT_A)).contentType(ContentType.JSON)
                .body("{\"name\":\"ok-name\",\"profile\":\"spaceships\"}").post("/datasets")
                .then().statusCode(422).body("code", equalTo("unknown_profile"));
        given().auth().oauth2(TestTokens.forTenant(TENANT_A)).contentType(ContentType.JSON)
                .body("{\"name\": password123").post("/datasets")
                .then().statusCode(400).body("code", equalTo("malformed_body"))
                .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("password123")));
        // A value of the wrong type is a malformed body too, answered as problem+json naming the field.
        given().auth().oauth2(TestTokens.forTenant(TENANT_A)).contentType(ContentType.JSON)
                .body("{\"name\":\"ok-name\",\"profile\":\"organisation\",\"rowKey\":\"notalist\"}").post("/datasets")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("malformed_body"))
                .body("detail", org.hamcrest.Matchers.containsString("rowKey"));
    }

    @Test
    void duplicateNameIs409() {
        String name = unique("dup");
        given().auth().oauth2(TestTokens.forTenant(TENANT_A)).contentType(ContentType.JSON).body(body(name))
                .post("/datasets").then().statusCode(201);
        given().auth().oauth2(TestTokens.forTenant(TENANT_A)).contentType(ContentType.JSON).body(body(name))
                .post("/datasets").then().statusCode(409).body("code", equalTo("dataset_exists"));
        // The same name in another tenant is a different dataset.
        given().auth().oauth2(TestTokens.forTenant(TENANT_B)).contentType(ContentType.JSON).body(body(name))
                .post("/datasets").then().statusCode(201);
    }

    @Test
    void idempotencyKeyRetryReturnsFirstResponseAndCreatesOnce() throws Exception {
        String name = unique("idem");
        String key = UUID.randomUUID().toString();
        Response first = given().auth().oauth2(TestTokens.forTenant(TENANT_A)).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body(name)).post("/datasets");
        first.then().statusCode(201);
        Response retry = given().auth().oauth2(TestTokens.forTenant(TENANT_A)).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body(name)).post("/datasets");
        retry.then().statusCode(201).header("Idempotent-Replayed", "true")
                .header("Location", first.header("Location")).header("ETag", first.header("ETag"))
                .body("id", equalTo(first.path("id")));
        given().auth().oauth2(TestTokens.forTenant(TENANT_A)).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body(name + "-other")).post("/datasets")
                .then().statusCode(422).body("code", equalTo("idempotency_key_reused"));
        try (Connection c = TestDatabase.asOwner("hotpass_ingest_test");
                PreparedStatement ps = c.prepareStatement("select count(*) from dataset where name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        }
    }

    @Test
    void listingIsCursorPagedInStableOrder() {
        String tenant = "pager-" + UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(TestTokens.forTenant(tenant)).contentType(ContentType.JSON).body(body("p" + i))
                    .post("/datasets").then().statusCode(201);
        }
        Response page1 = given().auth().oauth2(TestTokens.forTenant(tenant)).queryParam("limit", 3).get("/datasets");
        page1.then().statusCode(200).body("items", hasSize(3)).body("nextCursor", notNullValue());
        given().auth().oauth2(TestTokens.forTenant(tenant)).queryParam("limit", 3)
                .queryParam("cursor", page1.path("nextCursor").toString()).get("/datasets")
                .then().statusCode(200).body("items", hasSize(2)).body("items[0].name", equalTo("p3"))
                .body("nextCursor", nullValue());
        given().auth().oauth2(TestTokens.forTenant(tenant)).queryParam("cursor", "garbage!").get("/datasets")
                .then().statusCode(400).body("errors.field", hasItem("cursor"));
    }
}
