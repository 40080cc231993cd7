package io.hotpass.chaos.targets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The realm's Keycloak beside a launched drill stack (FM-07 drills): the distribution that
 * policy-service's build unpacks ({@code policy-service/target/keycloak}, keycloak-quarkus-dist)
 * copied under the stack's logs folder (so a test elsewhere wiping that distribution's data folder
 * never touches this one), started with {@code kc.sh start-dev} on a free loopback port, an
 * in-memory database and {@code k8s/keycloak/realm-hotpass.json} imported, its client secrets and
 * master admin password made fresh. policy-service onboards each drill tenant into it (client
 * {@code tenant-<id>}), and the gateway trusts its issuer, as the acceptance stack configures them.
 *
 * <p>{@link #pause} freezes it (SIGSTOP to the launcher and its JVM: the port accepts connections
 * and nothing answers, the worst kind of unreachable); {@link #resume} continues it.
 */
public final class Keycloak {

    public static final String REALM = "hotpass";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Path dir;
    private final Path log;
    public final int port;
    /** The secret of hotpass-policy-admin, the client policy-service onboards tenants with. */
    public final String policyAdminSecret = LocalStack.newApiKey();
    private final String adminPassword = LocalStack.newApiKey();
    private Process process;

    Keycloak(Path root, Path logs, int port) {
        this.root = root;
        this.dir = logs.resolve("keycloak");
        this.log = logs.resolve("keycloak.log");
        this.port = port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String issuer() {
        return url() + "/realms/" + REALM;
    }

    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    /** The distribution policy-service's build unpacked (the version its pom names). */
    static Path distribution(Path root) throws IOException {
        Path dist = root.resolve("policy-service/target/keycloak");
        if (!Files.isDirectory(dist)) {
            throw new IllegalStateException(dist + " is missing: policy-service's build unpacks Keycloak there"
                    + " (./mvnw -B verify does, or ./mvnw -B generate-test-resources -pl policy-service; -DskipTests skips it)");
        }
        try (Stream<Path> dirs = Files.list(dist)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("keycloak-") && Files.isDirectory(d.resolve("bin")))
                    .findFirst().orElseThrow(() -> new IllegalStateException(dist + " holds no Keycloak distribution"));
        }
    }

    /** Environment of the gateway and of policy-service on a stack with this Keycloak (the acceptance stack's settings). */
    Map<String, String> serviceEnv(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        if (service.equals("gateway")) {
            env.put("HOTPASS_OIDC_ENABLED", "true");
            env.put("HOTPASS_OIDC_ISSUER", issuer());
            env.put("HOTPASS_GATEWAY_OIDC_AUDIENCES", "hotpass-gateway");
            env.put("HOTPASS_GATEWAY_OIDC_CONSOLE_CLIENT_ID", "hotpass-console");
        } else if (service.equals("policy-service")) {
            env.put("HOTPASS_KEYCLOAK_ENABLED", "true");
            env.put("HOTPASS_KEYCLOAK_URL", url());
            env.put("HOTPASS_CLIENT_SECRET_POLICY_ADMIN", policyAdminSecret);
        }
        return env;
    }

    /** Copies the distribution (once per version), imports the realm into a wiped data folder and starts it; see {@link #ready}. */
    void start(String gatewayUrl) throws IOException {
        Path dist = distribution(root);
        Path home = dir.resolve(dist.getFileName().toString());
        if (!Files.exists(home.resolve("version.txt"))) {
            // Kept between launches: kc.sh start-dev's build step then finds its work done.
            LocalStack.copyTree(dist, home);
        }
        deleteTree(home.resolve("data"));
        Files.createDirectories(home.resolve("data/import"));
        ObjectNode realm = (ObjectNode) JSON.readTree(root.resolve("k8s/keycloak/realm-hotpass.json").toFile());
        for (JsonNode c : realm.path("clients")) {
            if (c.path("clientId").asText().equals("hotpass-console")) {
                ((ObjectNode) c).set("redirectUris", JSON.valueToTree(List.of(gatewayUrl + "/*")));
                ((ObjectNode) c).set("webOrigins", JSON.valueToTree(List.of(gatewayUrl)));
                ((ObjectNode) c).put("baseUrl", gatewayUrl + "/console/");
            }
        }
        JSON.writeValue(home.resolve("data/import/realm-hotpass.json").toFile(), realm);
        ProcessBuilder pb = new ProcessBuilder("bash", "bin/kc.sh", "start-dev", "--http-port=" + port, "--http-host=127.0.0.1",
                "--hostname=" + url(), "--db=dev-mem", "--import-realm")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        env.put("HOTPASS_CLIENT_SECRET_POLICY_ADMIN", policyAdminSecret);
        env.put("HOTPASS_CLIENT_SECRET_TENANT_ACME", LocalStack.newApiKey());
        env.put("HOTPASS_CLIENT_SECRET_TENANT_GLOBEX", LocalStack.newApiKey());
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        process = pb.start();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** True once the realm's discovery document answers; throws when Keycloak exited. */
    boolean ready(HttpClient http) {
        if (!alive()) {
            throw new IllegalStateException("Keycloak exited during start-up; see " + log);
        }
        try {
            return http.send(HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(3))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the realm answers; false after {@code timeout}. */
    boolean awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            org.awaitility.Awaitility.await("Keycloak's realm (log " + log + ")").atMost(timeout).pollInterval(Duration.ofMillis(500))
                    .until(() -> ready(http));
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    /** SIGSTOP to the launcher and its JVM: the port accepts connections and nothing answers. */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT to the launcher and its JVM; harmless when it runs. */
    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    /** True when the Keycloak JVM is stopped by a signal (state T in /proc). */
    public boolean paused() {
        if (!alive()) {
            return false;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        for (ProcessHandle h : all) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
                String state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
                if (state.equals("T")) {
                    return true;
                }
            } catch (IOException | StringIndexOutOfBoundsException gone) {
                // exited meanwhile
            }
        }
        return false;
    }

    private void signal(String signal) throws IOException, InterruptedException {
        if (!alive()) {
            throw new IllegalStateException("Keycloak is not running (log " + log + ")");
        }
        List<String> command = new ArrayList<>(List.of("kill", signal, Long.toString(process.pid())));
        process.descendants().forEach(h -> command.add(Long.toString(h.pid())));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out);
        }
    }

    /** Continues it if frozen, then stops it and its JVM. */
    void stop() {
        if (process == null) {
            return;
        }
        try {
            if (process.isAlive()) {
                resume(); // a stopped process does not act on SIGTERM until continued
            }
        } catch (Exception e) {
            // stopping it anyway
        }
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
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
