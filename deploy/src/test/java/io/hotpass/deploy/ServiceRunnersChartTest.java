package io.hotpass.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The runners of the services that have them (enrichment-service's plans, contracts-service's
 * asynchronous validations, ingest-service's asynchronous uploads) in the chart: with {@code services.<key>.runners.launcher: kubernetes}
 * the service gets a token, a namespaced Role that manages Jobs (and reads pods) bound to its
 * ServiceAccount, the runner settings in its ConfigMap and a NetworkPolicy for its runner pods;
 * with the default ({@code in-process}) none of that exists.
 */
class ServiceRunnersChartTest {

    /** The chart's key of each service with runners and the component label its code gives runner pods. */
    static Stream<Arguments> services() {
        return Stream.of(Arguments.of("enrichment", "enrichment-service", "plan-runner"),
                Arguments.of("contracts", "contracts-service", "validation-runner"),
                Arguments.of("ingest", "ingest-service", "upload-runner"));
    }

    private static String fullName(String image) {
        return "hotpass-" + image;
    }

    private static Manifests render(String key, String launcher) throws IOException {
        return renderValues(launcher == null ? "{}\n"
                : "services:\n  " + key + ":\n    runners: { enabled: true, maxConcurrent: 3, launcher: " + launcher + " }\n");
    }

    private static Manifests renderValues(String yaml) throws IOException {
        Path values = Files.createTempFile("service-runners", ".yaml");
        try {
            Files.writeString(values, yaml);
            return Manifests.parse(Chart.template(Repository.chart(), values));
        } finally {
            Files.deleteIfExists(values);
        }
    }

    private static Optional<Role> role(Manifests m, String service) {
        return m.find(Role.class, r -> r.getMetadata().getName().equals(service + "-runners"));
    }

    private static List<RoleBinding> bindingsOf(Manifests m, String serviceAccount) {
        return m.ofType(RoleBinding.class).stream()
                .filter(b -> b.getSubjects().stream().anyMatch(s -> s.getName().equals(serviceAccount))).toList();
    }

    private static Map<String, String> config(Manifests m, String service) {
        return m.named(ConfigMap.class, service).getData();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void kubernetesLauncherGetsARoleThatOnlyManagesJobsAndReadsPods(String key, String image, String component)
            throws IOException {
        String service = fullName(image);
        Manifests m = render(key, "kubernetes");
        Deployment d = m.named(Deployment.class, service);
        assertEquals(Boolean.TRUE, d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken());
        String sa = d.getSpec().getTemplate().getSpec().getServiceAccountName();

        Role role = role(m, service).orElseThrow(() -> new AssertionError("no runner Role for " + key));
        assertEquals(Chart.NAMESPACE, role.getMetadata().getNamespace(), "namespaced, not a ClusterRole");
        assertEquals(2, role.getRules().size());
        PolicyRule jobs = role.getRules().get(0);
        assertEquals(List.of("batch"), jobs.getApiGroups());
        assertEquals(List.of("jobs"), jobs.getResources());
        assertEquals(List.of("create", "get", "list", "watch", "delete"), jobs.getVerbs());
        PolicyRule pods = role.getRules().get(1);
        assertEquals(List.of(""), pods.getApiGroups());
        assertEquals(List.of("pods"), pods.getResources());
        assertEquals(List.of("get", "list"), pods.getVerbs());

        List<RoleBinding> bindings = bindingsOf(m, sa);
        assertEquals(1, bindings.size());
        assertEquals(role.getMetadata().getName(), bindings.get(0).getRoleRef().getName());
        assertEquals("Role", bindings.get(0).getRoleRef().getKind());

        ServiceAccount runner = m.named(ServiceAccount.class, service + "-runner");
        assertEquals(Boolean.FALSE, runner.getAutomountServiceAccountToken(), "runner pods get no token");
        assertTrue(bindingsOf(m, runner.getMetadata().getName()).isEmpty(), "runner pods get no API rights");

        Map<String, String> env = config(m, service);
        assertEquals("kubernetes", env.get("HOTPASS_RUNNERS_MODE"));
        assertEquals("3", env.get("HOTPASS_RUNNERS_MAX_CONCURRENT"));
        assertEquals(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage(), env.get("HOTPASS_RUNNERS_IMAGE"),
                "runners use the service's own image");
        assertEquals(runner.getMetadata().getName(), env.get("HOTPASS_RUNNERS_SERVICE_ACCOUNT"));
        assertEquals(Chart.RELEASE, env.get("HOTPASS_RUNNERS_INSTANCE"));
        assertEquals(image + "-runner", env.get("HOTPASS_RUNNERS_NAME_LABEL"));
        var limits = d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits();
        assertEquals(limits.get("memory").toString(), env.get("HOTPASS_RUNNERS_LIMITS_MEMORY"), "runners default to the service's resources");
        assertEquals(limits.get("cpu").toString(), env.get("HOTPASS_RUNNERS_LIMITS_CPU"));
        assertEquals("185", env.get("HOTPASS_RUNNERS_RUN_AS_USER"));
        assertEquals("21600", env.get("HOTPASS_RUNNERS_ACTIVE_DEADLINE_SECONDS"));

        // Runner pods (labelled as the service's code labels them) have a policy of their own and are
        // not selected by the service's Service, so they never take requests.
        Map<String, String> runnerLabels = Map.of("app.kubernetes.io/name", env.get("HOTPASS_RUNNERS_NAME_LABEL"),
                "app.kubernetes.io/instance", env.get("HOTPASS_RUNNERS_INSTANCE"), "app.kubernetes.io/part-of", "hotpass",
                "app.kubernetes.io/component", component);
        NetworkPolicy policy = m.named(NetworkPolicy.class, service + "-runner");
        assertTrue(RenderedManifestsTest.selects(policy.getSpec().getPodSelector(), runnerLabels));
        assertTrue(policy.getSpec().getIngress().isEmpty(), "runner pods accept no traffic");
        assertTrue(policy.getSpec().getEgress().stream().anyMatch(r -> r.getPorts() != null
                && r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() != null && p.getPort().getIntVal() == 5432)),
                "runner pods reach PostgreSQL");
        Service svc = m.named(Service.class, service);
        assertFalse(runnerLabels.entrySet().containsAll(svc.getSpec().getSelector().entrySet()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void runnerResourcesAndDeadlineComeFromValues(String key, String image, String component) throws IOException {
        Manifests m = renderValues("services:\n  " + key + ":\n    runners:\n      enabled: true\n      maxConcurrent: 2\n"
                + "      launcher: kubernetes\n      activeDeadlineSeconds: 7200\n      resources:\n"
                + "        requests: { cpu: 500m, memory: 1Gi }\n        limits: { cpu: \"2\", memory: 3Gi }\n");
        Map<String, String> env = config(m, fullName(image));
        assertEquals("500m", env.get("HOTPASS_RUNNERS_REQUESTS_CPU"));
        assertEquals("1Gi", env.get("HOTPASS_RUNNERS_REQUESTS_MEMORY"));
        assertEquals("2", env.get("HOTPASS_RUNNERS_LIMITS_CPU"));
        assertEquals("3Gi", env.get("HOTPASS_RUNNERS_LIMITS_MEMORY"));
        assertEquals("7200", env.get("HOTPASS_RUNNERS_ACTIVE_DEADLINE_SECONDS"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void inProcessLauncherIsTheDefaultAndGetsNoApiAccess(String key, String image, String component) throws IOException {
        String service = fullName(image);
        for (String launcher : new String[] {null, "in-process"}) {
            Manifests m = render(key, launcher);
            Deployment d = m.named(Deployment.class, service);
            assertEquals(Boolean.FALSE, d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken(), launcher + ": no token");
            assertTrue(role(m, service).isEmpty(), launcher + ": no Role");
            assertTrue(bindingsOf(m, d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEmpty(), launcher + ": no RoleBinding");
            assertTrue(m.find(ServiceAccount.class, s -> s.getMetadata().getName().equals(service + "-runner")).isEmpty());
            assertTrue(m.find(NetworkPolicy.class, p -> p.getMetadata().getName().equals(service + "-runner")).isEmpty());
            assertTrue(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                    .noneMatch(e -> e.getName().equals("HOTPASS_RUNNERS_NAMESPACE")));
            Map<String, String> env = config(m, service);
            assertEquals("in-process", env.get("HOTPASS_RUNNERS_MODE"));
            assertNull(env.get("HOTPASS_RUNNERS_IMAGE"));
        }
    }

    @org.junit.jupiter.api.Test
    void ingestRunnersGetTheServicesScratchSpaceAndProductionRunsBackfillsAsJobs() throws IOException {
        // XLSX uploads are spooled to /tmp while they are read: a runner Job's /tmp is as large as the service's.
        Map<String, String> env = config(render("ingest", "kubernetes"), fullName("ingest-service"));
        assertEquals("2Gi", env.get("HOTPASS_RUNNERS_TMP_SIZE_LIMIT"));
        Manifests prod = Manifests.parse(Chart.template("production"));
        Map<String, String> prodEnv = config(prod, fullName("ingest-service"));
        assertEquals("kubernetes", prodEnv.get("HOTPASS_RUNNERS_MODE"));
        assertEquals("4", prodEnv.get("HOTPASS_RUNNERS_MAX_CONCURRENT"));
        assertTrue(role(prod, fullName("ingest-service")).isPresent());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void aMisspelledLauncherFailsTheSchema(String key, String image, String component) throws IOException {
        Path values = Files.createTempFile(key + "-runners", ".yaml");
        try {
            Files.writeString(values, "services:\n  " + key + ":\n    runners: { enabled: true, maxConcurrent: 2, launcher: kubernets }\n");
            IllegalStateException failure = assertThrows(IllegalStateException.class, () -> Chart.template(Repository.chart(), values));
            assertTrue(failure.getMessage().contains("values don't meet the specifications of the schema"), failure.getMessage());
        } finally {
            Files.deleteIfExists(values);
        }
    }
}
