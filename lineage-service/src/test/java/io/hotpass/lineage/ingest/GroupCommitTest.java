package io.hotpass.lineage.ingest;

import static io.hotpass.lineage.testing.Events.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotpass.lineage.testing.Events;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Group commit: many events in one transaction, each of them standing or falling on its own. */
@QuarkusTest
class GroupCommitTest {

    @Inject
    GroupCommit groupCommit;

    @Inject
    LineageIngestion ingestion;

    @TestHTTPResource("/api/v1/lineage")
    URI lineage;

    static ObjectNode event(String job, String output) {
        ObjectNode e = Events.run("START", OffsetDateTime.parse("2026-11-26T10:00:00Z"), UUID.nameUUIDFromBytes(job.getBytes()),
                "ns", job);
        Events.dataset(e, "inputs", "ns", "source");
        Events.schema(Events.dataset(e, "outputs", "ns", output), "id", "BIGINT");
        return e;
    }

    @Test
    void aBadEventInAGroupCostsOnlyItselfAndADuplicateInsideTheGroupIsStoredOnce() throws Exception {
        String tenant = Events.tenant("group");
        String other = Events.tenant("group-other");
        List<GroupCommit.Pending> group = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            group.add(ingestion.prepare(i % 2 == 0 ? tenant : other, event("job-" + i, "out-" + i), null));
        }
        // Valid to the spec, but PostgreSQL cannot store a NUL character: it fails inside the transaction.
        GroupCommit.Pending bad = ingestion.prepare(tenant, event("job-\u0000-bad", "out-bad"), null);
        group.add(3, bad);
        GroupCommit.Pending duplicate = ingestion.prepare(tenant, event("job-0", "out-0"), null);
        group.add(duplicate);

        groupCommit.commit(group);

        ExecutionException failure = null;
        try {
            bad.result().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            failure = e;
        }
        assertTrue(failure != null && failure.getCause() instanceof ProblemException p && p.status() == 422,
                "the bad event is refused with 422: " + failure);
        for (GroupCommit.Pending p : group) {
            if (p != bad && p != duplicate) {
                assertTrue(p.result().get(10, TimeUnit.SECONDS), "stored");
            }
        }
        assertFalse(duplicate.result().get(10, TimeUnit.SECONDS), "the repeat inside the group is stored once");

        // Each event committed under its own tenant, with its projection.
        as(tenant).get("/api/v1/events/lineage").then().statusCode(200).body("events", hasSize(3));
        as(other).get("/api/v1/events/lineage").then().statusCode(200).body("events", hasSize(3));
        as(tenant).get("/api/v1/namespaces/ns/jobs").then().statusCode(200)
                .body("jobs.name", containsInAnyOrder("job-0", "job-2", "job-4"));
        as(other).get("/api/v1/namespaces/ns/datasets/out-5").then().statusCode(200)
                .body("fields[0].name", equalTo("id"));
    }

    @Test
    void eventsOfOneGroupSeeEachOthersDatasetChangesInOrder() throws Exception {
        String tenant = Events.tenant("group-order");
        OffsetDateTime t = OffsetDateTime.parse("2026-11-26T09:00:00Z");
        UUID r1 = UUID.randomUUID();
        UUID r2 = UUID.randomUUID();
        UUID r3 = UUID.randomUUID();
        ObjectNode writesX = Events.run("START", t, r1, "ns", "writer");
        Events.schema(Events.dataset(writesX, "outputs", "ns", "x"), "a", "INT");
        ObjectNode readsX = Events.run("START", t.plusMinutes(1), r2, "ns", "reader");
        Events.dataset(readsX, "inputs", "ns", "x");
        ObjectNode describesX = Events.JSON.createObjectNode();
        describesX.put("eventTime", t.plusMinutes(2).toString()).put("producer", "https://example.com/hotpass-tests")
                .put("schemaURL", "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent");
        ObjectNode dataset = describesX.putObject("dataset").put("namespace", "ns").put("name", "x");
        Events.facet(dataset.putObject("facets"), "documentation").put("description", "described by a DatasetEvent");
        Events.schema(dataset, "a", "INT", "b", "INT");
        ObjectNode rewritesX = Events.run("COMPLETE", t.plusMinutes(3), r3, "ns", "rewriter");
        Events.schema(Events.dataset(rewritesX, "outputs", "ns", "x"), "a", "INT", "b", "INT", "c", "INT");

        for (GroupCommit.Pending p : commitTogether(tenant, writesX, readsX, describesX, rewritesX)) {
            assertTrue(p.result().get(10, TimeUnit.SECONDS));
        }

        // As if recorded one after the other: the reader read the version the first run wrote ...
        String written = as(tenant).get("/api/v1/jobs/runs/" + r1).then().statusCode(200)
                .extract().path("outputDatasetVersions[0].datasetVersionId.version");
        as(tenant).get("/api/v1/jobs/runs/" + r2).then().statusCode(200)
                .body("inputDatasetVersions[0].datasetVersionId.version", equalTo(written));
        // ... and the dataset ends as the last events left it.
        String rewritten = as(tenant).get("/api/v1/jobs/runs/" + r3).then().statusCode(200)
                .extract().path("outputDatasetVersions[0].datasetVersionId.version");
        as(tenant).get("/api/v1/namespaces/ns/datasets/x").then().statusCode(200)
                .body("currentVersion", equalTo(rewritten))
                .body("description", equalTo("described by a DatasetEvent"))
                .body("fields.name", contains("a", "b", "c"))
                .body("lastModifiedAt", equalTo("2026-11-26T09:03:00Z"));
        assertFalse(written.equals(rewritten));
    }

    @Test
    void runsWhoseEventsShareAGroupGetTheStateJobAndJobVersionOfEventsRecordedOneByOne() throws Exception {
        String tenant = Events.tenant("group-runs");
        OffsetDateTime t = OffsetDateTime.parse("2026-11-26T08:00:00Z");
        UUID r1 = UUID.randomUUID();
        UUID r2 = UUID.randomUUID();
        // r1: START and COMPLETE in one group, each naming datasets the other does not.
        ObjectNode start1 = Events.run("START", t, r1, "ns", "j1");
        Events.facet((ObjectNode) start1.path("job").path("facets"), "documentation").put("description", "first");
        Events.dataset(start1, "inputs", "ns", "a");
        Events.dataset(start1, "outputs", "ns", "b");
        ObjectNode complete1 = Events.run("COMPLETE", t.plusMinutes(1), r1, "ns", "j1");
        Events.dataset(complete1, "inputs", "ns", "c");
        // r2: COMPLETE before START in the same group; the run stays finished, START still gives its start.
        ObjectNode complete2 = Events.run("COMPLETE", t.plusMinutes(3), r2, "ns", "j2");
        Events.dataset(complete2, "outputs", "ns", "d");
        ObjectNode start2 = Events.run("START", t.plusMinutes(2), r2, "ns", "j2");
        Events.facet((ObjectNode) start2.path("job").path("facets"), "jobType").put("processingType", "STREAMING");

        List<GroupCommit.Pending> group = commitTogether(tenant, start1, complete1, complete2, start2, start1);
        for (int i = 0; i < 4; i++) {
            assertTrue(group.get(i).result().get(10, TimeUnit.SECONDS), "stored: " + i);
        }
        assertFalse(group.get(4).result().get(10, TimeUnit.SECONDS), "the repeat of r1's START is stored once");

        as(tenant).get("/api/v1/events/lineage").then().statusCode(200).body("events", hasSize(4));
        String version1 = as(tenant).get("/api/v1/jobs/runs/" + r1).then().statusCode(200)
                .body("state", equalTo("COMPLETED"))
                .body("startedAt", equalTo("2026-11-26T08:00:00Z")).body("endedAt", equalTo("2026-11-26T08:01:00Z"))
                .body("inputDatasetVersions.datasetVersionId.name", containsInAnyOrder("a", "c"))
                .extract().path("jobVersion.version");
        // The version of a run finished in the group is made of everything the run read and wrote, START's included.
        as(tenant).get("/api/v1/namespaces/ns/jobs/j1/versions").then().statusCode(200)
                .body("versions", hasSize(1)).body("versions[0].version", equalTo(version1))
                .body("versions[0].inputs.name", contains("a", "c")).body("versions[0].outputs.name", contains("b"));
        as(tenant).get("/api/v1/namespaces/ns/jobs/j1").then().statusCode(200)
                .body("description", equalTo("first")).body("latestRun.id", equalTo(r1.toString()))
                .body("currentVersion", equalTo(version1));
        String version2 = as(tenant).get("/api/v1/jobs/runs/" + r2).then().statusCode(200)
                .body("state", equalTo("COMPLETED"))
                .body("startedAt", equalTo("2026-11-26T08:02:00Z")).body("endedAt", equalTo("2026-11-26T08:03:00Z"))
                .extract().path("jobVersion.version");
        as(tenant).get("/api/v1/namespaces/ns/jobs/j2").then().statusCode(200)
                .body("type", equalTo("STREAM")).body("latestRun.id", equalTo(r2.toString()))
                .body("currentVersion", equalTo(version2));
        as(tenant).get("/api/v1/namespaces/ns/jobs/j2/versions").then().statusCode(200)
                .body("versions", hasSize(1)).body("versions[0].outputs.name", contains("d"));
    }

    @Test
    void aJobNamedByManyEventsOfAGroupEndsAsTheirLastChangesLeftIt() throws Exception {
        String tenant = Events.tenant("group-job");
        OffsetDateTime t = OffsetDateTime.parse("2026-11-26T10:00:00Z");
        UUID r1 = UUID.randomUUID();
        UUID r2 = UUID.randomUUID();
        ObjectNode start1 = Events.run("START", t, r1, "ns", "j");
        ObjectNode jobFacets1 = (ObjectNode) start1.path("job").path("facets");
        Events.facet(jobFacets1, "documentation").put("description", "first");
        Events.facet(jobFacets1, "owner").put("team", "a");
        Events.facet(jobFacets1, "sourceCodeLocation").put("type", "git").put("url", "https://example.com/one");
        ObjectNode complete1 = Events.run("COMPLETE", t.plusMinutes(1), r1, "ns", "j");
        Events.dataset(complete1, "outputs", "ns", "out1");
        ObjectNode start2 = Events.run("START", t.plusMinutes(2), r2, "ns", "j");
        ObjectNode jobFacets2 = (ObjectNode) start2.path("job").path("facets");
        Events.facet(jobFacets2, "owner").put("team", "b");
        Events.facet(jobFacets2, "sql").put("query", "select 1");
        Events.facet(jobFacets2, "sourceCodeLocation").put("type", "git").put("url", "https://example.com/two");
        ObjectNode complete2 = Events.run("COMPLETE", t.plusMinutes(3), r2, "ns", "j");
        Events.dataset(complete2, "outputs", "ns", "out2");

        for (GroupCommit.Pending p : commitTogether(tenant, start1, complete1, start2, complete2)) {
            assertTrue(p.result().get(10, TimeUnit.SECONDS));
        }

        // Facets merged key by key in the events' order (the later owner wins, the earlier
        // documentation stays), the last location and run, and the last finished run's version current.
        String version2 = as(tenant).get("/api/v1/jobs/runs/" + r2).then().statusCode(200).extract().path("jobVersion.version");
        String version1 = as(tenant).get("/api/v1/jobs/runs/" + r1).then().statusCode(200).extract().path("jobVersion.version");
        as(tenant).get("/api/v1/namespaces/ns/jobs/j").then().statusCode(200)
                .body("description", equalTo("first"))
                .body("facets.owner.team", equalTo("b"))
                .body("facets.sql.query", equalTo("select 1"))
                .body("facets.documentation.description", equalTo("first"))
                .body("location", equalTo("https://example.com/two"))
                .body("latestRun.id", equalTo(r2.toString()))
                .body("currentVersion", equalTo(version2));
        as(tenant).get("/api/v1/namespaces/ns/jobs/j/versions").then().statusCode(200)
                .body("versions.version", containsInAnyOrder(version1, version2));
        assertFalse(version1.equals(version2));
    }

    @Test
    void aJobVersionIsMadeOfItsShapeInAFixedFormSoItIsTheSameAfterARestart() throws Exception {
        String tenant = Events.tenant("group-version");
        UUID runId = UUID.randomUUID();
        ObjectNode complete = Events.run("COMPLETE", OffsetDateTime.parse("2026-11-26T07:00:00Z"), runId, "ns", "shaped");
        Events.dataset(complete, "inputs", "ns", "in");
        Events.dataset(complete, "outputs", "ns", "out");
        Events.post(tenant, complete).statusCode(201);
        long jobId;
        try (java.sql.Connection owner = io.hotpass.platform.testing.TestDatabase.asOwner("hotpass_lineage_test");
                java.sql.PreparedStatement ps = owner.prepareStatement("select id from lineage_job where tenant_id = ? and name = 'shaped'")) {
            ps.setString(1, tenant);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                jobId = rs.getLong(1);
            }
        }
        // Keys in a fixed order (namespace, name): not the order a Map.of happens to iterate in this JVM.
        UUID expected = UUID.nameUUIDFromBytes((tenant + "|" + jobId + "|[{\"namespace\":\"ns\",\"name\":\"in\"}]|"
                + "[{\"namespace\":\"ns\",\"name\":\"out\"}]|null").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        as(tenant).get("/api/v1/jobs/runs/" + runId).then().statusCode(200).body("jobVersion.version", equalTo(expected.toString()));
    }

    @Test
    void concurrentPostsAreAnsweredAfterTheirGroupCommits() throws Exception {
        String tenant = Events.tenant("group-http");
        String token = TestTokens.forTenant(tenant);
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                bodies.add(event("job-" + i, "out-" + (i % 5)).toString());
            }
            bodies.add(20, event("job-\u0000", "out-0").toString());
            bodies.add(event("job-7", "out-2").toString()); // the same event as job-7's: posted twice at once
            for (String body : bodies) {
                answers.add(pool.submit(() -> http.send(HttpRequest.newBuilder(lineage).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertEquals(i == 20 ? 422 : 201, answers.get(i).get(60, TimeUnit.SECONDS), "answer to post " + i);
            }
        } finally {
            pool.shutdownNow();
        }
        // 40 distinct valid events, each stored once, each with its run and job.
        as(tenant).get("/api/v1/events/lineage?limit=1000").then().statusCode(200).body("events", hasSize(40));
        as(tenant).get("/api/v1/namespaces/ns/jobs?limit=100").then().statusCode(200).body("jobs", hasSize(40));
        as(tenant).get("/api/v1/namespaces/ns/jobs/job-7/runs").then().statusCode(200).body("runs", hasSize(1))
                .body("runs[0].state", equalTo("RUNNING"));
    }

    /** Records the tenant's events as one group, in this order, as a writer would; their results complete after its commit. */
    private List<GroupCommit.Pending> commitTogether(String tenant, ObjectNode... events) {
        List<GroupCommit.Pending> group = new ArrayList<>();
        for (ObjectNode e : events) {
            group.add(ingestion.prepare(tenant, e, null));
        }
        groupCommit.commit(group);
        return group;
    }
}
