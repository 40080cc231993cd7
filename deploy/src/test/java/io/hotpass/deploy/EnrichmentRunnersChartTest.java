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
import org.junit.jupiter.api.Test;

/**
 * enrichment-service's plan runners in the chart: with {@code services.enrichment.runners.launcher:
 * kubernetes} the service gets a token, a namespaced Role that manages Jobs (and reads pods) bound
 * to its ServiceAccount, the runner settings in its ConfigMap and a NetworkPolicy for its runner
 * pods; with the default ({@code in-process}) none of that exists.
 */
class EnrichmentRunnersChartTest {

    private static final String SERVICE = "hotpass-enrichment-service";

    private static Manifests render(String launcher) throws IOException {
        return renderValues(launcher == null ? "{}\n"
                : "services:\n  enrichment:\n    runners: { enabled: true, maxConcurrent: 3, launcher: " + launcher + " }\n");
    }

    private static Manifests renderValues(String yaml) throws IOException {
        Path values = Files.createTempFile("enrichment-runners", ".yaml");
        try {
            Files.writeString(values, yaml);
            return Manifests.parse(Chart.template(Repository.chart(), values));
        } finally {
            Files.deleteIfExists(values);
        }
    }

    private static Optional<Role> role(Manifests m) {
        return m.find(Role.class, r -> r.getMetadata().getName().equals(SERVICE + "-runners"));
    }

    private static List<RoleBinding> bindingsOf(Manifests m, String serviceAccount) {
        return m.ofType(RoleBinding.class).stream()
                .filter(b -> b.getSubjects().stream().anyMatch(s -> s.getName().equals(serviceAccount))).toList();
    }

    private static Map<String, String> config(Manifests m) {
        return m.named(ConfigMap.class, SERVICE).getData();
    }

    @Test
    void kubernetesLauncherGetsARoleThatOnlyManagesJobsAndReadsPods() throws IOException {
        Manifests m = render("kubernetes");
        Deployment d = m.named(Deployment.class, SERVICE);
        assertEquals(Boolean.TRUE, d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken());
        String sa = d.getSpec().getTemplate().getSpec().getServiceAccountName();

        Role role = role(m).orElseThrow(() -> new AssertionError("no runner Role for enrichment"));
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

        ServiceAccount runner = m.named(ServiceAccount.class, SERVICE + "-runner");
        assertEquals(Boolean.FALSE, runner.getAutomountServiceAccountToken(), "runner pods get no token");
        assertTrue(bindingsOf(m, runner.getMetadata().getName()).isEmpty(), "runner pods get no API rights");

        Map<String, String> env = config(m);
        assertEquals("kubernetes", env.get("HOTPASS_RUNNERS_MODE"));
        assertEquals("3", env.get("HOTPASS_RUNNERS_MAX_CONCURRENT"));
        assertEquals(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage(), env.get("HOTPASS_RUNNERS_IMAGE"),
                "runners use the service's own image");
        assertEquals(runner.getMetadata().getName(), env.get("HOTPASS_RUNNERS_SERVICE_ACCOUNT"));
        assertEquals(Chart.RELEASE, env.get("HOTPASS_RUNNERS_INSTANCE"));
        assertEquals("enrichment-service-runner", env.get("HOTPASS_RUNNERS_NAME_LABEL"));
        var limits = d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits();
        assertEquals(limits.get("memory").toString(), env.get("HOTPASS_RUNNERS_LIMITS_MEMORY"), "runners default to the service's resources");
        assertEquals(limits.get("cpu").toString(), env.get("HOTPASS_RUNNERS_LIMITS_CPU"));
        assertEquals("185", env.get("HOTPASS_RUNNERS_RUN_AS_USER"));
        assertEquals("21600", env.get("HOTPASS_RUNNERS_ACTIVE_DEADLINE_SECONDS"));

        // Runner pods (labelled as the service's code labels them) have a policy of their own and are
        // not selected by the service's Service, so they never take requests.
        Map<String, String> runnerLabels = Map.of("app.kubernetes.io/name", env.get("HOTPASS_RUNNERS_NAME_LABEL"),
                "app.kubernetes.io/instance", env.get("HOTPASS_RUNNERS_INSTANCE"), "app.kubernetes.io/part-of", "hotpass",
                "app.kubernetes.io/component", "plan-runner");
        NetworkPolicy policy = m.named(NetworkPolicy.class, SERVICE + "-runner");
        assertTrue(RenderedManifestsTest.selects(policy.getSpec().getPodSelector(), runnerLabels));
        assertTrue(policy.getSpec().getIngress().isEmpty(), "runner pods accept no traffic");
        assertTrue(policy.getSpec().getEgress().stream().anyMatch(r -> r.getPorts() != null
                && r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() != null && p.getPort().getIntVal() == 5432)),
                "runner pods reach PostgreSQL");
        Service svc = m.named(Service.class, SERVICE);
        assertFalse(runnerLabels.entrySet().containsAll(svc.getSpec().getSelector().entrySet()));
    }

    @Test
    void runnerResourcesAndDeadlineComeFromValues() throws IOException {
        Manifests m = renderValues("services:\n  enrichment:\n    runners:\n      enabled: true\n      maxConcurrent: 2\n"
                + "      launcher: kubernetes\n      activeDeadlineSeconds: 7200\n      resources:\n"
                + "        requests: { cpu: 500m, memory: 1Gi }\n        limits: { cpu: \"2\", memory: 3Gi }\n");
        Map<String, String> env = config(m);
        assertEquals("500m", env.get("HOTPASS_RUNNERS_REQUESTS_CPU"));
        assertEquals("1Gi", env.get("HOTPASS_RUNNERS_REQUESTS_MEMORY"));
        assertEquals("2", env.get("HOTPASS_RUNNERS_LIMITS_CPU"));
        assertEquals("3Gi", env.get("HOTPASS_RUNNERS_LIMITS_MEMORY"));
        assertEquals("7200", env.get("HOTPASS_RUNNERS_ACTIVE_DEADLINE_SECONDS"));
    }

    @Test
    void inProcessLauncherIsTheDefaultAndGetsNoApiAccess() throws IOException {
        for (String launcher : new String[] {null, "in-process"}) {
            Manifests m = render(launcher);
            Deployment d = m.named(Deployment.class, SERVICE);
            assertEquals(Boolean.FALSE, d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken(), launcher + ": no token");
            assertTrue(role(m).isEmpty(), launcher + ": no Role");
            assertTrue(bindingsOf(m, d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEmpty(), launcher + ": no RoleBinding");
            assertTrue(m.find(ServiceAccount.class, s -> s.getMetadata().getName().equals(SERVICE + "-runner")).isEmpty());
            assertTrue(m.find(NetworkPolicy.class, p -> p.getMetadata().getName().equals(SERVICE + "-runner")).isEmpty());
            assertTrue(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                    .noneMatch(e -> e.getName().equals("HOTPASS_RUNNERS_NAMESPACE")));
            Map<String, String> env = config(m);
            assertEquals("in-process", env.get("HOTPASS_RUNNERS_MODE"));
            assertNull(env.get("HOTPASS_RUNNERS_IMAGE"));
        }
    }

    @Test
    void aMisspelledLauncherFailsTheSchema() throws IOException {
        Path values = Files.createTempFile("enrichment-runners", ".yaml");
        try {
            Files.writeString(values, "services:\n  enrichment:\n    runners: { enabled: true, maxConcurrent: 2, launcher: kubernets }\n");
            IllegalStateException failure = assertThrows(IllegalStateException.class, () -> Chart.template(Repository.chart(), values));
            assertTrue(failure.getMessage().contains("values don't meet the specifications of the schema"), failure.getMessage());
        } finally {
            Files.deleteIfExists(values);
        }
    }
}
