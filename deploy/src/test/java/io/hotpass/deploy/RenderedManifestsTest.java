package io.hotpass.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chart rendered with each CI values file, parsed strictly with the Kubernetes model, and held
 * to the deployment policies: hardened pods, probes, limits, a disruption budget and network
 * policies for every workload, secrets only by reference.
 */
class RenderedManifestsTest {

    static final Set<String> SERVICES = Set.of("gateway", "ingest-service", "contracts-service", "enrichment-service",
            "lineage-service", "policy-service");
    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

    static Manifests rendered(String values) {
        return RENDERED.computeIfAbsent(values, v -> Manifests.parse(Chart.templateWithTests(v)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "production", "minimal"})
    void rendersOneDeploymentServiceAndConfigMapPerService(String values) {
        Manifests m = rendered(values);
        assertEquals(SERVICES, names(m.deployments(), d -> d.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/name")));
        assertEquals(6, m.ofType(Service.class).size());
        assertEquals(6, m.ofType(ConfigMap.class).stream().filter(c -> c.getData().containsKey("HOTPASS_DB_URL")).count());
        assertTrue(m.all().stream().noneMatch(r -> r.getKind().equals("Secret")), "the chart renders Secrets; it must only reference them");
    }

    /**
     * The fault-injection switch (ADR 0016) is for drill stacks only: no rendering of the chart may
     * turn it on, neither in a service's ConfigMap nor in a container's own environment.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "production", "minimal"})
    void noRenderingTurnsTheFaultInjectionSwitchOn(String values) {
        Manifests m = rendered(values);
        for (ConfigMap c : m.ofType(ConfigMap.class)) {
            assertFalse(c.getData() != null && c.getData().keySet().stream().anyMatch(k -> k.startsWith("HOTPASS_FAULT_INJECTION")),
                    c.getMetadata().getName() + " sets the fault-injection switch");
        }
        for (Deployment d : m.deployments()) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                assertTrue(c.getEnv() == null || c.getEnv().stream().map(EnvVar::getName)
                        .noneMatch(n -> n.startsWith("HOTPASS_FAULT_INJECTION")), d.getMetadata().getName() + " sets the fault-injection switch");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "production", "minimal"})
    void everyPodRunsHardened(String values) {
        Manifests m = rendered(values);
        for (Deployment d : m.deployments()) {
            assertHardened(d.getMetadata().getName(), d.getSpec().getTemplate().getSpec());
        }
        for (Pod p : m.ofType(Pod.class)) {
            assertHardened(p.getMetadata().getName(), p.getSpec());
        }
    }

    private static void assertHardened(String name, PodSpec pod) {
        PodSecurityContext psc = pod.getSecurityContext();
        assertNotNull(psc, name + ": pod securityContext");
        assertEquals(Boolean.TRUE, psc.getRunAsNonRoot(), name + ": runAsNonRoot");
        assertTrue(psc.getRunAsUser() != null && psc.getRunAsUser() > 0, name + ": non-root uid");
        assertEquals("RuntimeDefault", psc.getSeccompProfile().getType(), name + ": pod seccomp");
        for (Container c : pod.getContainers()) {
            String where = name + "/" + c.getName();
            SecurityContext sc = c.getSecurityContext();
            assertNotNull(sc, where + ": container securityContext");
            assertEquals(Boolean.TRUE, sc.getRunAsNonRoot(), where + ": runAsNonRoot");
            assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), where + ": readOnlyRootFilesystem");
            assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), where + ": allowPrivilegeEscalation");
            assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), where + ": drop ALL");
            assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty(), where + ": no added capabilities");
            assertEquals("RuntimeDefault", sc.getSeccompProfile().getType(), where + ": seccomp");
            assertNotEquals(Boolean.TRUE, sc.getPrivileged(), where + ": privileged");
            assertLimited(where, c);
        }
    }

    private static void assertNotEquals(Object unexpected, Object actual, String message) {
        assertFalse(Objects.equals(unexpected, actual), message);
    }

    private static void assertLimited(String where, Container c) {
        Map<String, Quantity> limits = c.getResources().getLimits();
        Map<String, Quantity> requests = c.getResources().getRequests();
        for (String resource : List.of("cpu", "memory")) {
            assertNotNull(limits.get(resource), where + ": " + resource + " limit");
            assertNotNull(requests.get(resource), where + ": " + resource + " request");
            assertTrue(requests.get(resource).getNumericalAmount().compareTo(limits.get(resource).getNumericalAmount()) <= 0,
                    where + ": " + resource + " request above its limit");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "production", "minimal"})
    void everyServiceHasProbesAWritableTmpAndGracefulShutdown(String values) {
        for (Deployment d : rendered(values).deployments()) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);
            String name = d.getMetadata().getName();
            assertTrue(c.getPorts().stream().anyMatch(p -> "http".equals(p.getName())), name + ": an http port");
            assertProbe(name + " startup", c.getStartupProbe(), "/q/health/live");
            assertProbe(name + " liveness", c.getLivenessProbe(), "/q/health/live");
            assertProbe(name + " readiness", c.getReadinessProbe(), "/q/health/ready");
            Volume tmp = pod.getVolumes().stream().filter(v -> v.getEmptyDir() != null)
                    .filter(v -> c.getVolumeMounts().stream().anyMatch(vm -> vm.getName().equals(v.getName()) && vm.getMountPath().equals("/tmp")))
                    .findFirst().orElse(null);
            assertNotNull(tmp, name + ": an emptyDir at /tmp");
            assertNotNull(tmp.getEmptyDir().getSizeLimit(), name + ": /tmp has a size limit");

            long preStop = preStopSeconds(c);
            assertTrue(preStop > 0, name + ": a preStop pause so readiness drops before the JVM stops");
            assertTrue(pod.getTerminationGracePeriodSeconds() > preStop + 20,
                    name + ": terminationGracePeriodSeconds must exceed preStop (" + preStop + " s) plus the 20 s Quarkus shutdown timeout");
            assertEquals(0, ((Number) d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getValue()).intValue(),
                    name + ": rollouts keep every replica until its replacement is ready");
            assertFalse(c.getImage().endsWith(":latest"), name + ": a pinned image tag");
            assertTrue(c.getImage().matches("[a-z0-9.-]+(:[0-9]+)?/[a-z0-9/-]+/" + c.getName() + ":[A-Za-z0-9._-]+"),
                    name + ": image " + c.getImage());
        }
    }

    private static long preStopSeconds(Container c) {
        var preStop = c.getLifecycle().getPreStop();
        if (preStop.getSleep() != null) {
            return preStop.getSleep().getSeconds();
        }
        List<String> command = preStop.getExec().getCommand();
        assertEquals("sleep", command.get(0));
        return Long.parseLong(command.get(1));
    }

    private static void assertProbe(String what, Probe probe, String path) {
        assertNotNull(probe, what + " probe");
        assertEquals(path, probe.getHttpGet().getPath(), what + " path");
        assertEquals("http", probe.getHttpGet().getPort().getStrVal(), what + " port");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "production", "minimal"})
    void everyDeploymentHasItsOwnDisruptionBudget(String values) {
        Manifests m = rendered(values);
        for (Deployment d : m.deployments()) {
            List<PodDisruptionBudget> budgets = m.ofType(PodDisruptionBudget.class).stream()
                    .filter(pdb -> selects(pdb.getSpec().getSelector(), d.getSpec().getTemplate().getMetadata().getLabels()))
                    .toList();
            assertEquals(1, budgets.size(), d.getMetadata().getName() + ": exactly one PodDisruptionBudget");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "production"})
    void autoscalersTargetTheirDeployments(String values) {
        Manifests m = rendered(values);
        Set<String> deployments = names(m.deployments(), d -> d.getMetadata().getName());
        Set<String> targets = names(m.ofType(HorizontalPodAutoscaler.class), h -> h.getSpec().getScaleTargetRef().getName());
        assertEquals(deployments, targets);
        for (Deployment d : m.deployments()) {
            assertNull(d.getSpec().getReplicas(), d.getMetadata().getName() + ": replicas left to the autoscaler");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "production", "minimal"})
    void onlyRunnerServicesGetAnApiTokenAndThatTokenOnlyManagesJobs(String values) {
        Manifests m = rendered(values);
        for (Deployment d : m.deployments()) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            ServiceAccount sa = m.named(ServiceAccount.class, pod.getServiceAccountName());
            assertEquals(Boolean.FALSE, sa.getAutomountServiceAccountToken(), sa.getMetadata().getName() + ": no token by default");
            List<RoleBinding> bindings = m.ofType(RoleBinding.class).stream()
                    .filter(b -> b.getSubjects().stream().anyMatch(s -> s.getName().equals(sa.getMetadata().getName())))
                    .toList();
            if (Boolean.TRUE.equals(pod.getAutomountServiceAccountToken())) {
                assertEquals(1, bindings.size(), d.getMetadata().getName() + ": mounts a token, so it is bound to its runner Role");
                Role role = m.named(Role.class, bindings.get(0).getRoleRef().getName());
                for (PolicyRule rule : role.getRules()) {
                    assertFalse(rule.getVerbs().contains("*") || rule.getResources().contains("*"), role.getMetadata().getName() + ": no wildcards");
                    assertTrue(Set.of("jobs", "pods", "pods/log").containsAll(rule.getResources()), role.getMetadata().getName() + ": " + rule.getResources());
                }
                assertTrue(role.getRules().stream().anyMatch(r -> r.getResources().contains("jobs") && r.getVerbs().contains("create")));
            } else {
                assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), d.getMetadata().getName() + ": token automount off");
                assertEquals(List.of(), bindings, d.getMetadata().getName() + ": no API permissions");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "production", "minimal"})
    void networkPoliciesDenyByDefaultAndOnlyTheGatewayTakesOutsideTraffic(String values) {
        Manifests m = rendered(values);
        List<NetworkPolicy> policies = m.ofType(NetworkPolicy.class);
        NetworkPolicy deny = policies.stream().filter(p -> p.getMetadata().getName().endsWith("-default-deny")).findFirst()
                .orElseThrow(() -> new AssertionError("no default-deny NetworkPolicy"));
        assertEquals(List.of("Ingress", "Egress"), deny.getSpec().getPolicyTypes());
        assertTrue(deny.getSpec().getIngress().isEmpty() && deny.getSpec().getEgress().isEmpty(), "default deny allows nothing");

        Deployment gateway = deployment(m, "gateway");
        Map<String, String> gatewayLabels = gateway.getSpec().getTemplate().getMetadata().getLabels();
        Set<NetworkPolicyPeer> gatewayPeers = new HashSet<>();
        for (Deployment d : m.deployments()) {
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            String name = d.getMetadata().getName();
            assertTrue(selects(deny.getSpec().getPodSelector(), labels), name + " falls under the default deny");
            List<NetworkPolicy> own = policies.stream().filter(p -> p != deny && selects(p.getSpec().getPodSelector(), labels)).toList();
            assertEquals(1, own.size(), name + ": one NetworkPolicy of its own");
            NetworkPolicy policy = own.get(0);
            assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes());
            if (d == gateway) {
                policy.getSpec().getIngress().forEach(r -> gatewayPeers.addAll(r.getFrom()));
            }
            assertTrue(allowsEgressPort(policy, 53, "UDP"), name + ": DNS");
            assertTrue(allowsEgressPort(policy, 5432, "TCP"), name + ": PostgreSQL");
            if (d != gateway) {
                int port = d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getContainerPort();
                for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                    assertFalse(rule.getFrom() == null || rule.getFrom().isEmpty(), name + ": an ingress rule open to everyone");
                    assertTrue(rule.getPorts().stream().allMatch(p -> p.getPort().getIntVal() == port), name + ": only its own port");
                    for (NetworkPolicyPeer peer : rule.getFrom()) {
                        assertNull(peer.getIpBlock(), name + ": no ipBlock ingress");
                        if (peer.getNamespaceSelector() == null) {
                            assertEquals(gatewayLabels.get("app.kubernetes.io/name"), peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name"),
                                    name + ": pods other than the gateway may not call it");
                        }
                    }
                }
                assertTrue(policy.getSpec().getEgress().stream()
                        .anyMatch(r -> r.getTo() != null && r.getTo().stream().anyMatch(p -> p.getPodSelector() != null
                                && selects(p.getPodSelector(), gatewayLabels))), name + ": reaches the gateway");
            }
            boolean internet = policy.getSpec().getEgress().stream().flatMap(r -> r.getTo() == null ? java.util.stream.Stream.<NetworkPolicyPeer>empty() : r.getTo().stream())
                    .anyMatch(p -> p.getIpBlock() != null && p.getIpBlock().getCidr().equals("0.0.0.0/0"));
            boolean wantsInternet = name.endsWith("enrichment-service") && !values.equals("minimal");
            assertEquals(wantsInternet, internet, name + ": internet egress only for enrichment's research");
            if (internet) {
                NetworkPolicyPeer any = policy.getSpec().getEgress().stream().flatMap(r -> r.getTo().stream())
                        .filter(p -> p.getIpBlock() != null && p.getIpBlock().getCidr().equals("0.0.0.0/0")).findFirst().orElseThrow();
                assertTrue(any.getIpBlock().getExcept().containsAll(List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8")),
                        "internet egress must exclude private, loopback and metadata ranges");
            }
        }
        // The gateway admits peers from outside the release (ingress controllers) that no service admits.
        for (Deployment d : m.deployments()) {
            if (d == gateway) {
                continue;
            }
            NetworkPolicy policy = policies.stream().filter(p -> p != deny
                    && selects(p.getSpec().getPodSelector(), d.getSpec().getTemplate().getMetadata().getLabels())).findFirst().orElseThrow();
            Set<NetworkPolicyPeer> servicePeers = policy.getSpec().getIngress().stream().flatMap(r -> r.getFrom().stream()).collect(Collectors.toSet());
            Set<NetworkPolicyPeer> outside = gatewayPeers.stream().filter(p -> p.getNamespaceSelector() != null && p.getPodSelector() == null)
                    .filter(p -> !p.getNamespaceSelector().getMatchLabels().getOrDefault("kubernetes.io/metadata.name", "").equals("monitoring"))
                    .collect(Collectors.toSet());
            assertFalse(outside.isEmpty(), "the gateway admits the ingress controller");
            outside.forEach(p -> assertFalse(servicePeers.contains(p), d.getMetadata().getName() + " admits an outside peer: " + p));
        }
    }

    private static boolean allowsEgressPort(NetworkPolicy policy, int port, String protocol) {
        for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
            if (rule.getPorts() != null && rule.getPorts().stream()
                    .anyMatch(p -> p.getPort().getIntVal() != null && p.getPort().getIntVal() == port && protocol.equals(p.getProtocol()))) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "production", "minimal"})
    void servicesFindTheGatewayAndTheGatewayFindsEveryService(String values) {
        Manifests m = rendered(values);
        ConfigMap gatewayConfig = configOf(m, "gateway");
        for (Deployment d : m.deployments()) {
            String app = d.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/name");
            ConfigMap config = configOf(m, app);
            int port = d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getContainerPort();
            String key = app.replace("-service", "").toUpperCase();
            assertEquals(String.valueOf(port), config.getData().get("HOTPASS_" + key + "_PORT"), app + ": listens on its container port");
            assertTrue(config.getData().get("HOTPASS_" + key + "_DB_URL").matches("jdbc:postgresql://[^/]+/hotpass_[a-z]+.*"), app + ": its own database");
            if (app.equals("gateway")) {
                continue;
            }
            assertServiceAt(m, gatewayConfig.getData().get("HOTPASS_" + key + "_URL"), app);
            assertServiceAt(m, config.getData().get("HOTPASS_GATEWAY_JWKS_URL"), "gateway");
            assertTrue(config.getData().get("HOTPASS_GATEWAY_JWKS_URL").endsWith("/.well-known/jwks.json"));
        }
        for (String emitter : List.of("ingest-service", "contracts-service", "enrichment-service", "policy-service")) {
            String url = configOf(m, emitter).getData().get("HOTPASS_LINEAGE_EVENTS_URL");
            assertServiceAt(m, url, "gateway");
            assertTrue(url.endsWith("/marquez/api/v1/lineage"), emitter + ": lineage events go to the gateway's Marquez route");
        }
    }

    private static void assertServiceAt(Manifests m, String url, String app) {
        assertNotNull(url, "URL for " + app);
        URI uri = URI.create(url);
        Service service = m.named(Service.class, uri.getHost());
        assertEquals(app, service.getSpec().getSelector().get("app.kubernetes.io/name"), url + " reaches " + app);
        assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == uri.getPort()), url + ": the Service has that port");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "production", "minimal"})
    void secretsArriveOnlyBySecretReference(String values) {
        Manifests m = rendered(values);
        for (ConfigMap config : m.ofType(ConfigMap.class)) {
            for (String key : config.getData().keySet()) {
                assertFalse(key.matches(".*(PASSWORD|SECRET|API_KEY|ADMIN_KEY).*"), config.getMetadata().getName() + " holds " + key);
            }
        }
        for (Deployment d : m.deployments()) {
            for (EnvVar env : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
                if (env.getName().matches(".*(PASSWORD|SECRET|API_KEY|ADMIN_KEY|_USER)$")) {
                    assertNull(env.getValue(), env.getName() + " has a literal value");
                    assertNotNull(env.getValueFrom().getSecretKeyRef(), env.getName() + " comes from a Secret");
                }
            }
        }
        Deployment gateway = deployment(m, "gateway");
        assertTrue(gateway.getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getSecret() != null && v.getName().equals("signing-key")), "the gateway's signing key is a mounted Secret");
        assertTrue(configOf(m, "gateway").getData().get("HOTPASS_GATEWAY_SIGNING_KEY").startsWith("/etc/hotpass/signing/current/"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "production", "minimal"})
    void everyResourceCarriesTheRecommendedLabels(String values) {
        for (HasMetadata r : rendered(values).all()) {
            Map<String, String> labels = r.getMetadata().getLabels();
            String where = r.getKind() + "/" + r.getMetadata().getName();
            for (String label : List.of("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
                    "app.kubernetes.io/managed-by", "app.kubernetes.io/part-of", "helm.sh/chart")) {
                assertNotNull(labels.get(label), where + " lacks " + label);
            }
            assertEquals(Chart.NAMESPACE, r.getMetadata().getNamespace(), where + ": namespaced to the release");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "production"})
    void chartTestsCallTheGatewaysHealthAndAnAuthenticatedEndpoint(String values) {
        Manifests m = rendered(values);
        List<Pod> tests = m.ofType(Pod.class).stream()
                .filter(p -> "chart-test".equals(p.getMetadata().getLabels().get("app.kubernetes.io/component"))).toList();
        assertEquals(2, tests.size(), "two chart tests");
        String gatewayUrl = "http://" + m.ofType(Service.class).stream()
                .filter(s -> "gateway".equals(s.getSpec().getSelector().get("app.kubernetes.io/name"))).findFirst().orElseThrow()
                .getMetadata().getName() + ":8080";
        Container ready = tests.stream().map(p -> p.getSpec().getContainers().get(0))
                .filter(c -> c.getArgs().contains(gatewayUrl + "/q/health/ready")).findFirst()
                .orElseThrow(() -> new AssertionError("no test calls " + gatewayUrl + "/q/health/ready"));
        assertTrue(ready.getArgs().contains("--fail"));
        Container authenticated = tests.stream().map(p -> p.getSpec().getContainers().get(0))
                .filter(c -> c.getEnv().stream().anyMatch(e -> e.getName().equals("HOTPASS_API_KEY"))).findFirst().orElseThrow();
        EnvVar key = authenticated.getEnv().stream().filter(e -> e.getName().equals("HOTPASS_API_KEY")).findFirst().orElseThrow();
        assertNotNull(key.getValueFrom().getSecretKeyRef(), "the test's API key comes from a Secret");
        String url = authenticated.getEnv().stream().filter(e -> e.getName().equals("URL")).findFirst().orElseThrow().getValue();
        assertTrue(url.startsWith(gatewayUrl + "/api/"), url);
        String script = String.join("\n", authenticated.getArgs());
        assertTrue(script.contains("= 401") && script.contains("= 200") && script.contains("X-API-Key: $HOTPASS_API_KEY"), script);
        NetworkPolicy testPolicy = m.ofType(NetworkPolicy.class).stream().filter(p -> p.getMetadata().getName().endsWith("-tests")).findFirst().orElseThrow();
        for (Pod p : tests) {
            assertTrue(selects(testPolicy.getSpec().getPodSelector(), p.getMetadata().getLabels()), "test pods may reach the gateway");
        }
    }

    static Deployment deployment(Manifests m, String app) {
        return m.deployments().stream().filter(d -> app.equals(d.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/name")))
                .findFirst().orElseThrow(() -> new AssertionError("no Deployment of " + app));
    }

    static ConfigMap configOf(Manifests m, String app) {
        Deployment d = deployment(m, app);
        String name = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().get(0).getConfigMapRef().getName();
        return m.named(ConfigMap.class, name);
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null || labels == null) {
            return false;
        }
        if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
            throw new AssertionError("matchExpressions not expected in the chart's selectors");
        }
        Map<String, String> match = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        return labels.entrySet().containsAll(match.entrySet());
    }

    static <T> Set<String> names(List<T> items, java.util.function.Function<T, String> name) {
        return items.stream().map(name).collect(Collectors.toSet());
    }
}
