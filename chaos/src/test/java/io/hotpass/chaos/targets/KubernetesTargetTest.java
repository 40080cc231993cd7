package io.hotpass.chaos.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.hotpass.chaos.drill.Journal;
import io.hotpass.chaos.scenario.Scenario;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kubernetes target against the fabric8 mock API server in CRUD mode: what it creates, changes and cleans up. */
@EnableKubernetesMockClient(crud = true)
class KubernetesTargetTest {

    static final String NS = "hotpass";
    static final Path ROOT = Path.of(System.getProperty("hotpass.root", "..")).toAbsolutePath().normalize();

    KubernetesClient client;
    KubernetesTarget target;
    Journal journal;

    @BeforeEach
    void cluster() {
        target = new KubernetesTarget(client, NS, "http://gateway.example", "hp_admin");
        journal = new Journal("k8s-test", null, "FM-09", "kubernetes");
        for (String svc : new String[] {"ingest-service", "gateway"}) {
            client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata().withName("hotpass-" + svc)
                    .addToLabels("app.kubernetes.io/name", svc).addToLabels("app.kubernetes.io/part-of", "hotpass").endMetadata()
                    .withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app.kubernetes.io/name", svc).endSelector().endSpec()
                    .build()).createOr(r -> r.update());
        }
    }

    void pods(String svc, int ready, int notReady) {
        for (int i = 0; i < ready + notReady; i++) {
            client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(svc + "-" + i)
                    .addToLabels("app.kubernetes.io/name", svc).addToLabels("app.kubernetes.io/instance", "hotpass").endMetadata()
                    .withNewStatus().addNewCondition().withType("Ready").withStatus(i < ready ? "True" : "False").endCondition().endStatus()
                    .build()).createOr(r -> r.update());
        }
    }

    void pdb(String svc, int maxUnavailable) {
        client.policy().v1().podDisruptionBudget().inNamespace(NS).resource(new PodDisruptionBudgetBuilder().withNewMetadata()
                .withName("hotpass-" + svc).endMetadata().withNewSpec().withMaxUnavailable(new IntOrString(maxUnavailable))
                .withNewSelector().addToMatchLabels("app.kubernetes.io/name", svc).addToMatchLabels("app.kubernetes.io/instance", "hotpass")
                .endSelector().endSpec().build()).createOr(r -> r.update());
    }

    static Scenario.Fault fault(String action, String service, String manifest) {
        return new Scenario.Fault(action, service, null, "10s", null, null, manifest);
    }

    @Test
    void deletesAReadyPodWhenTheBudgetAllowsIt() throws Exception {
        pods("ingest-service", 3, 0);
        pdb("ingest-service", 1);
        target.inject(fault("pod-delete", "ingest-service", null), journal).rollback();
        assertEquals(2, client.pods().inNamespace(NS).withLabel("app.kubernetes.io/name", "ingest-service").list().getItems().size());
    }

    @Test
    void refusesToDeleteAPodWhenThePdbHasNoDisruptionLeft() {
        pods("ingest-service", 2, 1); // one already unavailable, maxUnavailable 1: nothing left
        pdb("ingest-service", 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> target.inject(fault("pod-delete", "ingest-service", null), journal));
        assertTrue(e.getMessage().contains("allows no disruption"), e.getMessage());
        assertEquals(3, client.pods().inNamespace(NS).withLabel("app.kubernetes.io/name", "ingest-service").list().getItems().size());
    }

    @Test
    void scalesToZeroAndBackRememberingTheCountOnTheDeployment() throws Exception {
        var injected = target.inject(fault("scale-zero", "ingest-service", null), journal);
        var d = client.apps().deployments().inNamespace(NS).withName("hotpass-ingest-service").get();
        assertEquals(0, d.getSpec().getReplicas());
        assertEquals("3", d.getMetadata().getAnnotations().get(KubernetesTarget.ORIGINAL_REPLICAS));
        injected.rollback();
        injected.rollback(); // idempotent
        d = client.apps().deployments().inNamespace(NS).withName("hotpass-ingest-service").get();
        assertEquals(3, d.getSpec().getReplicas());
        assertNull(d.getMetadata().getAnnotations() == null ? null : d.getMetadata().getAnnotations().get(KubernetesTarget.ORIGINAL_REPLICAS));
    }

    @Test
    void aRunnerKilledHalfwayIsCleanedUpByTheNextSweep() throws Exception {
        // A drill that never rolled back: the deployment is at zero and a deny-all policy is in place.
        target.inject(fault("scale-zero", "ingest-service", null), journal);
        target.inject(fault("partition", "ingest-service", null), journal);
        assertEquals(1, client.network().v1().networkPolicies().inNamespace(NS).withLabel(KubernetesTarget.MANAGED_BY_LABEL, KubernetesTarget.MANAGED_BY)
                .list().getItems().size());
        KubernetesTarget next = new KubernetesTarget(client, NS, "http://gateway.example", "hp_admin");
        next.sweep(journal);
        next.sweep(journal); // twice changes nothing
        assertEquals(3, client.apps().deployments().inNamespace(NS).withName("hotpass-ingest-service").get().getSpec().getReplicas());
        assertTrue(client.network().v1().networkPolicies().inNamespace(NS).list().getItems().isEmpty());
    }

    @Test
    void aPartitionIsADenyAllPolicyOnTheServicesPods() throws Exception {
        var injected = target.inject(fault("partition", "ingest-service", null), journal);
        var np = client.network().v1().networkPolicies().inNamespace(NS).withName("hotpass-chaos-deny-ingest-service").get();
        assertNotNull(np);
        assertEquals(Map.of("app.kubernetes.io/name", "ingest-service"), np.getSpec().getPodSelector().getMatchLabels());
        assertEquals(java.util.List.of("Ingress", "Egress"), np.getSpec().getPolicyTypes());
        assertTrue(np.getSpec().getIngress().isEmpty() && np.getSpec().getEgress().isEmpty(), "no rule: everything denied");
        injected.rollback();
        assertNull(client.network().v1().networkPolicies().inNamespace(NS).withName("hotpass-chaos-deny-ingest-service").get());
    }

    @Test
    void chaosMeshResourcesNeedTheirCrdAndAreCreatedAsGenericResources() throws Exception {
        Scenario.Fault podKill = fault("chaos-mesh", "ingest-service", ROOT.resolve("k8s/chaos/pod-kill-ingest.yaml").toString());
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> target.inject(podKill, journal));
        assertTrue(missing.getMessage().contains("Chaos Mesh is not installed"), missing.getMessage());

        client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder().withNewMetadata()
                .withName("podchaos.chaos-mesh.org").endMetadata().withNewSpec().withGroup("chaos-mesh.org").withScope("Namespaced")
                .withNewNames().withKind("PodChaos").withPlural("podchaos").endNames()
                .addNewVersion().withName("v1alpha1").withServed(true).withStorage(true).endVersion().endSpec().build()).create();
        var injected = target.inject(podKill, journal);
        var created = client.genericKubernetesResources(KubernetesTarget.chaosContext("PodChaos")).inNamespace(NS).list().getItems();
        assertEquals(1, created.size());
        assertEquals(KubernetesTarget.MANAGED_BY, created.get(0).getMetadata().getLabels().get(KubernetesTarget.MANAGED_BY_LABEL));
        assertEquals("pod-kill", ((Map<?, ?>) created.get(0).getAdditionalProperties().get("spec")).get("action"));
        // A killed runner leaves it behind; the sweep removes it.
        new KubernetesTarget(client, NS, "http://gateway.example", "hp_admin").sweep(journal);
        assertTrue(client.genericKubernetesResources(KubernetesTarget.chaosContext("PodChaos")).inNamespace(NS).list().getItems().isEmpty());
        injected.rollback(); // deleting what is already gone is fine
    }
}
