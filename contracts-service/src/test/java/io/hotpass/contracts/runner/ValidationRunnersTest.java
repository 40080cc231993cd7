package io.hotpass.contracts.runner;

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
import io.hotpass.contracts.testing.FakeIngest;
import io.hotpass.contracts.testing.FakeIngestResource;
import io.hotpass.platform.testing.RecordingReceiverResource;
import io.hotpass.platform.testing.RunnerJobs;
import io.hotpass.platform.testing.TestDatabase;
import io.hotpass.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Queued validations on the kubernetes launcher, against the fabric8 mock API server (CRUD mode):
 * Job creation within the concurrency limit and the Job's shape; a runner (this process standing in
 * for the Job's pod, through {@code --run}) validating its run with the service pod's environment;
 * status tracking: a succeeded Job is
 * deleted, a failed Job ends its run in error ({@code runner_failed}), a vanished Job re-queues it
 * and a stale Job's runner writes nothing; an expired lease is claimed again and spent attempts end
 * the run ({@code run_interrupted}). The dispatcher is driven by hand; its timer and wake-up are off.
 */
@QuarkusTest
@TestProfile(ValidationRunnersTest.Profile.class)
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(FakeIngestResource.class)
@QuarkusTestResource(RecordingReceiverResource.class)
class ValidationRunnersTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("hotpass.contracts.runners.launcher", "kubernetes");
            m.put("hotpass.contracts.runners.max-concurrent", "2");
            m.put("hotpass.contracts.runners.poll-interval", "1h");
            m.put("hotpass.contracts.runners.wake-on-queue", "false");
            m.put("hotpass.contracts.runners.kubernetes.namespace", NS);
            m.put("hotpass.contracts.runners.kubernetes.image", "ghcr.io/hotpass/contracts-service:test");
            m.put("hotpass.contracts.runners.kubernetes.service-account", "hotpass-contracts-runner");
            m.put("hotpass.contracts.runners.kubernetes.instance", "hotpass");
            m.put("hotpass.contracts.runners.kubernetes.env-from-config-map", "hotpass-contracts");
            m.put("hotpass.contracts.runners.kubernetes.lost-grace", "PT0S");
            m.put("hotpass.contracts.runners.kubernetes.pod-name", SERVICE_POD);
            return m;
        }
    }

    static final String NS = "hotpass-test";
    /** The service's own pod as the runner Jobs' environment comes from (created in the mock server by the shape test). */
    static final String SERVICE_POD = "hotpass-contracts-service-6d9f7-x2x4q";
    static final FakeIngest INGEST = FakeIngestResource.INGEST;
    static final RestAssuredConfig YAML = io.restassured.RestAssured.config()
            .encoderConfig(EncoderConfig.encoderConfig().encodeContentTypeAs("application/yaml", ContentType.TEXT));

    @Inject
    KubernetesClient kube;

    @Inject
    ValidationDispatcher dispatcher;

    @Inject
    RunCommand command;

    private final String tenant = "kube-" + UUID.randomUUID().toString().substring(0, 8);
    private final String token = TestTokens.forTenant(tenant);
    private FakeIngest.Dataset dataset;
    private RunnerJobs runners;

    /** Row i: row 0 has no name (an error-severity failure), the rest are clean. */
    static Map<String, Object> row(int i) {
        return Map.of("_rowId", "r" + i, "name", i == 0 ? "" : "Org " + i, "registration_number", "REG-" + i);
    }

    private UUID dataset() {
        if (dataset == null) {
            dataset = INGEST.add(tenant, "orgs", 1, 50, ValidationRunnersTest::row);
            String contract = "name: c-orgs\nversion: 1.0.0\ndataset: orgs\nfields:\n"
                    + "  name: {type: string, required: true}\n"
                    + "  registration_number: {type: string, required: true, unique: true}\n";
            String id = given().config(YAML).auth().oauth2(token).contentType("application/yaml").body(contract)
                    .post("/contracts").then().statusCode(201).extract().path("id");
            given().auth().oauth2(token).post("/contracts/" + id + "/activate").then().statusCode(200);
        }
        return dataset.id();
    }

    private String queueRun() {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"datasetId\":\"" + dataset() + "\",\"version\":0,\"mode\":\"async\"}").post("/validations")
                .then().statusCode(202).body("status", equalTo("queued")).extract().path("id");
    }

    private static RunnerJobs.QueueRow queued(String id) throws Exception {
        return RunnerJobs.queueRow("hotpass_contracts_test", "validation_run_queue", "run_id", id);
    }

    private static void expireLease(String id) throws Exception {
        try (Connection c = TestDatabase.asOwner("hotpass_contracts_test"); PreparedStatement ps = c.prepareStatement(
                "update validation_run_queue set lease_expires_at = now() - interval '1 second' where run_id = ?::uuid")) {
            ps.setString(1, id);
            assertEquals(1, ps.executeUpdate());
        }
    }

    @BeforeEach
    void runnerJobs() {
        runners = new RunnerJobs(kube, NS, "contracts-service", KubernetesLauncher.RUN_LABEL);
    }

    @Test
    void runnerJobsAreCreatedWithinTheLimitTrackedAndCleanedUp() throws Exception {
        // The service pod as the chart runs it: its environment from the ConfigMap and Secret references, plus runner settings.
        runners.servicePod(SERVICE_POD, "contracts-service", "ghcr.io/hotpass/contracts-service:test",
                "HOTPASS_CONTRACTS_RUNNERS_", "hotpass-contracts-database");
        String a = queueRun();
        String b = queueRun();
        String c = queueRun();
        assertEquals(2, dispatcher.tick(), "two Jobs at once (max-concurrent 2)");
        Map<String, Job> jobs = runners.byRun();
        assertTrue(jobs.keySet().containsAll(List.of(a, b)), "the oldest runs go first: " + jobs.keySet());
        assertEquals("queued", queued(c).state(), "the third run waits its turn");
        given().auth().oauth2(token).get("/validations/" + c).then().body("status", equalTo("queued"));
        assertEquals(0, dispatcher.tick(), "no slot while two run");

        // The Job's shape.
        Job ja = jobs.get(a);
        assertNotNull(ja, "run " + a + " has its Job");
        assertEquals("validation-run-" + a + "-1", ja.getMetadata().getName());
        assertEquals(ja.getMetadata().getName(), queued(a).runnerJob());
        assertHardened(ja);
        Map<String, String> labels = ja.getMetadata().getLabels();
        assertEquals("contracts-service-runner", labels.get("app.kubernetes.io/name"), "not selected by the Service");
        assertEquals("hotpass", labels.get("app.kubernetes.io/instance"));
        assertEquals("validation-runner", labels.get("app.kubernetes.io/component"));
        assertEquals(a, labels.get(KubernetesLauncher.RUN_LABEL));
        assertEquals(tenant, ja.getMetadata().getAnnotations().get("hotpass.io/tenant"));
        assertEquals("1", ja.getMetadata().getAnnotations().get("hotpass.io/attempt"));
        assertEquals(3600, ja.getSpec().getTtlSecondsAfterFinished());
        assertEquals(21600L, ja.getSpec().getActiveDeadlineSeconds());
        PodSpec pod = ja.getSpec().getTemplate().getSpec();
        assertEquals("hotpass-contracts-runner", pod.getServiceAccountName());
        assertEquals(185L, pod.getSecurityContext().getRunAsUser());
        Container ct = pod.getContainers().get(0);
        assertEquals("ghcr.io/hotpass/contracts-service:test", ct.getImage());
        assertEquals(List.of("--run", a), ct.getArgs());
        assertEquals("384Mi", ct.getResources().getRequests().get("memory").toString());
        assertEquals("768Mi", ct.getResources().getLimits().get("memory").toString());
        // The service pod's environment is the runner's (Secret references stay references), with the
        // runner's own settings instead of the service's.
        assertEquals(List.of("hotpass-contracts-database", "hotpass-contracts"), ct.getEnvFrom().stream()
                .map(e -> e.getSecretRef() != null ? e.getSecretRef().getName() : e.getConfigMapRef().getName()).toList());
        EnvVar key = ct.getEnv().stream().filter(e -> e.getName().equals("HOTPASS_SERVICE_API_KEY")).findFirst().orElseThrow();
        assertNull(key.getValue(), "no secret value is copied into the Job");
        assertEquals("hotpass-platform-credentials", key.getValueFrom().getSecretKeyRef().getName());
        assertEquals(NS, env(ct, "HOTPASS_RUNNERS_NAMESPACE"));
        assertEquals(ja.getMetadata().getName(), env(ct, "HOTPASS_CONTRACTS_RUNNERS_JOB"));
        assertEquals(List.of("false"), ct.getEnv().stream().filter(e -> e.getName().equals("HOTPASS_CONTRACTS_RUNNERS_DISPATCH"))
                .map(EnvVar::getValue).toList(), "the runner never dispatches, whatever the service pod says");

        // Run a: its runner validates it and exits 0; the result is the engine's.
        assertEquals(0, command.run(UUID.fromString(a), Optional.of(ja.getMetadata().getName())));
        given().auth().oauth2(token).get("/validations/" + a).then().body("status", equalTo("failed"))
                .body("rowCount", equalTo(50)).body("summary.failedErrors", equalTo(1))
                .body("expectations.find { it.id == 'name.required' }.failingCount", equalTo(1));
        assertTrue(INGEST.authorizations.contains("ApiKey " + tenant));
        runners.finish(ja, true, null);

        // Run b: its Job fails (deadline exceeded): the run ends in error with the reason.
        runners.finish(jobs.get(b), false, "DeadlineExceeded");

        assertEquals(1, dispatcher.tick(), "finished Jobs free their slots; run c starts");
        Map<String, Job> now = runners.byRun();
        assertEquals(List.of(c), List.copyOf(now.keySet()), "finished Jobs are deleted");
        given().auth().oauth2(token).get("/validations/" + b).then().body("status", equalTo("error"))
                .body("errorCode", equalTo("runner_failed"))
                .body("error", startsWith("the runner Job validation-run-" + b + "-1 failed (DeadlineExceeded"));
        assertEquals("done", queued(b).state());
        given().auth().oauth2(token).get("/validations/" + a).then().body("status", equalTo("failed"));

        // Run c: its Job vanishes (deleted, node lost): the run is queued again and gets a new Job.
        String firstJob = now.get(c).getMetadata().getName();
        runners.vanish(firstJob);
        assertEquals(1, dispatcher.tick());
        Job second = runners.byRun().get(c);
        assertEquals("validation-run-" + c + "-2", second.getMetadata().getName());
        assertEquals(2, queued(c).attempts());

        // The first Job's pod starting late does nothing: the run is the second Job's now.
        assertEquals(1, command.run(UUID.fromString(c), Optional.of(firstJob)));
        assertEquals("running", queued(c).state());
        assertEquals(0, command.run(UUID.fromString(c), Optional.of(second.getMetadata().getName())));
        given().auth().oauth2(token).get("/validations/" + c).then().body("status", equalTo("failed"))
                .body("rowCount", equalTo(50));
        runners.finish(second, true, null);
        assertEquals(0, dispatcher.tick());
        assertTrue(runners.byRun().isEmpty(), "every finished Job is cleaned up");
    }

    @Test
    void aJobThatKeepsVanishingEndsTheRunOnceAttemptsAreSpent() throws Exception {
        String r = queueRun();
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertEquals(1, dispatcher.tick(), "attempt " + attempt);
            Job j = runners.byRun().get(r);
            assertEquals("validation-run-" + r + "-" + attempt, j.getMetadata().getName());
            runners.vanish(j.getMetadata().getName());
        }
        assertEquals(0, dispatcher.tick());
        given().auth().oauth2(token).get("/validations/" + r).then().body("status", equalTo("error"))
                .body("errorCode", equalTo("runner_lost"));
        assertEquals("done", queued(r).state());
        assertTrue(runners.byRun().isEmpty());
    }

    @Test
    void anExpiredLeaseIsClaimedAgainUntilAttemptsAreSpent() throws Exception {
        String r = queueRun();
        assertEquals(1, dispatcher.tick());
        String first = runners.byRun().get(r).getMetadata().getName();
        for (int attempt = 2; attempt <= 3; attempt++) {
            expireLease(r); // its runner stopped renewing (paused, partitioned)
            assertEquals(1, dispatcher.tick(), "attempt " + attempt + " claims the run again");
            assertEquals(attempt, queued(r).attempts());
            Map<String, Job> jobs = runners.byRun();
            assertEquals(1, jobs.size(), "the earlier attempt's Job does not run beside the new one");
            assertEquals("validation-run-" + r + "-" + attempt, jobs.get(r).getMetadata().getName());
        }
        // The first attempt's runner, back from its pause, is fenced off.
        assertEquals(1, command.run(UUID.fromString(r), Optional.of(first)));
        given().auth().oauth2(token).get("/validations/" + r).then().body("status", equalTo("running"));

        expireLease(r);
        assertEquals(0, dispatcher.tick(), "attempts are spent: nothing is launched");
        given().auth().oauth2(token).get("/validations/" + r).then().body("status", equalTo("error"))
                .body("errorCode", equalTo("run_interrupted")).body("error", startsWith("the run was interrupted 3 times"));
        assertEquals("done", queued(r).state());
        // The last Job's pod finds nothing to run, fails, and is cleaned up without touching the run.
        Job last = runners.byRun().get(r);
        assertEquals(1, command.run(UUID.fromString(r), Optional.of(last.getMetadata().getName())));
        runners.finish(last, false, "BackoffLimitExceeded");
        assertEquals(0, dispatcher.tick());
        assertNull(runners.byRun().get(r));
        given().auth().oauth2(token).get("/validations/" + r).then().body("errorCode", equalTo("run_interrupted"));
    }

    @Test
    void theRunEntryPointValidatesOneQueuedRunAndSaysHowItEnded() throws Exception {
        ContractsMain main = new ContractsMain();
        main.command = command;
        main.dispatcher = new ValidationDispatcher(); // disabled by --run: not this test app's dispatcher
        assertEquals(2, main.run("--run"), "no id");
        assertEquals(2, main.run("--run", "not-a-uuid"));
        assertEquals(1, main.run("--run", UUID.randomUUID().toString()), "no such run");

        // Started by hand (no Job named): the queued run is claimed here and validated.
        String r = queueRun();
        assertEquals(0, main.run("--run", r));
        given().auth().oauth2(token).get("/validations/" + r).then().body("status", equalTo("failed"))
                .body("rowCount", equalTo(50)).body("progress", equalTo(null));
        assertEquals("done", queued(r).state());
        assertEquals(1, main.run("--run", r), "a finished run is not run again");
    }
}
