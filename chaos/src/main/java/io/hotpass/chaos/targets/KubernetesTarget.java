package io.hotpass.chaos.targets;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.hotpass.chaos.drill.Journal;
import io.hotpass.chaos.scenario.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Faults in a Kubernetes namespace with the fabric8 client: delete a pod of a service when its
 * PodDisruptionBudget allows a disruption, scale a service's Deployment to zero and back, cut a
 * service off with a deny-all NetworkPolicy, or create a Chaos Mesh PodChaos / NetworkChaos /
 * StressChaos / TimeChaos / IOChaos when those CRDs are installed. Everything it creates or changes carries the label
 * {@value #MANAGED_BY_LABEL}={@value #MANAGED_BY}; a scaled Deployment keeps its replica count in
 * the annotation {@value #ORIGINAL_REPLICAS}. So {@link #sweep} (run before and after every drill)
 * undoes what a runner killed halfway left behind, and doing it twice changes nothing.
 */
public final class KubernetesTarget implements Target {

    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "hotpass-chaos";
    public static final String DRILL_LABEL = "chaos.hotpass.io/drill";
    public static final String ORIGINAL_REPLICAS = "chaos.hotpass.io/original-replicas";
    static final String NAME_LABEL = "app.kubernetes.io/name";

    /** The Chaos Mesh kinds the runner creates, with their plural names. */
    static final Map<String, String> CHAOS_MESH_KINDS = Map.of("PodChaos", "podchaos", "NetworkChaos", "networkchaos", "StressChaos", "stresschaos",
            "TimeChaos", "timechaos", "IOChaos", "iochaos");

    private final KubernetesClient client;
    private final String namespace;
    private final String gatewayUrl;
    private final String adminKey;

    public KubernetesTarget(KubernetesClient client, String namespace, String gatewayUrl, String adminKey) {
        this.client = client;
        this.namespace = namespace;
        this.gatewayUrl = gatewayUrl;
        this.adminKey = adminKey;
    }

    /** With the kubeconfig (or in-cluster service account) the fabric8 client finds. */
    public static KubernetesTarget connect(String namespace, String gatewayUrl, String adminKey) {
        return new KubernetesTarget(new KubernetesClientBuilder().build(), namespace, gatewayUrl, adminKey);
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public String gatewayUrl() {
        return gatewayUrl;
    }

    @Override
    public Optional<String> serviceUrl(String service) {
        // Only the gateway is reachable from outside the cluster; the services' own ports are not.
        return "gateway".equals(service) ? Optional.of(gatewayUrl) : Optional.empty();
    }

    @Override
    public String adminKey() {
        return adminKey;
    }

    @Override
    public Optional<Databases> databases() {
        return Optional.empty();
    }

    @Override
    public void sweep(Journal journal) {
        List<NetworkPolicy> policies = client.network().v1().networkPolicies().inNamespace(namespace).withLabel(MANAGED_BY_LABEL, MANAGED_BY).list().getItems();
        for (NetworkPolicy p : policies) {
            client.network().v1().networkPolicies().inNamespace(namespace).withName(p.getMetadata().getName()).delete();
            journal.event("sweep", "deleted NetworkPolicy " + p.getMetadata().getName());
        }
        for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
            Map<String, String> ann = d.getMetadata().getAnnotations();
            if (ann != null && ann.containsKey(ORIGINAL_REPLICAS)) {
                restoreReplicas(d.getMetadata().getName());
                journal.event("sweep", "restored " + d.getMetadata().getName() + " to " + ann.get(ORIGINAL_REPLICAS) + " replicas");
            }
        }
        for (var kind : CHAOS_MESH_KINDS.entrySet()) {
            if (!chaosMeshInstalled(kind.getValue())) {
                continue;
            }
            for (GenericKubernetesResource r : client.genericKubernetesResources(chaosContext(kind.getKey())).inNamespace(namespace)
                    .withLabel(MANAGED_BY_LABEL, MANAGED_BY).list().getItems()) {
                client.genericKubernetesResources(chaosContext(kind.getKey())).inNamespace(namespace).withName(r.getMetadata().getName()).delete();
                journal.event("sweep", "deleted " + kind.getKey() + " " + r.getMetadata().getName());
            }
        }
    }

    @Override
    public Injected inject(Scenario.Fault fault, Journal journal) throws Exception {
        String svc = fault.service();
        String drill = journal.scenario == null ? "drill" : journal.scenario;
        switch (fault.action()) {
            case "pod-delete" -> {
                Pod victim = podToDelete(svc);
                client.pods().inNamespace(namespace).withName(victim.getMetadata().getName()).withGracePeriod(0).delete();
                journal.event("fault", "deleted pod " + victim.getMetadata().getName() + " (its PDB allowed a disruption)");
                return () -> journal.event("rollback", "nothing to undo: the Deployment replaces the pod");
            }
            case "scale-zero" -> {
                Deployment d = deploymentOf(svc);
                String name = d.getMetadata().getName();
                int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
                client.apps().deployments().inNamespace(namespace).withName(name).edit(x -> new DeploymentBuilder(x).editMetadata()
                        .addToAnnotations(ORIGINAL_REPLICAS, Integer.toString(replicas)).addToLabels(DRILL_LABEL, drill).endMetadata()
                        .editSpec().withReplicas(0).endSpec().build());
                journal.event("fault", "scaled " + name + " from " + replicas + " to 0");
                return once(() -> {
                    restoreReplicas(name);
                    journal.event("rollback", "scaled " + name + " back to " + replicas);
                });
            }
            case "partition" -> {
                String name = "hotpass-chaos-deny-" + svc;
                NetworkPolicy np = new NetworkPolicyBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                        .addToLabels(MANAGED_BY_LABEL, MANAGED_BY).addToLabels(DRILL_LABEL, drill).endMetadata()
                        .withNewSpec().withNewPodSelector().addToMatchLabels(NAME_LABEL, svc).endPodSelector()
                        .withPolicyTypes("Ingress", "Egress").endSpec().build();
                client.network().v1().networkPolicies().inNamespace(namespace).resource(np).createOr(existing -> existing.update());
                journal.event("fault", "deny-all NetworkPolicy " + name + " isolates " + svc);
                return once(() -> {
                    client.network().v1().networkPolicies().inNamespace(namespace).withName(name).delete();
                    journal.event("rollback", "deleted NetworkPolicy " + name);
                });
            }
            case "chaos-mesh" -> {
                GenericKubernetesResource r = chaosResource(fault, drill);
                String kind = r.getKind();
                if (!CHAOS_MESH_KINDS.containsKey(kind)) {
                    throw new IllegalArgumentException("fault.manifest: kind " + kind + " is not one of " + CHAOS_MESH_KINDS.keySet());
                }
                if (!chaosMeshInstalled(CHAOS_MESH_KINDS.get(kind))) {
                    throw new IllegalStateException("Chaos Mesh is not installed: no CRD " + CHAOS_MESH_KINDS.get(kind) + ".chaos-mesh.org");
                }
                String name = r.getMetadata().getName();
                client.genericKubernetesResources(chaosContext(kind)).inNamespace(namespace).resource(r).createOr(existing -> existing.update());
                journal.event("fault", "created " + kind + " " + name);
                return once(() -> {
                    client.genericKubernetesResources(chaosContext(kind)).inNamespace(namespace).withName(name).delete();
                    journal.event("rollback", "deleted " + kind + " " + name);
                });
            }
            default -> throw new UnsupportedOperationException("The kubernetes target cannot inject '" + fault.action() + "'");
        }
    }

    /** A ready pod of the service, when its PodDisruptionBudget allows one more disruption; otherwise the drill must not proceed. */
    Pod podToDelete(String svc) {
        List<Pod> pods = client.pods().inNamespace(namespace).withLabel(NAME_LABEL, svc).list().getItems();
        if (pods.isEmpty()) {
            throw new IllegalStateException("No pod of " + svc + " in " + namespace);
        }
        long ready = pods.stream().filter(KubernetesTarget::isReady).count();
        for (PodDisruptionBudget pdb : client.policy().v1().podDisruptionBudget().inNamespace(namespace).list().getItems()) {
            Map<String, String> sel = pdb.getSpec().getSelector() == null ? null : pdb.getSpec().getSelector().getMatchLabels();
            if (sel == null || !pods.get(0).getMetadata().getLabels().entrySet().containsAll(sel.entrySet())) {
                continue;
            }
            int allowed = disruptionsAllowed(pdb, pods.size(), (int) ready);
            if (allowed < 1) {
                throw new IllegalStateException("PodDisruptionBudget " + pdb.getMetadata().getName() + " allows no disruption of " + svc
                        + " now (" + ready + " of " + pods.size() + " ready); not deleting a pod");
            }
        }
        return pods.stream().filter(KubernetesTarget::isReady).findFirst().orElse(pods.get(0));
    }

    /** The budget's own status when the cluster computed it, else from its spec and the pods' readiness. */
    static int disruptionsAllowed(PodDisruptionBudget pdb, int total, int ready) {
        if (pdb.getStatus() != null && pdb.getStatus().getObservedGeneration() != null) {
            return pdb.getStatus().getDisruptionsAllowed();
        }
        IntOrString min = pdb.getSpec().getMinAvailable();
        IntOrString max = pdb.getSpec().getMaxUnavailable();
        if (min != null) {
            return ready - resolve(min, total);
        }
        if (max != null) {
            return resolve(max, total) - (total - ready);
        }
        return ready;
    }

    private static int resolve(IntOrString v, int total) {
        if (v.getIntVal() != null) {
            return v.getIntVal();
        }
        String s = v.getStrVal();
        if (s.endsWith("%")) {
            return (int) Math.ceil(total * Integer.parseInt(s.substring(0, s.length() - 1)) / 100.0);
        }
        return Integer.parseInt(s);
    }

    static boolean isReady(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    Deployment deploymentOf(String svc) {
        return client.apps().deployments().inNamespace(namespace).withLabel(NAME_LABEL, svc).list().getItems().stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("No Deployment labelled " + NAME_LABEL + "=" + svc + " in " + namespace));
    }

    private void restoreReplicas(String name) {
        client.apps().deployments().inNamespace(namespace).withName(name).edit(d -> {
            Map<String, String> ann = d.getMetadata().getAnnotations() == null ? new HashMap<>() : new HashMap<>(d.getMetadata().getAnnotations());
            String original = ann.remove(ORIGINAL_REPLICAS);
            Map<String, String> labels = d.getMetadata().getLabels() == null ? new HashMap<>() : new HashMap<>(d.getMetadata().getLabels());
            labels.remove(DRILL_LABEL);
            DeploymentBuilder b = new DeploymentBuilder(d).editMetadata().withAnnotations(ann).withLabels(labels).endMetadata();
            if (original != null) {
                b.editSpec().withReplicas(Integer.parseInt(original)).endSpec();
            }
            return b.build();
        });
    }

    boolean chaosMeshInstalled(String plural) {
        return client.apiextensions().v1().customResourceDefinitions().withName(plural + ".chaos-mesh.org").get() != null;
    }

    static ResourceDefinitionContext chaosContext(String kind) {
        return new ResourceDefinitionContext.Builder().withGroup("chaos-mesh.org").withVersion("v1alpha1").withKind(kind)
                .withPlural(CHAOS_MESH_KINDS.get(kind)).withNamespaced(true).build();
    }

    /** The scenario's manifest (e.g. k8s/chaos/pod-kill-ingest.yaml), labelled as the runner's, in the target namespace. */
    private GenericKubernetesResource chaosResource(Scenario.Fault fault, String drill) throws IOException {
        if (fault.manifest() == null) {
            throw new IllegalArgumentException("fault.manifest: a Chaos Mesh manifest is required for chaos-mesh");
        }
        GenericKubernetesResource r;
        try (InputStream in = Files.newInputStream(Path.of(fault.manifest()))) {
            r = Serialization.unmarshal(in, GenericKubernetesResource.class);
        }
        r.getMetadata().setNamespace(namespace);
        Map<String, String> labels = r.getMetadata().getLabels() == null ? new HashMap<>() : new HashMap<>(r.getMetadata().getLabels());
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        labels.put(DRILL_LABEL, drill);
        r.getMetadata().setLabels(labels);
        return r;
    }

    @Override
    public boolean awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            boolean all = client.apps().deployments().inNamespace(namespace).withLabel("app.kubernetes.io/part-of", "hotpass").list().getItems().stream()
                    .allMatch(d -> d.getStatus() != null && d.getSpec().getReplicas() != null
                            && java.util.Objects.equals(d.getStatus().getReadyReplicas(), d.getSpec().getReplicas()));
            if (all) {
                return true;
            }
            try {
                Thread.sleep(1000); // polling the Deployments' status
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Override
    public void close() {
        client.close();
    }

    static Injected once(Injected rollback) {
        return LocalTarget.once(rollback);
    }

    /** Labels of everything the runner made, for tests and the docs. */
    static boolean ours(HasMetadata r) {
        return r.getMetadata().getLabels() != null && MANAGED_BY.equals(r.getMetadata().getLabels().get(MANAGED_BY_LABEL));
    }
}
