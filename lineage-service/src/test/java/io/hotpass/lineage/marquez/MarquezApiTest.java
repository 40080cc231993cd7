package io.hotpass.lineage.marquez;

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
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Events in, Marquez-shaped reads out: the normalised model as a Marquez client sees it. */
@QuarkusTest
class MarquezApiTest {

    static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 1, 10, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void startAndCompleteBuildJobsRunsDatasetsAndVersions() {
        String tenant = tenant("mq");
        UUID runId = UUID.randomUUID();
        UUID parentRun = UUID.randomUUID();
        ObjectNode start = run("START", T0, runId, "etl", "load_orgs");
        dataset(start, "inputs", "raw", "orgs_csv");
        ObjectNode parent = facet((ObjectNode) start.get("run").get("facets"), "parent");
        parent.putObject("run").put("runId", parentRun.toString());
        parent.putObject("job").put("namespace", "etl").put("name", "nightly");
        facet((ObjectNode) start.get("run").get("facets"), "acmeCustom").put("anything", 42);
        facet((ObjectNode) start.get("job").get("facets"), "documentation").put("description", "Loads organisations");
        post(tenant, start).statusCode(201);

        ObjectNode complete = run("COMPLETE", T0.plusSeconds(90), runId, "etl", "load_orgs");
        schema(dataset(complete, "inputs", "raw", "orgs_csv"), "name", "STRING", "email", "STRING");
        ObjectNode out = schema(dataset(complete, "outputs", "etl", "orgs"), "name", "VARCHAR", "email", "VARCHAR");
        facet((ObjectNode) out.get("facets"), "version").put("datasetVersion", "7");
        post(tenant, complete).statusCode(201);

        as(tenant).get("/api/v1/namespaces").then().statusCode(200)
                .body("namespaces.name", contains("etl", "raw"))
                .body("namespaces[0].ownerName", equalTo("anonymous"));
        as(tenant).get("/api/v1/namespaces/etl/jobs").then().statusCode(200)
                .body("totalCount", equalTo(1))
                .body("jobs[0].id.namespace", equalTo("etl")).body("jobs[0].id.name", equalTo("load_orgs"))
                .body("jobs[0].type", equalTo("BATCH"))
                .body("jobs[0].inputs", contains(java.util.Map.of("namespace", "raw", "name", "orgs_csv")))
                .body("jobs[0].outputs", contains(java.util.Map.of("namespace", "etl", "name", "orgs")))
                .body("jobs[0].description", equalTo("Loads organisations"))
                .body("jobs[0].latestRun.id", equalTo(runId.toString()))
                .body("jobs[0].latestRun.state", equalTo("COMPLETED"))
                .body("jobs[0].currentVersion", notNullValue());
        as(tenant).get("/api/v1/namespaces/etl/jobs/load_orgs/runs").then().statusCode(200)
                .body("runs", hasSize(1)).body("runs[0].durationMs", equalTo(90000));
        as(tenant).get("/api/v1/jobs/runs/" + runId).then().statusCode(200)
                .body("state", equalTo("COMPLETED"))
                .body("startedAt", equalTo("2026-11-01T10:00:00Z"))
                .body("endedAt", equalTo("2026-11-01T10:01:30Z"))
                .body("facets.acmeCustom.anything", equalTo(42)) // unknown facets are kept as they came
                .body("facets.parent.run.runId", equalTo(parentRun.toString()))
                .body("jobVersion.name", equalTo("load_orgs"))
                .body("inputDatasetVersions[0].datasetVersionId.name", equalTo("orgs_csv"))
                .body("outputDatasetVersions[0].datasetVersionId.name", equalTo("orgs"))
                .body("outputDatasetVersions[0].datasetVersionId.version", notNullValue());
        as(tenant).get("/api/v1/namespaces/etl/datasets/orgs").then().statusCode(200)
                .body("id.name", equalTo("orgs")).body("type", equalTo("DB_TABLE"))
                .body("fields.name", contains("name", "email")).body("fields[0].type", equalTo("VARCHAR"))
                .body("fields[0].tags", hasSize(0)).body("fields[0]", org.hamcrest.Matchers.hasKey("description"))
                .body("fields[0].description", nullValue())
                .body("lastModifiedAt", equalTo("2026-11-01T10:01:30Z"))
                .body("facets.version.datasetVersion", equalTo("7"))
                .body("currentVersion", notNullValue());
        as(tenant).get("/api/v1/namespaces/etl/datasets/orgs/versions").then().statusCode(200)
                .body("versions", hasSize(1)).body("totalCount", equalTo(1))
                .body("versions[0].createdByRun.id", equalTo(runId.toString()))
                .body("versions[0].fields.name", contains("name", "email"));
        as(tenant).get("/api/v1/namespaces/raw/datasets").then().statusCode(200)
                .body("datasets.name", contains("orgs_csv")).body("datasets[0].fields.name", contains("name", "email"));
        as(tenant).get("/api/v1/namespaces/etl/jobs/load_orgs/versions").then().statusCode(200)
                .body("versions", hasSize(1)).body("versions[0].outputs.name", contains("orgs"));
        as(tenant).get("/api/v1/search?q=ORG").then().statusCode(200)
                .body("results.nodeId", containsInAnyOrder("dataset:etl:orgs", "dataset:raw:orgs_csv", "job:etl:load_orgs"));
        as(tenant).get("/api/v1/search?q=org&filter=job").then().statusCode(200)
                .body("totalCount", equalTo(1)).body("results[0].type", equalTo("JOB"));
    }

    @Test
    void stateFollowsEventTimeWhateverTheArrivalOrder() {
        String tenant = tenant("order");
        UUID runId = UUID.randomUUID();
        post(tenant, run("COMPLETE", T0.plusMinutes(5), runId, "etl", "j")).statusCode(201);
        post(tenant, run("RUNNING", T0.plusMinutes(2), runId, "etl", "j")).statusCode(201);
        post(tenant, run("START", T0, runId, "etl", "j")).statusCode(201);
        post(tenant, run("OTHER", T0.plusMinutes(9), runId, "etl", "j")).statusCode(201);
        as(tenant).get("/api/v1/jobs/runs/" + runId).then().statusCode(200)
                .body("state", equalTo("COMPLETED")).body("startedAt", equalTo("2026-11-01T10:00:00Z"))
                .body("endedAt", equalTo("2026-11-01T10:05:00Z")).body("durationMs", equalTo(300000));

        UUID running = UUID.randomUUID();
        post(tenant, run("RUNNING", T0.plusMinutes(1), running, "etl", "j")).statusCode(201);
        post(tenant, run("START", T0, running, "etl", "j")).statusCode(201);
        as(tenant).get("/api/v1/jobs/runs/" + running).then().body("state", equalTo("RUNNING")).body("endedAt", nullValue());

        UUID failed = UUID.randomUUID();
        post(tenant, run("START", T0, failed, "etl", "j")).statusCode(201);
        post(tenant, run("FAIL", T0.plusMinutes(1), failed, "etl", "j")).statusCode(201);
        as(tenant).get("/api/v1/jobs/runs/" + failed).then().body("state", equalTo("FAILED"));
    }

    @Test
    void aTenantSeesItsOwnNamespacesOnly() {
        String a = tenant("ta");
        String b = tenant("tb");
        UUID runId = UUID.randomUUID();
        post(a, run("START", T0, runId, "shared-name", "secret_job")).statusCode(201);
        as(b).get("/api/v1/namespaces").then().statusCode(200).body("namespaces", hasSize(0));
        as(b).get("/api/v1/namespaces/shared-name").then().statusCode(404).body("code", equalTo("namespace_not_found"));
        as(b).get("/api/v1/namespaces/shared-name/jobs").then().statusCode(404);
        as(b).get("/api/v1/namespaces/shared-name/jobs/secret_job").then().statusCode(404).body("code", equalTo("job_not_found"));
        as(b).get("/api/v1/jobs/runs/" + runId).then().statusCode(404).body("code", equalTo("run_not_found"));
        as(b).get("/api/v1/search?q=secret").then().statusCode(200).body("results", hasSize(0));
        // The same run id in another tenant is another run: it neither collides nor leaks.
        post(b, run("COMPLETE", T0, runId, "shared-name", "their_job")).statusCode(201);
        as(a).get("/api/v1/jobs/runs/" + runId).then().body("state", equalTo("RUNNING"));
        as(b).get("/api/v1/jobs/runs/" + runId).then().body("state", equalTo("COMPLETED"));
    }

    @Test
    void badRequestsNameTheField() {
        String tenant = tenant("bad");
        as(tenant).get("/api/v1/jobs/runs/not-a-uuid").then().statusCode(400).body("errors.field", hasItem("id"));
        as(tenant).get("/api/v1/search").then().statusCode(400).body("errors.field", hasItem("q"));
        as(tenant).get("/api/v1/namespaces?limit=0").then().statusCode(400).body("code", equalTo("validation_failed"));
        io.restassured.RestAssured.given().get("/api/v1/namespaces").then().statusCode(401);
    }
}
