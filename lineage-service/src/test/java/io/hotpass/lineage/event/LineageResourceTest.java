package io.hotpass.lineage.event;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LineageResourceTest {

    static String runEvent(UUID runId, String type, String job) {
        return "{\"eventType\":\"" + type + "\",\"eventTime\":\"" + OffsetDateTime.now() + "\","
                + "\"producer\":\"https://example.com/test\",\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\","
                + "\"run\":{\"runId\":\"" + runId + "\",\"facets\":{\"custom\":{\"x\":1}}},"
                + "\"job\":{\"namespace\":\"ns\",\"name\":\"" + job + "\"},"
                + "\"inputs\":[{\"namespace\":\"ns\",\"name\":\"in\"}],\"outputs\":[{\"namespace\":\"ns\",\"name\":\"out\"}]}";
    }

    @Test
    void withoutTokenIs401() {
        given().contentType(ContentType.JSON).body(runEvent(UUID.randomUUID(), "START", "j")).post("/api/v1/lineage")
                .then().statusCode(401).body("code", equalTo("unauthenticated"));
    }

    @Test
    void eventIsStoredOnceAndServedBackToItsTenantOnly() {
        String tenant = "lin-" + UUID.randomUUID().toString().substring(0, 6);
        String job = "job-" + UUID.randomUUID();
        String event = runEvent(UUID.randomUUID(), "START", job);
        String outboxId = UUID.randomUUID().toString();
        for (int i = 0; i < 2; i++) { // an outbox retry delivers the same event id twice
            given().auth().oauth2(TestTokens.forTenant(tenant)).header("Hotpass-Event-Id", outboxId)
                    .contentType(ContentType.JSON).body(event).post("/api/v1/lineage").then().statusCode(201);
        }
        // A producer retrying the same event without an id is absorbed by the content hash.
        given().auth().oauth2(TestTokens.forTenant(tenant)).contentType(ContentType.JSON).body(event)
                .post("/api/v1/lineage").then().statusCode(201);
        given().auth().oauth2(TestTokens.forTenant(tenant)).get("/api/v1/events/lineage")
                .then().statusCode(200).body("events", hasSize(1)).body("events[0].job.name", equalTo(job))
                .body("events[0].run.facets.custom.x", equalTo(1));
        given().auth().oauth2(TestTokens.forTenant("other-" + tenant)).get("/api/v1/events/lineage")
                .then().statusCode(200).body("events", hasSize(0));
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        String bad = "{\"eventType\":\"START\",\"eventTime\":\"" + OffsetDateTime.now() + "\",\"producer\":\"p\","
                + "\"schemaURL\":\"s\",\"run\":{\"runId\":\"not-a-uuid\"},\"job\":{\"namespace\":\"ns\"}}";
        given().auth().oauth2(TestTokens.forTenant("acme")).contentType(ContentType.JSON).body(bad)
                .post("/api/v1/lineage").then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("errors.field", hasItem("run.runId")).body("errors.field", hasItem("job.name"));
        given().auth().oauth2(TestTokens.forTenant("acme")).contentType(ContentType.JSON)
                .body("{\"eventTime\":\"" + OffsetDateTime.now() + "\",\"producer\":\"p\",\"schemaURL\":\"s\"}")
                .post("/api/v1/lineage").then().statusCode(422).body("code", equalTo("unknown_event_type"));
        given().auth().oauth2(TestTokens.forTenant("acme")).contentType(ContentType.JSON)
                .body(runEvent(UUID.randomUUID(), "START", "j").replaceFirst("\"eventTime\":\"[^\"]+\"",
                        "\"eventTime\":\"" + OffsetDateTime.now().plusDays(3) + "\""))
                .post("/api/v1/lineage").then().statusCode(400).body("errors.field", hasItem("eventTime"));
    }
}
