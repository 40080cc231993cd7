package io.hotpass.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real Keycloak of the acceptance stack: the distribution policy-service's build unpacked
 * ({@code policy-service/target/keycloak}, from Maven Central), started with {@code kc.sh start-dev}
 * on a free loopback port, an in-memory database, and the realm of
 * {@code k8s/keycloak/realm-hotpass.json} imported — with the console client's redirect URIs
 * pointed at this stack's gateway, the only change. Its master admin is used to give the realm's
 * people passwords, as an operator would.
 */
final class Keycloak {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "acceptance-admin-password";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path root;
    private final Path log;
    final int port;
    private Process process;

    Keycloak(Path root, Path logs, int port) {
        this.root = root;
        this.log = logs.resolve("keycloak.log");
        this.port = port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String issuer() {
        return url() + "/realms/hotpass";
    }

    /** Starts the process; {@link #awaitReady} waits for the realm. */
    void start(String gatewayUrl) throws IOException {
        Path dist = root.resolve("policy-service/target/keycloak");
        Path home;
        if (!Files.isDirectory(dist)) {
            throw new IllegalStateException(dist + " is missing: policy-service's build unpacks Keycloak there"
                    + " (./mvnw -B verify does; -DskipTests skips it)");
        }
        try (Stream<Path> dirs = Files.list(dist)) {
            home = dirs.filter(d -> d.getFileName().toString().startsWith("keycloak-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(dist + " holds no Keycloak distribution"));
        }
        deleteTree(home.resolve("data"));
        Files.createDirectories(home.resolve("data/import"));
        ObjectNode realm = (ObjectNode) MAPPER.readTree(root.resolve("k8s/keycloak/realm-hotpass.json").toFile());
        for (JsonNode c : realm.path("clients")) {
            if (c.path("clientId").asText().equals("hotpass-console")) {
                ((ObjectNode) c).set("redirectUris", MAPPER.valueToTree(List.of(gatewayUrl + "/*")));
                ((ObjectNode) c).set("webOrigins", MAPPER.valueToTree(List.of(gatewayUrl)));
                ((ObjectNode) c).put("baseUrl", gatewayUrl + "/console/");
            }
        }
        MAPPER.writeValue(home.resolve("data/import/realm-hotpass.json").toFile(), realm);
        ProcessBuilder pb = new ProcessBuilder("bash", "bin/kc.sh", "start-dev", "--http-port=" + port,
                "--http-host=127.0.0.1", "--hostname=" + url(), "--db=dev-mem", "--import-realm")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("HOTPASS_CLIENT_SECRET_TENANT_ACME", "acme-acceptance-secret");
        env.put("HOTPASS_CLIENT_SECRET_TENANT_GLOBEX", "globex-acceptance-secret");
        env.put("HOTPASS_CLIENT_SECRET_POLICY_ADMIN", "policy-admin-acceptance-secret");
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        process = pb.start();
    }

    boolean ready(HttpClient http) {
        if (!process.isAlive()) {
            throw new IllegalStateException("Keycloak exited during start-up; see " + log);
        }
        try {
            return http.send(HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration")).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Gives a realm user a permanent password and clears the actions they would be asked for first. */
    void setPassword(String username, String password) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String form = "grant_type=password&client_id=admin-cli&username=" + ADMIN + "&password="
                + URLEncoder.encode(ADMIN_PASSWORD, StandardCharsets.UTF_8);
        JsonNode token = MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(url() + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String bearer = "Bearer " + token.path("access_token").asText();
        String admin = url() + "/admin/realms/hotpass";
        ArrayNode users = (ArrayNode) MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(admin + "/users?exact=true&username="
                + URLEncoder.encode(username, StandardCharsets.UTF_8))).header("Authorization", bearer).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        if (users.isEmpty()) {
            throw new IllegalStateException("No user " + username + " in the realm");
        }
        String id = users.get(0).path("id").asText();
        send(http, HttpRequest.newBuilder(URI.create(admin + "/users/" + id + "/reset-password")).header("Authorization", bearer)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        MAPPER.writeValueAsString(Map.of("type", "password", "value", password, "temporary", false)))).build());
        send(http, HttpRequest.newBuilder(URI.create(admin + "/users/" + id)).header("Authorization", bearer)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        MAPPER.writeValueAsString(Map.of("requiredActions", List.of())))).build());
    }

    private static void send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /**
     * Freezes Keycloak (SIGSTOP to it and its JVM): its port still accepts connections and nothing
     * answers, as when it is unreachable behind a partition. {@link #resume} undoes it.
     */
    void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("kill", signal, Long.toString(process.pid())));
        process.descendants().forEach(h -> command.add(Long.toString(h.pid())));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (kill.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out);
        }
    }

    void stop() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
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
