package io.hotpass.enrichment.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RegistryResourceTest {

    @Test
    void withoutTokenIs401() {
        given().get("/registries").then().statusCode(401).body("code", equalTo("unauthenticated"));
    }

    @Test
    void registerAndListOnlyOwnTenant() {
        String name = "reg-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(TestTokens.forTenant("acme")).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"datasetId\":\"" + UUID.randomUUID()
                        + "\",\"matchOn\":[\"registration_number\",\"name\"]}")
                .post("/registries").then().statusCode(201).body("reliability", equalTo(0.9f));
        given().auth().oauth2(TestTokens.forTenant("acme")).get("/registries")
                .then().statusCode(200).body("name", hasItem(name));
        given().auth().oauth2(TestTokens.forTenant("globex")).get("/registries")
                .then().statusCode(200).body("name", not(hasItem(name)));
    }

    @Test
    void unknownMatchKeyIs400NamingIt() {
        given().auth().oauth2(TestTokens.forTenant("acme")).contentType(ContentType.JSON)
                .body("{\"name\":\"r\",\"datasetId\":\"" + UUID.randomUUID() + "\",\"matchOn\":[\"shoe_size\"]}")
                .post("/registries").then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("errors[0].field", equalTo("matchOn[0]"));
    }
}
