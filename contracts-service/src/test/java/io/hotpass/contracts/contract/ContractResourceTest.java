package io.hotpass.contracts.contract;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ContractResourceTest {

    static String body(String name, String version) {
        return "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"dataset\":\"orgs\",\"owner\":\"data-team\","
                + "\"spec\":{\"fields\":{\"name\":{\"type\":\"string\",\"required\":true}}}}";
    }

    @Test
    void withoutTokenIs401() {
        given().contentType(ContentType.JSON).body(body("c", "1.0.0")).post("/contracts")
                .then().statusCode(401).body("code", equalTo("unauthenticated"));
    }

    @Test
    void registerVersionsAndListNewestFirst() {
        String name = "c-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestTokens.forTenant("acme");
        String id = given().auth().oauth2(token).contentType(ContentType.JSON).body(body(name, "1.0.0")).post("/contracts")
                .then().statusCode(201).body("state", equalTo("draft"))
                .body("spec.fields.name.type", equalTo("string")).extract().path("id");
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body(name, "1.2.0")).post("/contracts")
                .then().statusCode(201);
        given().auth().oauth2(token).queryParam("name", name).get("/contracts")
                .then().statusCode(200).body("version", contains("1.2.0", "1.0.0"));
        given().auth().oauth2(token).get("/contracts/" + id).then().statusCode(200).body("version", equalTo("1.0.0"));
        given().auth().oauth2(TestTokens.forTenant("globex")).get("/contracts/" + id)
                .then().statusCode(404).body("code", equalTo("contract_not_found"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body(name, "1.0.0")).post("/contracts")
                .then().statusCode(409).body("code", equalTo("contract_version_exists"));
    }

    @Test
    void badVersionAndMissingSpecNameTheField() {
        given().auth().oauth2(TestTokens.forTenant("acme")).contentType(ContentType.JSON).body(body("x", "v1"))
                .post("/contracts").then().statusCode(400).body("errors.field", hasItem("version"));
        given().auth().oauth2(TestTokens.forTenant("acme")).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"version\":\"1.0.0\",\"dataset\":\"d\"}")
                .post("/contracts").then().statusCode(400).body("errors.field", hasItem("spec"));
    }
}
