package io.hotpass.enrichment.setting;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SettingsResourceTest {

    @Test
    void aTenantCanSwitchNetworkResearchOffForItselfOnly() {
        String initech = TestTokens.forTenant("initech");
        given().auth().oauth2(initech).get("/settings").then().statusCode(200)
                .body("networkResearch", equalTo(true)).body("networkResearchGlobal", equalTo(true));
        given().auth().oauth2(initech).contentType(ContentType.JSON).body(Map.of("networkResearch", false))
                .put("/settings").then().statusCode(200).body("networkResearch", equalTo(false));
        given().auth().oauth2(initech).get("/settings").then().body("networkResearch", equalTo(false));
        given().auth().oauth2(TestTokens.forTenant("umbrella")).get("/settings").then()
                .body("networkResearch", equalTo(true));

        given().auth().oauth2(initech).contentType(ContentType.JSON)
                .body(Map.of("datasetId", UUID.randomUUID(), "version", 1, "fields", List.of("phone"), "sources",
                        List.of("website")))
                .post("/plans").then().statusCode(422).body("code", equalTo("network_research_disabled"))
                .body("errors[0].field", equalTo("sources[0]"));
    }

    @Test
    void badBodyNamesTheField() {
        given().auth().oauth2(TestTokens.forTenant("initech")).contentType(ContentType.JSON).body("{}")
                .put("/settings").then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("errors[0].field", equalTo("networkResearch"));
        given().get("/settings").then().statusCode(401);
    }
}
