package io.hotpass.ingest.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Health, metrics and OpenAPI answer without a token; readiness includes the migrations. */
@QuarkusTest
class ServiceEndpointsTest {

    @Test
    void healthMetricsAndOpenApiArePublic() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("database-migrations"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/datasets"));
    }

    @Test
    void unknownPathIsProblemJson404() {
        given().get("/nope").then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("not_found"));
    }
}
