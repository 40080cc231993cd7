package io.hotpass.enrichment.plan;

import static io.hotpass.platform.testing.RunnerJobs.assertHardened;
import static io.hotpass.platform.testing.RunnerJobs.env;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpass.enrichment.runner.KubernetesLauncher;
import io.hotpass.enrichment.runner.RunCommand;
import io.hotpass.enrichment.runner.RunDispatcher;
import io.hotpass.platform.testing.RunnerJobs;
import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kubernetes launcher against the fabric8 mock API server (CRUD mode): Job creation within the
 * concurrency limit, the Job's shape, a runner (emulated here by {@code --run} in this process)
 * reporting progress through the database, and status tracking: a succeeded Job is cleaned up, a
 * failed Job fails its plan, a vanished Job re-queues its plan, a stale Job's runner does nothing.
 * The dispatcher is driven by hand ({@link RunDispatcher#tick()}); its timer and wake-up are off.
 */
@QuarkusTest
@TestProfile(KubernetesRunnersTest.Profile.class)
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(IngestStub.class)
class KubernetesRunnersTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("hotpass.enrichment.runners.launcher", "kubernetes");
            m.put("hotpass.enrichment.runners.max-concurrent", "2");
            m.put("hotpass.enrichment.runners.poll-interval", "1h");
            m.put("hotpass.enrichment.runners.wake-on-create", "false");
            m.put("hotpass.enrichment.runners.kubernetes.namespace", NS);
            m.put("hotpass.enrichment.runners.kubernetes.image", "ghcr.io/hotpass/enrichment-service:test");
            m.put("hotpass.enrichment.runners.kubernetes.service-account", "hotpass-enrichment-runner");
            m.put("hotpass.enrichment.runners.kubernetes.instance", "hotpass");
            m.put("hotpass.enrichment.runners.kubernetes.env-from-config-map", "hotpass-enrichment");
            m.put("hotpass.enrichment.runners.kubernetes.lost-grace", "PT0S");
            m.put("hotpass.enrichment.runners.kubernetes.pod-name", "");
            m.put("hotpass.enrichment.service-api-key", "hp_test_service_key");
            return m;
        }
    }

    static final String NS = "hotpass-test";
    private static final String TENANT = "kube";
    private static final String TOKEN = TestTokens.forTenant(TENANT);

    @Inject
    KubernetesClient kube;

    @Inject
    RunDispatcher dispatcher;

    @Inject
    RunCommand command;

    private String registry;
    private RunnerJobs runners;

    private String createPlan() {
        if (registry == null) {
            UUID reg = IngestStub.dataset("register", List.of(IngestStub.row("_rowId", "c1", "registration_number",
                    "2001/123456/07", "phone", "+27215550123")));
            registry = "reg-" + UUID.randomUUID().toString().substring(0, 8);
            given().auth().oauth2(TOKEN).contentType(ContentType.JSON)
                    .body(Map.of("name", registry, "datasetId", reg, "matchOn", List.of("registration_number")))
                    .post("/registries").then().statusCode(201);
        }
        UUID ds = IngestStub.dataset("orgs", List.of(IngestStub.row("_rowId", "r1", "registration_number", "2001/123456/07")));
        return given().auth().oauth2(TOKEN).contentType(ContentType.JSON)
                .body(Map.of("datasetId", ds, "version", 1, "fields", List.of("phone"), "sources",
                        List.of("registry:" + registry)))
                .post("/plans").then().statusCode(201).body("status", equalTo("running")).extract().path("id");
    }

    private static RunnerJobs.QueueRow run(String id) throws Exception {
        return RunnerJobs.queueRow("hotpass_enrichment_test", "plan_run", "plan_id", id);
    }

    @BeforeEach
    void runnerJobs() {
        runners = new RunnerJobs(kube, NS, "enrichment-service", KubernetesLauncher.PLAN_LABEL);
    }

    @Test
    void runnerJobsAreCreatedWithinTheLimitTrackedAndCleanedUp() throws Exception {
        String a = createPlan();
        String b = createPlan();
        String c = createPlan();
        assertEquals(2, dispatcher.tick(), "two Jobs at once (max-concurrent 2)");
        Map<String, Job> jobs = runners.byRun();
        assertEquals(2, jobs.size());
        assertEquals("queued", run(c).state(), "the third plan waits its turn");
        assertEquals(0, dispatcher.tick(), "no slot while two run");

        // The Job's shape.
        Job ja = jobs.get(a);
        assertNotNull(ja, "plan " + a + " has its Job");
        assertEquals("enrichment-run-" + a + "-1", ja.getMetadata().getName());
        assertEquals(ja.getMetadata().getName(), run(a).runnerJob());
        assertHardened(ja);
        Map<String, String> labels = ja.getMetadata().getLabels();
        assertEquals("enrichment-service-runner", labels.get("app.kubernetes.io/name"), "not selected by the Service");
        assertEquals("hotpass", labels.get("app.kubernetes.io/instance"));
        assertEquals("plan-runner", labels.get("app.kubernetes.io/component"));
        assertEquals(a, labels.get("hotpass.io/plan-id"));
        assertEquals(TENANT, ja.getMetadata().getAnnotations().get("hotpass.io/tenant"));
        assertEquals(3600, ja.getSpec().getTtlSecondsAfterFinished());
        assertEquals(21600L, ja.getSpec().getActiveDeadlineSeconds());
        PodSpec pod = ja.getSpec().getTemplate().getSpec();
        assertEquals("hotpass-enrichment-runner", pod.getServiceAccountName());
        Container ct = pod.getContainers().get(0);
        assertEquals("ghcr.io/hotpass/enrichment-service:test", ct.getImage());
        assertEquals(List.of("--run", a), ct.getArgs());
        assertEquals("512Mi", ct.getResources().getRequests().get("memory").toString());
        assertEquals("1Gi", ct.getResources().getLimits().get("memory").toString());
        assertEquals("hotpass-enrichment", ct.getEnvFrom().get(0).getConfigMapRef().getName());
        assertEquals(ja.getMetadata().getName(), env(ct, "HOTPASS_ENRICHMENT_RUNNERS_JOB"));
        assertEquals("false", env(ct, "HOTPASS_ENRICHMENT_RUNNERS_DISPATCH"));

        // Plan a: its runner (this process standing in for the Job's pod) computes it and exits 0.
        assertEquals(0, command.run(UUID.fromString(a), Optional.of(ja.getMetadata().getName())));
        given().auth().oauth2(TOKEN).get("/plans/" + a).then().body("status", equalTo("ready"))
                .body("changes", equalTo(1)).body("progress.rowsDone", equalTo(1));
        runners.finish(ja, true, null);

        // Plan b: its Job fails (deadline exceeded): the plan fails with the reason, nothing kept.
        Job jb = jobs.get(b);
        runners.finish(jb, false, "DeadlineExceeded");

        assertEquals(1, dispatcher.tick(), "finished Jobs free their slots; plan c starts");
        Map<String, Job> now = runners.byRun();
        assertEquals(List.of(c), List.copyOf(now.keySet()), "finished Jobs are deleted");
        given().auth().oauth2(TOKEN).get("/plans/" + b).then().body("status", equalTo("failed"))
                .body("error.code", equalTo("runner_failed"))
                .body("error.detail", startsWith("the runner Job enrichment-run-" + b + "-1 failed (DeadlineExceeded"));
        assertEquals("done", run(b).state());
        given().auth().oauth2(TOKEN).get("/plans/" + a).then().body("status", equalTo("ready"));

        // Plan c: its Job vanishes (deleted, node lost): the plan is queued again and gets a new Job.
        String firstJob = now.get(c).getMetadata().getName();
        runners.vanish(firstJob);
        assertEquals(1, dispatcher.tick());
        Job second = runners.byRun().get(c);
        assertEquals("enrichment-run-" + c + "-2", second.getMetadata().getName());
        assertEquals(2, run(c).attempts());

        // The first Job's pod starting late does nothing: the run is the second Job's now.
        assertEquals(1, command.run(UUID.fromString(c), Optional.of(firstJob)));
        assertEquals("running", run(c).state());
        assertEquals(0, command.run(UUID.fromString(c), Optional.of(second.getMetadata().getName())));
        given().auth().oauth2(TOKEN).get("/plans/" + c).then().body("status", equalTo("ready")).body("changes", equalTo(1));
        runners.finish(second, true, null);
        assertEquals(0, dispatcher.tick());
        assertTrue(runners.byRun().isEmpty(), "every finished Job is cleaned up");
        assertNull(runners.byRun().get(c));
    }

    @Test
    void aJobThatKeepsVanishingFailsThePlanOnceAttemptsAreSpent() throws Exception {
        String p = createPlan();
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertEquals(1, dispatcher.tick(), "attempt " + attempt);
            Job j = runners.byRun().get(p);
            assertEquals("enrichment-run-" + p + "-" + attempt, j.getMetadata().getName());
            runners.vanish(j.getMetadata().getName());
        }
        assertEquals(0, dispatcher.tick());
        given().auth().oauth2(TOKEN).get("/plans/" + p).then().body("status", equalTo("failed"))
                .body("error.code", equalTo("runner_lost"));
        assertEquals("done", run(p).state());
        assertTrue(runners.byRun().isEmpty());
    }
}
