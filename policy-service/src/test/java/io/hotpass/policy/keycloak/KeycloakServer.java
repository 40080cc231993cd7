package io.hotpass.policy.keycloak;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Keycloak for the onboarding tests: the distribution Maven unpacked into
 * {@code target/keycloak}, started with {@code kc.sh start-dev} on a free loopback port with the
 * realm of {@code k8s/keycloak/realm-hotpass.json} imported (its client secrets from the
 * environment, as in a deployment). About a minute to start on this machine; stopped after the class.
 */
public class KeycloakServer implements QuarkusTestResourceLifecycleManager {

    static final String POLICY_ADMIN_SECRET = "policy-admin-test-secret";
    static volatile String url;

    private Process process;

    @Override
    public Map<String, String> start() {
        try {
            Path home;
            try (Stream<Path> dirs = Files.list(Path.of("target/keycloak"))) {
                home = dirs.filter(d -> d.getFileName().toString().startsWith("keycloak-")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("target/keycloak holds no distribution; run the"
                                + " build through Maven (the dependency plugin unpacks it)"));
            }
            deleteTree(home.resolve("data"));
            Files.createDirectories(home.resolve("data/import"));
            Files.copy(Path.of("../k8s/keycloak/realm-hotpass.json"), home.resolve("data/import/realm-hotpass.json"));
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder("bash", "bin/kc.sh", "start-dev", "--http-port=" + port,
                    "--http-host=127.0.0.1", "--import-realm").directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(Path.of("target/keycloak.log").toFile());
            pb.environment().put("HOTPASS_CLIENT_SECRET_TENANT_ACME", "acme-test-secret");
            pb.environment().put("HOTPASS_CLIENT_SECRET_TENANT_GLOBEX", "globex-test-secret");
            pb.environment().put("HOTPASS_CLIENT_SECRET_POLICY_ADMIN", POLICY_ADMIN_SECRET);
            pb.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            process = pb.start();
            url = "http://127.0.0.1:" + port;
            awaitRealm(Duration.ofSeconds(Long.getLong("hotpass.keycloak.start-timeout", 240)));
            return Map.of("hotpass.policy.keycloak.enabled", "true", "hotpass.policy.keycloak.server-url", url,
                    "hotpass.policy.keycloak.client-secret", POLICY_ADMIN_SECRET);
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak could not be started", e);
        }
    }

    private void awaitRealm(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited during start-up; see policy-service/target/keycloak.log");
            }
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create(url + "/realms/hotpass/.well-known/openid-configuration"))
                        .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(500); // polling a child process's readiness, not a test wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Keycloak was not ready in " + timeout + "; see policy-service/target/keycloak.log");
    }

    @Override
    public void stop() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
