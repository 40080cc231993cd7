package io.hotpass.lineage.event;

import static io.hotpass.lineage.testing.Events.as;
import static io.hotpass.lineage.testing.Events.dataset;
import static io.hotpass.lineage.testing.Events.facet;
import static io.hotpass.lineage.testing.Events.post;
import static io.hotpass.lineage.testing.Events.run;
import static io.hotpass.lineage.testing.Events.tenant;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotpass.lineage.testing.Events;
import io.restassured.http.ContentType;
import io.quarkus.test.junit.QuarkusTest;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Events over the limits are refused whole: nothing of them is stored, raw or normalised. */
@QuarkusTest
class IngestionLimitsTest {

    @Test
    void tenMegabytesOfFacetsIs413AndNothingIsStored() {
        String tenant = tenant("big");
        ObjectNode e = run("START", OffsetDateTime.now(), UUID.randomUUID(), "etl", "big_job");
        facet((ObjectNode) e.get("run").get("facets"), "huge").put("blob", "x".repeat(10 * 1024 * 1024));
        post(tenant, e).statusCode(413).body("code", equalTo("payload_too_large")).body("errors.field", hasItem("facets"));
        assertNothingStored(tenant);
    }

    @Test
    void oneHundredThousandInputsIs422AndNothingIsStored() {
        String tenant = tenant("many");
        ObjectNode e = run("START", OffsetDateTime.now(), UUID.randomUUID(), "etl", "wide_job");
        for (int i = 0; i < 100_000; i++) {
            dataset(e, "inputs", "raw", "t" + i);
        }
        post(tenant, e).statusCode(422).body("code", equalTo("too_many_datasets")).body("errors.field", hasItem("inputs"));
        assertNothingStored(tenant);
    }

    @Test
    void aBatchRecordsTheGoodEventsAndReportsTheBadOnes() {
        String tenant = tenant("batch");
        ArrayNode batch = Events.JSON.createArrayNode();
        batch.add(run("START", OffsetDateTime.now(), UUID.randomUUID(), "etl", "a"));
        ObjectNode bad = run("START", OffsetDateTime.now(), UUID.randomUUID(), "etl", "b");
        ((ObjectNode) bad.get("run")).put("runId", "not-a-uuid");
        batch.add(bad);
        batch.add(run("COMPLETE", OffsetDateTime.now(), UUID.randomUUID(), "etl", "c"));
        as(tenant).contentType(ContentType.JSON).body(batch.toString()).post("/api/v1/lineage/batch").then().statusCode(200)
                .body("status", equalTo("PARTIAL_SUCCESS"))
                .body("summary.received", equalTo(3)).body("summary.successful", equalTo(2)).body("summary.failed", equalTo(1))
                .body("failed_events", hasSize(1)).body("failed_events[0].index", equalTo(1))
                .body("failed_events[0].code", equalTo("validation_failed"))
                .body("failed_events[0].retriable", equalTo(false));
        as(tenant).get("/api/v1/namespaces/etl/jobs").then().statusCode(200).body("totalCount", equalTo(2));
        as(tenant).get("/api/v1/events/lineage").then().body("events", hasSize(2));

        ArrayNode good = Events.JSON.createArrayNode();
        good.add(run("START", OffsetDateTime.now(), UUID.randomUUID(), "etl", "d"));
        as(tenant).contentType(ContentType.JSON).body("{\"events\":" + good + "}").post("/api/v1/lineage/batch").then()
                .statusCode(200).body("status", equalTo("SUCCESS")).body("failed_events", hasSize(0));
        as(tenant).contentType(ContentType.JSON).body("{\"events\":3}").post("/api/v1/lineage/batch").then()
                .statusCode(400).body("errors.field", hasItem("events"));
    }

    @Test
    void aRepeatedEventIsProjectedOnce() {
        String tenant = tenant("dup");
        ObjectNode e = run("COMPLETE", OffsetDateTime.now(), UUID.randomUUID(), "etl", "once");
        dataset(e, "outputs", "etl", "out");
        post(tenant, e).statusCode(201);
        post(tenant, e).statusCode(201);
        as(tenant).get("/api/v1/namespaces/etl/datasets/out/versions").then().body("versions", hasSize(1));
        as(tenant).get("/api/v1/namespaces/etl/jobs/once/runs").then().body("runs", hasSize(1));
    }

    private static void assertNothingStored(String tenant) {
        as(tenant).get("/api/v1/events/lineage").then().statusCode(200).body("events", hasSize(0));
        as(tenant).get("/api/v1/namespaces").then().statusCode(200).body("namespaces", hasSize(0));
    }
}
