package io.hotpass.gateway.openapi;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.hotpass.gateway.proxy.UpstreamStubs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(UpstreamStubs.class)
class MergedOpenApiTest {

    @Test
    void oneDocumentWithPublicPathsNamespacedSchemasAndGatewayErrors() {
        given().get("/api/openapi").then().statusCode(200)
                .body("info.title", equalTo("Hotpass API"))
                .body("paths", hasKey("/api/v1/ingest/datasets"))
                .body("paths", hasKey("/api/v1/ingest/datasets/{id}"))
                .body("paths", not(hasKey("/internal/only")))
                .body("paths.'/api/v1/ingest/datasets'.post.x-hotpass-action", equalTo("ingest:dataset:create"))
                .body("paths.'/api/v1/ingest/datasets'.post.responses.'201'.content.'application/json'.schema.'$ref'",
                        equalTo("#/components/schemas/ingest.DatasetView"))
                .body("paths.'/api/v1/ingest/datasets'.get.responses.'429'.content.'application/problem+json'.schema.'$ref'",
                        equalTo("#/components/schemas/Problem"))
                .body("components.schemas", hasKey("ingest.DatasetView"))
                .body("components.securitySchemes.apiKey.name", equalTo("X-API-Key"))
                .body("x-hotpass-unavailable", hasItem("enrichment"))
                .body("openapi", notNullValue());
    }
}
