package io.hotpass.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * k8s/: the kustomize base is the chart rendered with its defaults (never edited by hand), and the
 * overlays, the monitoring, Keycloak and chaos kustomizations render with kubectl into manifests
 * that parse strictly and keep the deployment policies.
 */
class KustomizeTest {

    static final String BASE = "k8s/base/hotpass.yaml";

    static String renderedBase() {
        return "# Generated from helm/hotpass with its default values (release hotpass, namespace hotpass).\n"
                + "# Do not edit: change the chart and run k8s/render-base.sh.\n"
                + Chart.template("defaults").strip() + "\n";
    }

    @Test
    void baseIsTheChartRenderedWithItsDefaults() {
        String drift = Repository.drift(BASE, renderedBase());
        assertNull(drift, drift);
    }

    private static Manifests kustomize(String directory) {
        Path kubectl = Kubectl.find().orElse(null);
        Assumptions.assumeTrue(kubectl != null, "kubectl is not installed: kustomize overlays not rendered");
        return Manifests.parse(Kubectl.kustomize(kubectl, Repository.resolve(directory)));
    }

    @Test
    void devOverlayRunsOneSmallReplicaPerServiceThatBootstrapsItsDatabase() {
        Manifests dev = kustomize("k8s/overlays/dev");
        assertEquals(6, dev.deployments().size());
        assertEquals(List.of(), dev.ofType(HorizontalPodAutoscaler.class), "no autoscaling in dev");
        for (HasMetadata r : dev.all()) {
            assertEquals("hotpass-dev", r.getMetadata().getNamespace(), r.getKind() + "/" + r.getMetadata().getName());
            assertEquals("dev", r.getMetadata().getLabels().get("environment"));
        }
        for (Deployment d : dev.deployments()) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertTrue(c.getImage().endsWith(":main"), c.getImage());
            assertEquals("512Mi", c.getResources().getLimits().get("memory").toString());
        }
        for (ConfigMap cm : dev.ofType(ConfigMap.class)) {
            assertEquals("true", cm.getData().get("HOTPASS_DB_BOOTSTRAP"));
            assertFalse(cm.getData().containsKey("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT"));
        }
        assertPolicies(dev);
    }

    @Test
    void prodOverlayPinsImagesScalesOutAndCarriesTheMonitoring() {
        Manifests prod = kustomize("k8s/overlays/prod");
        for (HasMetadata r : prod.all()) {
            assertEquals("hotpass-prod", r.getMetadata().getNamespace(), r.getKind() + "/" + r.getMetadata().getName());
        }
        for (Deployment d : prod.deployments()) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertTrue(c.getImage().matches("ghcr\\.io/hotpass/[a-z-]+:0\\.1\\.0"), c.getImage());
            assertEquals("DoNotSchedule", d.getSpec().getTemplate().getSpec().getTopologySpreadConstraints().get(0).getWhenUnsatisfiable());
        }
        assertEquals(6, prod.ofType(HorizontalPodAutoscaler.class).size());
        prod.ofType(HorizontalPodAutoscaler.class).forEach(h -> assertEquals(3, h.getSpec().getMinReplicas()));
        assertEquals(1, prod.ofType(PrometheusRule.class).size());
        assertTrue(prod.find(ConfigMap.class, c -> "1".equals(c.getMetadata().getLabels().get("grafana_dashboard"))).isPresent());
        assertPolicies(prod);
    }

    private static void assertPolicies(Manifests m) {
        for (var binding : m.ofType(io.fabric8.kubernetes.api.model.rbac.RoleBinding.class)) {
            binding.getSubjects().forEach(subject -> assertEquals(binding.getMetadata().getNamespace(), subject.getNamespace(),
                    binding.getMetadata().getName() + ": the runner Role is bound to the ServiceAccount in the overlay's namespace"));
        }
        for (Deployment d : m.deployments()) {
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            assertEquals(1, m.ofType(PodDisruptionBudget.class).stream()
                    .filter(p -> RenderedManifestsTest.selects(p.getSpec().getSelector(), labels)).count(), d.getMetadata().getName());
            assertTrue(m.ofType(NetworkPolicy.class).stream().anyMatch(p -> p.getMetadata().getName().endsWith("default-deny")
                    && RenderedManifestsTest.selects(p.getSpec().getPodSelector(), labels)));
            var sc = d.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext();
            assertTrue(sc.getReadOnlyRootFilesystem() && sc.getRunAsNonRoot() && !sc.getAllowPrivilegeEscalation());
        }
    }

    /**
     * k8s/drill-runner: a drill from inside the cluster. The Job parses strictly (unknown fields fail),
     * runs the drill runner's image as the chart runs the services (non-root 185, read-only root,
     * no capabilities), under a ServiceAccount whose Role grants every API call the kubernetes
     * target makes; and its pods are selected by the NetworkPolicy that lets them out.
     */
    @Test
    void theDrillRunnerRunsInTheClusterWithJustTheRightsItsTargetUses() {
        Manifests rbac = kustomize("k8s/drill-runner");
        Job job = (Job) Manifests.parse(Repository.read("k8s/drill-runner/job.yaml")).all().get(0);
        var pod = job.getSpec().getTemplate().getSpec();
        Container runner = pod.getContainers().get(0);
        assertTrue(runner.getImage().startsWith("ghcr.io/hotpass/drill-runner:"), runner.getImage());
        assertEquals("run", runner.getArgs().get(0));
        assertTrue(Repository.resolve("chaos/scenarios/" + runner.getArgs().get(1) + ".yaml").toFile().isFile(),
                "the Job runs a scenario that exists: " + runner.getArgs().get(1));
        assertTrue(runner.getArgs().contains("--target=kubernetes"));
        assertEquals(185L, pod.getSecurityContext().getRunAsUser());
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertTrue(runner.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(List.of("ALL"), runner.getSecurityContext().getCapabilities().getDrop());
        assertTrue(runner.getVolumeMounts().stream().anyMatch(v -> v.getMountPath().equals("/tmp")));
        assertEquals(0, job.getSpec().getBackoffLimit(), "a drill is never retried behind the SRE's back");

        ServiceAccount account = rbac.named(ServiceAccount.class, pod.getServiceAccountName());
        Role role = rbac.ofType(Role.class).get(0);
        assertTrue(rbac.ofType(RoleBinding.class).stream().anyMatch(b -> b.getRoleRef().getName().equals(role.getMetadata().getName())
                && b.getSubjects().stream().anyMatch(x -> x.getName().equals(account.getMetadata().getName()))));
        // Every call KubernetesTarget makes (resource, verb), against the Role.
        Map<String, List<String>> used = Map.of(
                "pods", List.of("get", "list", "delete"),
                "deployments", List.of("get", "list", "patch"),
                "poddisruptionbudgets", List.of("list"),
                "networkpolicies", List.of("list", "create", "update", "delete"),
                "podchaos", List.of("list", "create", "delete"),
                "networkchaos", List.of("list", "create", "delete"),
                "stresschaos", List.of("list", "create", "delete"),
                "timechaos", List.of("list", "create", "delete"),
                "iochaos", List.of("list", "create", "delete"));
        used.forEach((resource, verbs) -> assertTrue(role.getRules().stream().anyMatch(r -> r.getResources().contains(resource)
                && r.getVerbs().containsAll(verbs)), resource + " " + verbs));
        assertTrue(role.getRules().stream().noneMatch(r -> r.getVerbs().contains("*") || r.getResources().contains("*")
                || r.getResources().contains("secrets")), "no wildcard, no secrets");
        ClusterRole crds = rbac.ofType(ClusterRole.class).get(0);
        assertEquals(List.of("get"), crds.getRules().get(0).getVerbs());

        NetworkPolicy policy = rbac.ofType(NetworkPolicy.class).get(0);
        assertTrue(RenderedManifestsTest.selects(policy.getSpec().getPodSelector(), job.getSpec().getTemplate().getMetadata().getLabels()));
        assertTrue(policy.getSpec().getIngress().isEmpty(), "the runner serves nothing");
    }

    @Test
    void keycloakKustomizationShipsTheRealm() {
        Manifests keycloak = kustomize("k8s/keycloak");
        ConfigMap realm = keycloak.named(ConfigMap.class, "hotpass-keycloak-realm");
        assertEquals(Repository.read("k8s/keycloak/realm-hotpass.json"), realm.getData().get("realm-hotpass.json"));
    }

    @Test
    void chaosExperimentsCoverTheFmeaScenariosAndTargetRealPods() {
        Manifests chaos = kustomize("k8s/chaos");
        Manifests base = Manifests.parse(renderedBase());
        Set<String> kinds = chaos.all().stream().map(HasMetadata::getKind).collect(Collectors.toSet());
        assertEquals(Set.of("PodChaos", "NetworkChaos", "StressChaos", "TimeChaos", "IOChaos"), kinds);
        Set<String> scenarios = chaos.all().stream().map(r -> r.getMetadata().getAnnotations().get("hotpass.io/fmea-scenario"))
                .collect(Collectors.toSet());
        assertTrue(scenarios.containsAll(Set.of("service-pod-kill", "gateway-kill", "partition-gateway-service", "slow-upstream", "clock-skew")), scenarios.toString());
        for (HasMetadata r : chaos.all()) {
            GenericKubernetesResource experiment = (GenericKubernetesResource) r;
            assertEquals("chaos-mesh.org/v1alpha1", experiment.getApiVersion());
            Map<String, Object> spec = experiment.get("spec");
            assertTargetsAPod(base, r.getMetadata().getName(), spec);
            if (spec.get("target") instanceof Map<?, ?> target) {
                @SuppressWarnings("unchecked")
                Map<String, Object> t = (Map<String, Object>) target;
                assertTargetsAPod(base, r.getMetadata().getName() + " target", t);
            }
            if (!r.getKind().equals("PodChaos")) {
                assertTrue(spec.get("duration") instanceof String, r.getMetadata().getName() + ": a bounded duration");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertTargetsAPod(Manifests base, String what, Map<String, Object> spec) {
        Map<String, Object> selector = (Map<String, Object>) spec.get("selector");
        assertEquals(List.of("hotpass"), selector.get("namespaces"), what);
        Map<String, String> labels = (Map<String, String>) selector.get("labelSelectors");
        assertTrue(base.deployments().stream().anyMatch(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(labels.entrySet())),
                what + " selects no Hotpass pod: " + labels);
        assertTrue(Set.of("one", "all", "fixed", "fixed-percent", "random-max-percent").contains(spec.get("mode")), what + ": mode");
    }
}
