package io.hotpass.ingest.runner;

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
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpass.platform.testing.RunnerJobs;
import io.hotpass.platform.testing.TestDatabase;
import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous uploads on the kubernetes launcher, against the fabric8 mock API server (CRUD mode):
 * Job creation within the concurrency limit and the Job's shape (the service's image with
 * {@code --run <id>}, the service pod's environment); a runner (this process standing in for the
 * Job's pod, through {@code --run}) storing its upload; status tracking: a succeeded Job is deleted,
 * a failed Job fails its run ({@code runner_failed}) and drops its staged file, a vanished Job
 * re-queues it and a stale Job's runner writes nothing; a Job that keeps vanishing spends the run's
 * attempts ({@code runner_lost}). The dispatcher is driven by hand; its timer and wake-up are off.
 */
@QuarkusTest
@TestProfile(UploadRunnersTest.Profile.class)
@WithKubernetesTestServer(crud = true)
class UploadRunnersTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("hotpass.ingest.runners.launcher", "kubernetes");
            m.put("hotpass.ingest.runners.max-concurrent", "2");
            m.put("hotpass.ingest.runners.poll-interval", "1h");
            m.put("hotpass.ingest.runners.wake-on-queue", "false");
            m.put("hotpass.ingest.runners.kubernetes.namespace", NS);
            m.put("hotpass.ingest.runners.kubernetes.image", "ghcr.io/hotpass/ingest-service:test");
            m.put("hotpass.ingest.runners.kubernetes.service-account", "hotpass-ingest-runner");
            m.put("hotpass.ingest.runners.kubernetes.instance", "hotpass");
            m.put("hotpass.ingest.runners.kubernetes.env-from-config-map", "hotpass-ingest");
            m.put("hotpass.ingest.runners.kubernetes.lost-grace", "PT0S");
            m.put("hotpass.ingest.runners.kubernetes.pod-name", SERVICE_POD);
            return m;
        }
    }

    static final String NS = "hotpass-test";
    static final String DB = "hotpass_ingest_test";
    static final String SERVICE_POD = "hotpass-ingest-service-7c5d8-k2p9z";
    static final RestAssuredConfig AS_SENT = io.restassured.RestAssured.config().encoderConfig(
            EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    @Inject
    KubernetesClient kube;

    @Inject
    UploadDispatcher dispatcher;

    @Inject
    RunCommand command;

    private final String tenant = "kube-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> datasetOf = new HashMap<>();
    private RunnerJobs runners;

    private RequestSpecification as() {
        return given().config(AS_SENT).auth().oauth2(TestTokens.forTenant(tenant));
    }

    private String queueUpload() {
        String ds = as().contentType(ContentType.JSON).body("{\"name\":\"orgs-" + UUID.randomUUID().toString().substring(0, 6)
                + "\",\"profile\":\"organisation\"}").post("/datasets").then().statusCode(201).extract().path("id");
        StringBuilder b = new StringBuilder("Organisation Name,Contact Email\n");
        for (int i = 0; i < 200; i++) {
            b.append("Org ").append(i).append(",info").append(i).append("@org.co.za\n");
        }
        String run = as().contentType("text/csv").header("X-File-Name", "orgs.csv")
                .body(b.toString().getBytes(StandardCharsets.UTF_8)).post("/datasets/" + ds + "/uploads?async=true")
                .then().statusCode(202).body("state", equalTo("queued")).extract().path("id");
        datasetOf.put(run, ds);
        return run;
    }

    static long count(String sql, Object... args) throws Exception {
        try (Connection c = TestDatabase.asOwner(DB); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static RunnerJobs.QueueRow queued(String id) throws Exception {
        return RunnerJobs.queueRow(DB, "upload_run_queue", "run_id", id);
    }

    private long versions(String run) throws Exception {
        return count("select count(*) from dataset_version where dataset_id = ?::uuid", datasetOf.get(run));
    }

    private long staged(String run) throws Exception {
        return count("select count(*) from upload_staged_chunk where run_id = ?::uuid", run);
    }

    @BeforeEach
    void runnerJobs() {
        runners = new RunnerJobs(kube, NS, "ingest-service", KubernetesLauncher.RUN_LABEL);
    }

    @Test
    void runnerJobsAreCreatedWithinTheLimitTrackedAndCleanedUp() throws Exception {
        // The service pod as the chart runs it: its environment from the ConfigMap and Secret references, plus runner settings.
        runners.servicePod(SERVICE_POD, "ingest-service", "ghcr.io/hotpass/ingest-service:test", "HOTPASS_INGEST_RUNNERS_",
                "hotpass-ingest-database");
        String a = queueUpload();
        String b = queueUpload();
        String c = queueUpload();
        assertEquals(2, dispatcher.tick(), "two Jobs at once (max-concurrent 2)");
        Map<String, Job> jobs = runners.byRun();
        assertTrue(jobs.keySet().containsAll(List.of(a, b)), "the oldest runs go first: " + jobs.keySet());
        assertEquals("queued", queued(c).state(), "the third run waits its turn");
        as().get("/runs/" + c).then().body("state", equalTo("queued"));
        as().get("/runs/" + a).then().body("state", equalTo("received"));
        assertEquals(0, dispatcher.tick(), "no slot while two run");

        // The Job's shape: the service's image and environment, --run <id>.
        Job ja = jobs.get(a);
        assertNotNull(ja, "run " + a + " has its Job");
        assertEquals("upload-run-" + a + "-1", ja.getMetadata().getName());
        assertEquals(ja.getMetadata().getName(), queued(a).runnerJob());
        assertHardened(ja);
        Map<String, String> labels = ja.getMetadata().getLabels();
        assertEquals("ingest-service-runner", labels.get("app.kubernetes.io/name"), "not selected by the Service");
        assertEquals("hotpass", labels.get("app.kubernetes.io/instance"));
        assertEquals("upload-runner", labels.get("app.kubernetes.io/component"));
        assertEquals(a, labels.get(KubernetesLauncher.RUN_LABEL));
        assertEquals(tenant, ja.getMetadata().getAnnotations().get("hotpass.io/tenant"));
        assertEquals("1", ja.getMetadata().getAnnotations().get("hotpass.io/attempt"));
        PodSpec pod = ja.getSpec().getTemplate().getSpec();
        assertEquals("hotpass-ingest-runner", pod.getServiceAccountName());
        Container ct = pod.getContainers().get(0);
        assertEquals("ghcr.io/hotpass/ingest-service:test", ct.getImage());
        assertEquals(List.of("--run", a), ct.getArgs());
        assertEquals("1Gi", ct.getResources().getLimits().get("memory").toString());
        assertEquals("2Gi", pod.getVolumes().get(0).getEmptyDir().getSizeLimit().toString(), "XLSX spools to /tmp");
        assertEquals(List.of("hotpass-ingest-database", "hotpass-ingest"), ct.getEnvFrom().stream()
                .map(e -> e.getSecretRef() != null ? e.getSecretRef().getName() : e.getConfigMapRef().getName()).toList());
        EnvVar key = ct.getEnv().stream().filter(e -> e.getName().equals("HOTPASS_SERVICE_API_KEY")).findFirst().orElseThrow();
        assertNull(key.getValue(), "no secret value is copied into the Job");
        assertEquals(NS, env(ct, "HOTPASS_RUNNERS_NAMESPACE"));
        assertEquals(ja.getMetadata().getName(), env(ct, "HOTPASS_INGEST_RUNNERS_JOB"));
        assertEquals(List.of("false"), ct.getEnv().stream().filter(e -> e.getName().equals("HOTPASS_INGEST_RUNNERS_DISPATCH"))
                .map(EnvVar::getValue).toList(), "the runner never dispatches, whatever the service pod says");

        // Run a: its runner stores it and exits 0.
        assertEquals(0, command.run(UUID.fromString(a), Optional.of(ja.getMetadata().getName())));
        as().get("/runs/" + a).then().body("state", equalTo("stored")).body("version", equalTo(1))
                .body("rowsStored", equalTo(200));
        assertEquals(0, staged(a));
        runners.finish(ja, true, null);

        // Run b: its Job fails (deadline exceeded) before it stored anything: the run fails, its staged file goes.
        assertTrue(staged(b) > 0);
        runners.finish(jobs.get(b), false, "DeadlineExceeded");

        assertEquals(1, dispatcher.tick(), "finished Jobs free their slots; run c starts");
        Map<String, Job> now = runners.byRun();
        assertEquals(List.of(c), List.copyOf(now.keySet()), "finished Jobs are deleted");
        as().get("/runs/" + b).then().body("state", equalTo("failed")).body("errorCode", equalTo("runner_failed"))
                .body("errorDetail", startsWith("the runner Job upload-run-" + b + "-1 failed (DeadlineExceeded"));
        assertEquals("done", queued(b).state());
        assertEquals(0, staged(b));
        assertEquals(0, versions(b));
        as().get("/runs/" + a).then().body("state", equalTo("stored"));

        // Run c: its Job vanishes (deleted, node lost): the run is queued again and gets a new Job.
        String firstJob = now.get(c).getMetadata().getName();
        runners.vanish(firstJob);
        assertEquals(1, dispatcher.tick());
        Job second = runners.byRun().get(c);
        assertEquals("upload-run-" + c + "-2", second.getMetadata().getName());
        assertEquals(2, queued(c).attempts());

        // The first Job's pod starting late does nothing: the run is the second Job's now.
        assertEquals(1, command.run(UUID.fromString(c), Optional.of(firstJob)));
        assertEquals("running", queued(c).state());
        assertEquals(0, versions(c));
        assertEquals(0, command.run(UUID.fromString(c), Optional.of(second.getMetadata().getName())));
        as().get("/runs/" + c).then().body("state", equalTo("stored")).body("version", equalTo(1));
        assertEquals(1, versions(c));
        runners.finish(second, true, null);
        assertEquals(0, dispatcher.tick());
        assertTrue(runners.byRun().isEmpty(), "every finished Job is cleaned up");
    }

    @Test
    void aJobThatKeepsVanishingFailsTheRunOnceAttemptsAreSpent() throws Exception {
        String r = queueUpload();
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertEquals(1, dispatcher.tick(), "attempt " + attempt);
            Job j = runners.byRun().get(r);
            assertEquals("upload-run-" + r + "-" + attempt, j.getMetadata().getName());
            runners.vanish(j.getMetadata().getName());
        }
        assertEquals(0, dispatcher.tick());
        as().get("/runs/" + r).then().body("state", equalTo("failed")).body("errorCode", equalTo("runner_lost"));
        assertEquals("done", queued(r).state());
        assertEquals(0, staged(r));
        assertEquals(0, versions(r));
        assertTrue(runners.byRun().isEmpty());
    }
}
