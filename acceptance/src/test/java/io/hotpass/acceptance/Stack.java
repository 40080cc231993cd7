package io.hotpass.acceptance;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole suite as it runs in production: the six packaged services (target/quarkus-app) as
 * separate JVM processes on free ports, each with a database of its own ({@code hotpass_<svc>_it},
 * wiped at start) and the platform credentials made fresh for this run. Started once per test JVM,
 * stopped when it exits. Logs go to acceptance/target/stack-logs/.
 */
public final class Stack {

    public static final List<String> SERVICES = List.of("policy-service", "gateway", "ingest-service",
            "contracts-service", "enrichment-service", "lineage-service");

    private static Stack instance;

    public final Path root;
    public final Map<String, Integer> ports = new LinkedHashMap<>();
    public final String adminKey = newApiKey();
    public final String serviceKey = newApiKey();
    private final List<Process> processes = new ArrayList<>();
    public final Path logs;
    /** The OTLP receiver every service of the stack exports its spans to. */
    public TraceCollector traces;
    /** The realm the gateway trusts for bearer tokens and the console's sign-in. */
    Keycloak keycloak;

    public static synchronized Stack get() {
        if (instance == null) {
            instance = new Stack();
            instance.start();
        }
        return instance;
    }

    private Stack() {
        root = Path.of(System.getProperty("hotpass.root", "..")).toAbsolutePath().normalize();
        logs = root.resolve("acceptance/target/stack-logs");
    }

    public String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    public String gateway() {
        return url("gateway");
    }

    private void start() {
        try {
            Files.createDirectories(logs);
            traces = new TraceCollector();
            for (String s : SERVICES) {
                ports.put(s, freePortNotTaken());
            }
            keycloak = new Keycloak(root, logs, freePortNotTaken());
            keycloak.start(gateway());
            for (String s : SERVICES) {
                processes.add(launch(s));
            }
            Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
            Duration timeout = Duration.ofSeconds(Long.getLong("hotpass.it.start-timeout", 180));
            awaitReady(timeout);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            org.awaitility.Awaitility.await("Keycloak (log in " + logs + ")").atMost(timeout)
                    .pollInterval(Duration.ofMillis(500)).until(() -> keycloak.ready(http));
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the stack", e);
        }
    }

    private Process launch(String service) throws IOException {
        Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first (./mvnw -B verify does)");
        }
        String db = "hotpass_" + service.replace("-service", "") + "_it";
        String envPrefix = "HOTPASS_" + service.replace("-service", "").toUpperCase() + "_";
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                .directory(root.resolve("acceptance/target").toFile())
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve(service + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(ports.get(service)));
        env.put(envPrefix + "DB_NAME", db);
        env.put("HOTPASS_DB_CLEAN_AT_START", "true");
        env.put("QUARKUS_FLYWAY_CLEAN_DISABLED", "false");
        env.put("HOTPASS_LOG_JSON", "false");
        // Traces go to the suite's own OTLP receiver, so a test can follow one across processes.
        env.put("HOTPASS_OTEL_DISABLED", "false");
        env.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces.endpoint() + "/v1/traces"); // used as-is
        env.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf");
        env.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "500ms");
        env.put("HOTPASS_GATEWAY_JWKS_URL", gateway() + "/.well-known/jwks.json");
        env.put("HOTPASS_GATEWAY_URL", gateway());
        env.put("HOTPASS_BOOTSTRAP_ADMIN_KEY", adminKey);
        env.put("HOTPASS_SERVICE_API_KEY", serviceKey);
        env.put("HOTPASS_LINEAGE_EVENTS_URL", gateway() + "/marquez/api/v1/lineage");
        env.put("HOTPASS_GATEWAY_SIGNING_KEY", root.resolve("acceptance/target/it-signing-key.pem").toString());
        env.put("HOTPASS_OUTBOX_POLL_INTERVAL", "1s");
        env.put("HOTPASS_OIDC_ENABLED", "true");
        env.put("HOTPASS_OIDC_ISSUER", keycloak.issuer());
        env.put("HOTPASS_GATEWAY_OIDC_AUDIENCES", "hotpass-gateway");
        env.put("HOTPASS_GATEWAY_OIDC_CONSOLE_CLIENT_ID", "hotpass-console");
        for (String s : SERVICES) {
            if (!s.equals("gateway")) {
                env.put("HOTPASS_" + s.replace("-service", "").toUpperCase() + "_URL", url(s));
            }
        }
        return pb.start();
    }

    private void awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        List<String> pending = new ArrayList<>(SERVICES);
        while (!pending.isEmpty()) {
            for (int i = 0; i < processes.size(); i++) {
                if (!processes.get(i).isAlive()) {
                    throw new IllegalStateException(SERVICES.get(i) + " exited during start-up; see " + logs.resolve(SERVICES.get(i) + ".log"));
                }
            }
            pending.removeIf(s -> {
                try {
                    return client.send(HttpRequest.newBuilder(URI.create(url(s) + "/q/health/ready")).GET().build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Not ready in " + timeout + ": " + pending + " (logs in " + logs + ")");
            }
            try {
                Thread.sleep(250); // polling a child process's readiness, not a test wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void stop() {
        for (Process p : processes) {
            p.destroy();
        }

        for (Process p : processes) {
            try {
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        if (traces != null) {
            traces.stop(); // after the services, which export their last spans as they stop
        }
        if (keycloak != null) {
            keycloak.stop();
        }
    }

    /** The log of one service, for assertions that nothing secret was logged. */
    public String log(String service) throws IOException {
        return Files.readString(logs.resolve(service + ".log"));
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    private int freePortNotTaken() throws IOException {
        int port;
        do {
            port = freePort();
        } while (ports.containsValue(port));
        return port;
    }

    /**
     * A free port below the kernel's ephemeral range ({@code ip_local_port_range}, 32768– here): the
     * OS never hands those to outgoing connections or to port-0 listeners, so nothing else can take
     * it between this check and the server's own bind. Keycloak binds its port some 20 s after it is
     * chosen, and once on CI a port from the ephemeral range was taken in between ("Port already
     * bound"). Falls back to a port the OS picks when that range is too small to search.
     */
    private static int freePort() throws IOException {
        int low = 32768;
        try {
            low = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: assume the usual range
        }
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; low > 11_000 && attempt < 200; attempt++) {
            int port = random.nextInt(10_000, low);
            try (ServerSocket s = new ServerSocket(port)) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String newApiKey() {
        SecureRandom r = new SecureRandom();
        String lower = "abcdefghijklmnopqrstuvwxyz0123456789";
        String mixed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder("hp_");
        for (int i = 0; i < 12; i++) {
            sb.append(lower.charAt(r.nextInt(lower.length())));
        }
        sb.append('_');
        for (int i = 0; i < 32; i++) {
            sb.append(mixed.charAt(r.nextInt(mixed.length())));
        }
        return sb.toString();
    }
}
