package io.hotpass.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The production-like values switch on the operator resources; they must fit the services they
 * serve: a database per service, backups, the realm import with its secrets as placeholders,
 * monitoring that selects the Services, and routes that reach the gateway.
 */
class ProductionValuesTest {

    private final Manifests m = RenderedManifestsTest.rendered("production");

    @Test
    void cloudNativePgClusterHoldsOneDatabasePerServiceAndBacksUp() {
        GenericKubernetesResource cluster = m.ofKind("postgresql.cnpg.io/v1", "Cluster").get(0);
        Map<String, Object> spec = cluster.get("spec");
        assertEquals(3, spec.get("instances"));
        assertEquals(false, spec.get("enableSuperuserAccess"));
        Set<String> databases = m.ofKind("postgresql.cnpg.io/v1", "Database").stream()
                .map(d -> (String) d.<Map<String, Object>>get("spec").get("name")).collect(Collectors.toSet());
        Set<String> wanted = m.ofType(ConfigMap.class).stream().flatMap(c -> c.getData().entrySet().stream())
                .filter(e -> e.getKey().endsWith("_DB_NAME")).map(Map.Entry::getValue).collect(Collectors.toSet());
        assertEquals(6, wanted.size());
        assertEquals(wanted, databases, "a CloudNativePG Database for every service's database");
        String rw = "jdbc:postgresql://" + cluster.getMetadata().getName() + "-rw:5432";
        m.ofType(ConfigMap.class).stream().filter(c -> c.getData().containsKey("HOTPASS_DB_URL"))
                .forEach(c -> assertEquals(rw, c.getData().get("HOTPASS_DB_URL"), c.getMetadata().getName()));
        m.ofType(ConfigMap.class).stream().filter(c -> c.getData().containsKey("HOTPASS_DB_BOOTSTRAP"))
                .forEach(c -> assertEquals("false", c.getData().get("HOTPASS_DB_BOOTSTRAP"), "the operator provisions, services do not"));
        GenericKubernetesResource backup = m.ofKind("postgresql.cnpg.io/v1", "ScheduledBackup").get(0);
        assertEquals(cluster.getMetadata().getName(), ((Map<?, ?>) backup.<Map<String, Object>>get("spec").get("cluster")).get("name"));
        assertTrue(((List<?>) spec.get("plugins")).stream().anyMatch(p -> Boolean.TRUE.equals(((Map<?, ?>) p).get("isWALArchiver"))),
                "WAL archiving for point-in-time recovery");
    }

    @Test
    void keycloakRealmImportIsTheCommittedRealmWithSecretsFromASecret() throws Exception {
        GenericKubernetesResource realmImport = m.ofKind("k8s.keycloak.org/v2alpha1", "KeycloakRealmImport").get(0);
        Map<String, Object> spec = realmImport.get("spec");
        ObjectMapper json = new ObjectMapper();
        JsonNode imported = json.valueToTree(spec.get("realm"));
        JsonNode committed = json.readTree(Repository.read("k8s/keycloak/realm-hotpass.json"));
        assertEquals(committed, imported, "the chart imports k8s/keycloak/realm-hotpass.json unchanged");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Map<String, String>>> placeholders = (Map<String, Map<String, Map<String, String>>>) spec.get("placeholders");
        for (JsonNode client : committed.get("clients")) {
            String secret = client.path("secret").asText("");
            if (secret.startsWith("${")) {
                Map<String, String> ref = placeholders.get(secret.substring(2, secret.length() - 1)).get("secret");
                assertNotNull(ref, client.get("clientId") + ": its placeholder is filled from a Secret");
                assertEquals(client.get("clientId").asText(), ref.get("key"));
            }
        }
        ConfigMap gateway = RenderedManifestsTest.configOf(m, "gateway");
        assertEquals("true", gateway.getData().get("HOTPASS_OIDC_ENABLED"));
        assertEquals("https://sso.hotpass.example.com/realms/hotpass", gateway.getData().get("HOTPASS_OIDC_ISSUER"));
    }

    @Test
    void serviceMonitorScrapesEveryServiceMetricsEndpoint() {
        ServiceMonitor monitor = m.ofType(ServiceMonitor.class).get(0);
        assertEquals("/q/metrics", monitor.getSpec().getEndpoints().get(0).getPath());
        assertEquals("http", monitor.getSpec().getEndpoints().get(0).getPort());
        for (Service s : m.ofType(Service.class)) {
            assertTrue(s.getMetadata().getLabels().entrySet().containsAll(monitor.getSpec().getSelector().getMatchLabels().entrySet()),
                    s.getMetadata().getName() + " is scraped");
        }
    }

    @Test
    void ingressAndHttpRouteReachOnlyTheGateway() {
        Service gateway = m.ofType(Service.class).stream().filter(s -> "gateway".equals(s.getSpec().getSelector().get("app.kubernetes.io/name")))
                .findFirst().orElseThrow();
        Ingress ingress = m.ofType(Ingress.class).get(0);
        ingress.getSpec().getRules().forEach(r -> r.getHttp().getPaths().forEach(
                p -> assertEquals(gateway.getMetadata().getName(), p.getBackend().getService().getName())));
        assertEquals("hotpass-tls", ingress.getSpec().getTls().get(0).getSecretName());
        HTTPRoute route = m.ofType(HTTPRoute.class).get(0);
        route.getSpec().getRules().forEach(r -> r.getBackendRefs().forEach(b -> {
            assertEquals(gateway.getMetadata().getName(), b.getName());
            assertEquals(gateway.getSpec().getPorts().get(0).getPort(), b.getPort());
        }));
        // TLS ends at that proxy: the gateway believes its X-Forwarded-Proto, so browsers get HSTS.
        assertEquals("true", RenderedManifestsTest.configOf(m, "gateway").getData().get("HOTPASS_GATEWAY_TRUST_FORWARDED_PROTO"));
    }

    @Test
    void gatewayMountsTheCurrentKeyAndPublishesThePreviousOne() {
        Deployment gateway = RenderedManifestsTest.deployment(m, "gateway");
        var volumes = gateway.getSpec().getTemplate().getSpec().getVolumes();
        assertTrue(volumes.stream().anyMatch(v -> v.getSecret() != null && v.getSecret().getSecretName().equals("hotpass-gateway-signing-key-2026-11")));
        assertTrue(volumes.stream().anyMatch(v -> v.getSecret() != null && v.getSecret().getSecretName().equals("hotpass-gateway-previous-keys")));
        ConfigMap config = RenderedManifestsTest.configOf(m, "gateway");
        assertEquals("/etc/hotpass/signing/previous/signing-key-2026-10.pub.pem",
                config.getData().get("HOTPASS_GATEWAY_SIGNING_PREVIOUS_PUBLIC_KEY_LOCATIONS"));
        var mounts = gateway.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts();
        assertTrue(mounts.stream().allMatch(vm -> vm.getMountPath().equals("/tmp") || Boolean.TRUE.equals(vm.getReadOnly())),
                "key material is mounted read-only");
        assertEquals("redis", config.getData().get("HOTPASS_GATEWAY_RATE_LIMIT_STORE"));
        var env = gateway.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertTrue(env.stream().anyMatch(e -> e.getName().equals("QUARKUS_REDIS_PASSWORD") && e.getValueFrom().getSecretKeyRef() != null));
    }
}
