package io.hotpass.lineage.graph;

import static io.hotpass.lineage.testing.Events.as;
import static io.hotpass.lineage.testing.Events.dataset;
import static io.hotpass.lineage.testing.Events.facet;
import static io.hotpass.lineage.testing.Events.post;
import static io.hotpass.lineage.testing.Events.run;
import static io.hotpass.lineage.testing.Events.schema;
import static io.hotpass.lineage.testing.Events.tenant;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A small pipeline: raw:a → etl.j1 → b → etl.j2 → c → etl.j3 → d, a fan etl.j4: b → e, and a cycle
 * etl.j5: d → a. Column lineage: d.email ← c.email ← b.email.
 */
@QuarkusTest
class LineageGraphTest {

    String tenant;
    UUID j2Run;

    @BeforeEach
    void pipeline() {
        tenant = tenant("graph");
        step("j1", "raw", "a", "b", null);
        j2Run = step("j2", "etl", "b", "c", "b");
        step("j3", "etl", "c", "d", "c");
        step("j4", "etl", "b", "e", null);
        step("j5", "etl", "d", "a", null);
    }

    private UUID step(String job, String inNs, String in, String out, String columnSource) {
        UUID runId = UUID.randomUUID();
        ObjectNode e = run("COMPLETE", OffsetDateTime.now().minusMinutes(1), runId, "etl", job);
        dataset(e, "inputs", "a".equals(in) ? "raw" : inNs, in);
        ObjectNode o = schema(dataset(e, "outputs", "a".equals(out) ? "raw" : "etl", out), "email", "STRING", "name", "STRING");
        if (columnSource != null) {
            ObjectNode email = facet((ObjectNode) o.get("facets"), "columnLineage").putObject("fields").putObject("email");
            email.putArray("inputFields").addObject().put("namespace", "etl").put("name", columnSource).put("field", "email")
                    .putArray("transformations").addObject().put("type", "DIRECT").put("subtype", "IDENTITY")
                    .put("description", "copied");
        }
        post(tenant, e).statusCode(201);
        return runId;
    }

    @Test
    void datasetLineageWalksUpAndDownThroughJobsAndStopsAtCycles() {
        // Downstream of c runs round the cycle (d -> j5 -> a -> j1 -> b -> j4 -> e); every node comes once.
        as(tenant).get("/api/v1/lineage?nodeId=dataset:etl:c&depth=20").then().statusCode(200)
                .body("graph.id", containsInAnyOrder("dataset:etl:c", "job:etl:j2", "dataset:etl:b", "job:etl:j1",
                        "dataset:raw:a", "job:etl:j3", "dataset:etl:d", "job:etl:j5", "job:etl:j4", "dataset:etl:e"))
                .body("graph.find { it.id == 'dataset:etl:c' }.type", equalTo("DATASET"))
                .body("graph.find { it.id == 'dataset:etl:c' }.data.id.name", equalTo("c"))
                .body("graph.find { it.id == 'dataset:etl:c' }.inEdges", contains(
                        java.util.Map.of("origin", "job:etl:j2", "destination", "dataset:etl:c")))
                .body("graph.find { it.id == 'dataset:etl:c' }.outEdges.destination", contains("job:etl:j3"))
                .body("graph.find { it.id == 'job:etl:j2' }.type", equalTo("JOB"))
                .body("graph.find { it.id == 'job:etl:j2' }.data.latestRun", equalTo(null))
                .body("graph.find { it.id == 'job:etl:j2' }.data.inputs.name", contains("b"));
    }

    @Test
    void depthCountsJobs() {
        as(tenant).get("/api/v1/lineage?nodeId=dataset:etl:c&depth=1").then().statusCode(200)
                .body("graph.id", containsInAnyOrder("dataset:etl:c", "job:etl:j2", "dataset:etl:b", "job:etl:j3",
                        "dataset:etl:d"));
        as(tenant).get("/api/v1/lineage?nodeId=job:etl:j4&depth=1").then().statusCode(200)
                .body("graph.id", hasItem("dataset:etl:e")).body("graph.id", hasItem("job:etl:j1"))
                .body("graph.id", not(hasItem("job:etl:j3")));
    }

    @Test
    void runLineageHasARunNode() {
        as(tenant).get("/api/v1/lineage?nodeId=run:" + j2Run + "&depth=1").then().statusCode(200)
                .body("graph.find { it.id == 'run:" + j2Run + "' }.type", equalTo("RUN"))
                .body("graph.find { it.id == 'run:" + j2Run + "' }.data.state", equalTo("COMPLETED"))
                .body("graph.find { it.id == 'run:" + j2Run + "' }.inEdges.origin", contains("dataset:etl:b"))
                .body("graph.find { it.id == 'run:" + j2Run + "' }.outEdges.destination", contains("dataset:etl:c"))
                .body("graph.id", hasItem("job:etl:j2"));
    }

    @Test
    void columnLineageFollowsFieldsUpstream() {
        as(tenant).get("/api/v1/column-lineage?nodeId=datasetField:etl:d:email&depth=10").then().statusCode(200)
                .body("graph.id", containsInAnyOrder("datasetField:etl:d:email", "datasetField:etl:c:email",
                        "datasetField:etl:b:email"))
                .body("graph.type", everyItemIs("DATASET_FIELD"))
                .body("graph.find { it.id == 'datasetField:etl:d:email' }.data.fieldType", equalTo("STRING"))
                .body("graph.find { it.id == 'datasetField:etl:d:email' }.data.inputFields[0].dataset", equalTo("c"))
                .body("graph.find { it.id == 'datasetField:etl:d:email' }.data.transformationType", equalTo("DIRECT"))
                .body("graph.find { it.id == 'datasetField:etl:c:email' }.inEdges.origin", contains("datasetField:etl:b:email"));
        as(tenant).get("/api/v1/column-lineage?nodeId=dataset:etl:b&withDownstream=true").then().statusCode(200)
                .body("graph.id", hasItem("datasetField:etl:d:email"));
        as(tenant).get("/api/v1/column-lineage?nodeId=datasetField:etl:d:email&depth=1").then()
                .body("graph", hasSize(2));
    }

    @Test
    void unknownOrForeignNodesAre404AndMalformedOnes400() {
        as(tenant("other")).get("/api/v1/lineage?nodeId=dataset:etl:c").then().statusCode(404)
                .body("code", equalTo("dataset_not_found"));
        as(tenant).get("/api/v1/lineage?nodeId=job:etl:nope").then().statusCode(404).body("code", equalTo("job_not_found"));
        as(tenant).get("/api/v1/lineage?nodeId=run:" + UUID.randomUUID()).then().statusCode(404);
        as(tenant).get("/api/v1/lineage?nodeId=table:x:y").then().statusCode(400).body("errors.field", hasItem("nodeId"));
        as(tenant).get("/api/v1/lineage?nodeId=run:nope").then().statusCode(400);
        as(tenant).get("/api/v1/lineage").then().statusCode(400);
        as(tenant).get("/api/v1/lineage?nodeId=dataset:etl:c&depth=-1").then().statusCode(400).body("errors.field", hasItem("depth"));
    }

    @Test
    void namespacesWithColonsResolve() {
        UUID runId = UUID.randomUUID();
        ObjectNode e = run("COMPLETE", OffsetDateTime.now(), runId, "etl", "pg_load");
        dataset(e, "outputs", "postgres://db:5432", "public.orgs");
        post(tenant, e).statusCode(201);
        as(tenant).get("/api/v1/lineage?nodeId=dataset:postgres://db:5432:public.orgs&depth=1").then().statusCode(200)
                .body("graph.id", hasItem("job:etl:pg_load"));
    }

    private static org.hamcrest.Matcher<Iterable<? extends Object>> everyItemIs(String v) {
        return org.hamcrest.Matchers.everyItem(equalTo(v));
    }
}
