package io.hotpass.chaos.targets;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The six services as processes on this machine, either started here ({@link #launch}: free ports,
 * databases {@code hotpass_<svc>_chaos} wiped at the first start, credentials made fresh, as the
 * acceptance suite does) or those of a running {@code bin/hotpass up} ({@link #attach}: pids from
 * .hotpass/run, ports 8080-8085, keys from .hotpass/secrets.env). Either way each service can be
 * signalled and started again with exactly the command, environment and working directory it ran
 * with (for an attached one, read from /proc before it is stopped), never wiping its database.
 */
public final class LocalStack implements AutoCloseable {

    public static final List<String> SERVICES = List.of("policy-service", "gateway", "ingest-service", "contracts-service",
            "enrichment-service", "lineage-service");

    /** How to start one service again. */
    record Spec(List<String> command, Map<String, String> env, Path cwd, Path log, Path pidFile) {
    }

    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Spec> specs = new LinkedHashMap<>();
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final List<Process> owned = new ArrayList<>();
    private final boolean launched;
    /** The Redis server this stack started for the gateway's rate limits, and how to start it again; null when none. */
    private List<String> redisCommand;
    private Path redisLog;
    private Process redis;
    private Integer redisPort;
    /** The realm's Keycloak this stack started (FM-07 drills); null when none. */
    private Keycloak keycloak;
    /** Per service: the link the gateway reaches it through when a partition drill asked for one (FM-09). */
    private final Map<String, Link> links = new LinkedHashMap<>();
    private Path root;
    private Path logs;
    public final String adminKey;
    public final String serviceKey;
    public final String dbSuffix;

    private LocalStack(boolean launched, String adminKey, String serviceKey, String dbSuffix) {
        this.launched = launched;
        this.adminKey = adminKey;
        this.serviceKey = serviceKey;
        this.dbSuffix = dbSuffix;
    }

    /**
     * Starts the six packaged services of {@code root} on free ports. {@code extraEnv} reaches every
     * service (e.g. shorter outbox back-off or rate limits for a short drill).
     */
    public static LocalStack launch(Path root, String dbSuffix, Path logs, Map<String, String> extraEnv, Duration timeout) throws IOException {
        return launch(root, dbSuffix, logs, extraEnv, timeout, false);
    }

    /**
     * As {@link #launch(Path, String, Path, Map, Duration)}; with {@code withKeycloak} a real
     * Keycloak too ({@link Keycloak}), started beside the services: policy-service onboards tenants
     * into its realm and the gateway trusts its tokens.
     */
    public static LocalStack launch(Path root, String dbSuffix, Path logs, Map<String, String> extraEnv, Duration timeout,
            boolean withKeycloak) throws IOException {
        return launch(root, dbSuffix, logs, extraEnv, timeout, withKeycloak, Set.of());
    }

    /**
     * As {@link #launch(Path, String, Path, Map, Duration, boolean)}; the gateway reaches each of
     * {@code linked} through a {@link Link} of this runner, which a partition drill cuts. The other
     * services, and the drill's probes, reach them directly.
     */
    public static LocalStack launch(Path root, String dbSuffix, Path logs, Map<String, String> extraEnv, Duration timeout,
            boolean withKeycloak, Set<String> linked) throws IOException {
        LocalStack s = new LocalStack(true, newApiKey(), newApiKey(), dbSuffix);
        s.root = root;
        s.logs = logs;
        Files.createDirectories(logs);
        for (String svc : SERVICES) {
            int port;
            do {
                port = freePort(); // the OS may hand out a just-closed port twice
            } while (s.ports.containsValue(port));
            s.ports.put(svc, port);
        }
        for (String svc : linked) {
            if (!SERVICES.contains(svc) || svc.equals("gateway")) {
                throw new IllegalArgumentException("Only a service behind the gateway can be linked, not '" + svc + "'");
            }
            s.links.put(svc, new Link(svc, s.ports.get(svc)));
        }
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        // A Redis of its own for the gateway's rate limits (as the chart configures them), on a free port, so a drill
        // can kill it without touching the machine's Redis that other tests use.
        Optional<Path> redisServer = findRedisServer();
        if (redisServer.isPresent()) {
            s.redisPort = s.freePortNotTaken();
            Path dir = Files.createDirectories(logs.resolve("redis"));
            s.redisCommand = List.of(redisServer.get().toString(), "--port", Integer.toString(s.redisPort), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString());
            s.redisLog = logs.resolve("redis.log");
            s.startRedis(false);
        }
        if (withKeycloak) {
            s.keycloak = new Keycloak(root, logs, s.freePortNotTaken());
            s.keycloak.start(s.url("gateway")); // its start (tens of seconds) overlaps the services'
        }
        for (String svc : SERVICES) {
            Path app = root.resolve(svc).resolve("target/quarkus-app");
            if (!Files.exists(app.resolve("quarkus-run.jar"))) {
                throw new IllegalStateException(app.resolve("quarkus-run.jar") + " is missing: build the services first (./mvnw -B verify does)");
            }
            // Run a copy: a rebuild of the service while the drill runs must not pull the jars from under it.
            Path copy = logs.resolve("apps").resolve(svc);
            copyTree(app, copy);
            Path jar = copy.resolve("quarkus-run.jar");
            Map<String, String> env = new LinkedHashMap<>(System.getenv());
            String prefix = "HOTPASS_" + svc.replace("-service", "").toUpperCase() + "_";
            env.put("QUARKUS_HTTP_PORT", Integer.toString(s.ports.get(svc)));
            env.put(prefix + "DB_NAME", "hotpass_" + svc.replace("-service", "") + dbSuffix);
            env.put("HOTPASS_DB_CLEAN_AT_START", "true");
            env.put("QUARKUS_FLYWAY_CLEAN_DISABLED", "false");
            env.put("HOTPASS_LOG_JSON", "false");
            env.put("HOTPASS_OTEL_DISABLED", "true");
            env.put("HOTPASS_GATEWAY_JWKS_URL", s.url("gateway") + "/.well-known/jwks.json");
            env.put("HOTPASS_GATEWAY_URL", s.url("gateway"));
            env.put("HOTPASS_BOOTSTRAP_ADMIN_KEY", s.adminKey);
            env.put("HOTPASS_SERVICE_API_KEY", s.serviceKey);
            env.put("HOTPASS_LINEAGE_EVENTS_URL", s.url("gateway") + "/marquez/api/v1/lineage");
            env.put("HOTPASS_GATEWAY_SIGNING_KEY", logs.resolve("chaos-signing-key.pem").toString());
            for (String other : SERVICES) {
                if (!other.equals("gateway")) {
                    env.put("HOTPASS_" + other.replace("-service", "").toUpperCase() + "_URL", s.url(other));
                }
            }
            env.putAll(extraEnv);
            if (s.keycloak != null) {
                env.putAll(s.keycloak.serviceEnv(svc));
            }
            if (svc.equals("gateway")) {
                s.links.forEach((other, link) -> env.put("HOTPASS_" + other.replace("-service", "").toUpperCase() + "_URL", link.url()));
            }
            if (svc.equals("gateway") && s.redisPort != null) {
                env.put("HOTPASS_GATEWAY_RATE_LIMIT_STORE", "redis");
                env.put("HOTPASS_REDIS_URL", "redis://127.0.0.1:" + s.redisPort);
            }
            if (svc.equals("gateway") && "true".equals(extraEnv.get("HOTPASS_FAULT_INJECTION_ENABLED"))) {
                // The services' switches are on: route to them through the gateway (drill stacks only).
                Path routes = FaultRoutes.writeFromPackagedGateway(copy, logs.resolve("gateway-routes-with-faults.yaml"));
                env.put("HOTPASS_GATEWAY_ROUTES_LOCATION", routes.toString());
            }
            // Entity resolution holds the whole dataset in memory: at 200,000 rows (bench/run drills) 384m ran out
            // and the merge plan's attempts died one after the other.
            String heap = svc.equals("enrichment-service") ? "-Xmx1536m" : "-Xmx384m";
            List<String> cmd = List.of(java, heap, "-XX:TieredStopAtLevel=1", "-jar", jar.toString());
            s.specs.put(svc, new Spec(cmd, env, logs, logs.resolve(svc + ".log"), null));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        for (String svc : SERVICES) {
            s.start(svc, false);
        }
        Instant deadline = Instant.now().plus(timeout);
        if (!s.awaitReady(timeout)) {
            s.close();
            throw new IllegalStateException("The stack was not ready in " + timeout + " (logs in " + logs + ")");
        }
        if (s.keycloak != null && !s.keycloak.awaitReady(Duration.between(Instant.now(), deadline).plusSeconds(1))) {
            s.close();
            throw new IllegalStateException("Keycloak was not ready in " + timeout + " (log in " + logs.resolve("keycloak.log") + ")");
        }
        // From now on a start never wipes a database: a restarted service finds its data.
        for (String svc : SERVICES) {
            s.specs.get(svc).env().put("HOTPASS_DB_CLEAN_AT_START", "false");
        }
        return s;
    }

    /** The stack of {@code bin/hotpass up} in {@code root}: pids from .hotpass/run, keys from .hotpass/secrets.env. */
    public static LocalStack attach(Path root) throws IOException {
        Path state = root.resolve(".hotpass");
        Map<String, String> secrets = new LinkedHashMap<>();
        Path secretsFile = state.resolve("secrets.env");
        if (!Files.exists(secretsFile)) {
            throw new IllegalStateException(secretsFile + " is missing: start the stack with bin/hotpass up (or use --launch)");
        }
        for (String line : Files.readAllLines(secretsFile)) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                secrets.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        LocalStack s = new LocalStack(false, secrets.get("HOTPASS_BOOTSTRAP_ADMIN_KEY"), secrets.get("HOTPASS_SERVICE_API_KEY"), "");
        Map<String, Integer> fixed = Map.of("gateway", 8080, "ingest-service", 8081, "contracts-service", 8082, "enrichment-service", 8083,
                "lineage-service", 8084, "policy-service", 8085);
        for (String svc : SERVICES) {
            s.ports.put(svc, fixed.get(svc));
            Path pidFile = state.resolve("run").resolve(svc + ".pid");
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                s.pids.put(svc, pid);
                s.specs.put(svc, specOf(pid, state.resolve("logs").resolve(svc + ".log"), pidFile));
            }
        }
        return s;
    }

    /** Command, environment and working directory of a running process, from /proc. */
    static Spec specOf(long pid, Path log, Path pidFile) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        if (!Files.isDirectory(proc)) {
            return null;
        }
        List<String> cmd = Arrays.asList(new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).split("\0"));
        Map<String, String> env = new LinkedHashMap<>();
        for (String kv : new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.UTF_8).split("\0")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        env.put("HOTPASS_DB_CLEAN_AT_START", "false");
        return new Spec(List.copyOf(cmd), env, proc.resolve("cwd").toRealPath(), log, pidFile);
    }

    public boolean launched() {
        return launched;
    }

    /** The realm's Keycloak this stack runs, if it started one. */
    public Optional<Keycloak> keycloak() {
        return Optional.ofNullable(keycloak);
    }

    /**
     * Gives a launched stack that runs without one a Keycloak (as {@code launch(..., true)} would
     * have): starts it, waits for its realm, then restarts the gateway and policy-service with its
     * settings (their databases kept). Nothing when the stack has one already.
     */
    public synchronized Keycloak startKeycloak(Duration timeout) throws IOException, InterruptedException {
        if (keycloak != null) {
            return keycloak;
        }
        if (!launched) {
            throw new IllegalStateException("Only a launched stack (chaos run --launch) gets a Keycloak of the drill's;"
                    + " bin/hotpass up runs none");
        }
        Keycloak k = new Keycloak(root, logs, freePortNotTaken());
        k.start(url("gateway"));
        keycloak = k; // close() stops it
        if (!k.awaitReady(timeout)) {
            throw new IllegalStateException("Keycloak was not ready in " + timeout + " (log in " + logs.resolve("keycloak.log") + ")");
        }
        for (String svc : List.of("policy-service", "gateway")) {
            specs.get(svc).env().putAll(k.serviceEnv(svc));
            signal(svc, "TERM");
            if (!awaitExit(svc, Duration.ofSeconds(25))) {
                signal(svc, "KILL");
                awaitExit(svc, Duration.ofSeconds(10));
            }
            start(svc, true);
        }
        if (!awaitReady(List.of("policy-service", "gateway"), timeout)) {
            throw new IllegalStateException("The gateway and policy-service were not ready with Keycloak in " + timeout + " (logs in " + logs + ")");
        }
        return k;
    }

    private int freePortNotTaken() throws IOException {
        int port;
        do {
            port = freePort();
        } while (ports.containsValue(port) || Integer.valueOf(port).equals(redisPort));
        return port;
    }

    /** The port of the Redis this stack started for the gateway, if it started one. */
    public Optional<Integer> redisPort() {
        return Optional.ofNullable(redisPort);
    }

    public boolean redisRunning() {
        return redis != null && redis.isAlive();
    }

    /** kill -9 this stack's own Redis (never the machine's). */
    public void killRedis() throws InterruptedException {
        if (redisCommand == null) {
            throw new IllegalStateException("This stack runs no Redis of its own (attached to bin/hotpass up, or no redis-server"
                    + " installed): the runner never stops a Redis it did not start");
        }
        if (redis != null && redis.isAlive()) {
            redis.destroyForcibly();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts this stack's Redis again on its port (empty, as a Redis without persistence comes back) and waits until it answers. */
    public boolean startRedis(boolean append) throws IOException {
        if (redisCommand == null || redisRunning()) {
            return redisRunning();
        }
        redis = new ProcessBuilder(redisCommand).redirectErrorStream(true)
                .redirectOutput(append ? ProcessBuilder.Redirect.appendTo(redisLog.toFile()) : ProcessBuilder.Redirect.to(redisLog.toFile()))
                .start();
        owned.add(redis);
        Process started = redis;
        try {
            // redis-server binds within milliseconds; a process that exits will never answer.
            org.awaitility.Awaitility.await("this stack's Redis answering").atMost(Duration.ofSeconds(10))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> !started.isAlive() || answers(redisPort));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
        return started.isAlive() && answers(redisPort);
    }

    private static boolean answers(int port) {
        try (java.net.Socket sock = new java.net.Socket()) {
            sock.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** How many keys this stack's Redis holds (DBSIZE), or -1 when it does not answer. */
    public long redisKeys() {
        if (redisPort == null) {
            return -1;
        }
        try (java.net.Socket sock = new java.net.Socket()) {
            sock.connect(new java.net.InetSocketAddress("127.0.0.1", redisPort), 1000);
            sock.setSoTimeout(2000);
            sock.getOutputStream().write("*1\r\n$6\r\nDBSIZE\r\n".getBytes(StandardCharsets.US_ASCII));
            sock.getOutputStream().flush();
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(sock.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return line != null && line.startsWith(":") ? Long.parseLong(line.substring(1).trim()) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    static Optional<Path> findRedisServer() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/local/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, "redis-server");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    public Optional<Long> pid(String service) {
        Long pid = pids.get(service);
        return pid != null && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? Optional.of(pid) : Optional.empty();
    }

    public Map<String, Long> pids() {
        return Map.copyOf(pids);
    }

    /** Sends a signal (KILL, TERM, STOP, CONT) to a service's process. */
    public void signal(String service, String signal) throws IOException, InterruptedException {
        Long pid = pids.get(service);
        if (pid == null) {
            throw new IllegalStateException(service + " has no known process");
        }
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    /** Waits for a service's process to exit; false when it is still there after {@code timeout}. */
    public boolean awaitExit(String service, Duration timeout) {
        Long pid = pids.get(service);
        if (pid == null) {
            return true;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) {
            return true;
        }
        try {
            h.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (Exception e) {
            return !h.get().isAlive();
        }
    }

    /** The link the gateway reaches {@code service} through, when this stack was launched with one. */
    public Optional<Link> link(String service) {
        return Optional.ofNullable(links.get(service));
    }

    /** Every link of this stack (none unless launched with some). */
    public java.util.Collection<Link> links() {
        return links.values();
    }

    /** Starts a service again with the command and environment it ran with; its log is appended to. */
    public void restart(String service) throws IOException {
        restart(service, Map.of());
    }

    /**
     * Starts a service again with the command and environment it ran with plus {@code extraEnv}
     * (e.g. a fake clock). A fake clock or a drill's temp directory it was started with before is
     * never carried over: a service is started with one only when asked to be.
     */
    public void restart(String service, Map<String, String> extraEnv) throws IOException {
        if (pid(service).isPresent()) {
            return;
        }
        start(service, true, extraEnv);
    }

    /** Environment variables that give a process a fake clock (libfaketime); see {@link FakeClock}. */
    static boolean fakeClockVariable(String name, String value) {
        return name.startsWith("FAKETIME") || name.equals("LD_PRELOAD") && value.contains("faketime");
    }

    /** True when the service's running process was started with a fake clock (read from /proc). */
    public boolean hasFakeClock(String service) {
        return runningWith(service, LocalStack::fakeClockVariable);
    }

    /** True when the service's running process was started with its temp directory on a disk-full drill's tmpfs. */
    public boolean hasDrillTmpdir(String service) {
        return runningWith(service, DiskFull::drillVariable);
    }

    private boolean runningWith(String service, java.util.function.BiPredicate<String, String> variable) {
        Optional<Long> pid = pid(service);
        if (pid.isEmpty()) {
            return false;
        }
        try {
            for (String kv : new String(Files.readAllBytes(Path.of("/proc", pid.get().toString(), "environ")),
                    StandardCharsets.UTF_8).split("\0")) {
                int eq = kv.indexOf('=');
                if (eq > 0 && variable.test(kv.substring(0, eq), kv.substring(eq + 1))) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false; // gone, or not ours to read
        }
        return false;
    }

    /** A variable of the environment the service is started with (a drill's own settings never included). */
    public Optional<String> environment(String service, String name) {
        Spec spec = specs.get(service);
        return spec == null ? Optional.empty() : Optional.ofNullable(spec.env().get(name)).map(v -> DiskFull.drillVariable(name, v)
                ? DiskFull.withoutDrill(v) : v);
    }

    private void start(String service, boolean append) throws IOException {
        start(service, append, Map.of());
    }

    private void start(String service, boolean append, Map<String, String> extraEnv) throws IOException {
        Spec spec = specs.get(service);
        if (spec == null) {
            throw new IllegalStateException("Cannot start " + service + " again: its command is unknown (was it running when the drill began?)");
        }
        List<String> cmd = new ArrayList<>();
        if (!launched && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid"); // an attached stack outlives the runner, as bin/hotpass's does
        }
        cmd.addAll(spec.command());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(spec.cwd().toFile()).redirectErrorStream(true)
                .redirectOutput(append ? ProcessBuilder.Redirect.appendTo(spec.log().toFile()) : ProcessBuilder.Redirect.to(spec.log().toFile()));
        pb.environment().clear();
        spec.env().forEach((k, v) -> {
            if (DiskFull.drillVariable(k, v)) {
                v = DiskFull.withoutDrill(v); // the JVM's own options, without a drill's temp directory
            }
            if (v != null && !fakeClockVariable(k, v)) {
                pb.environment().put(k, v);
            }
        });
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        if (launched) {
            owned.add(p);
        }
        pids.put(service, p.pid());
        if (spec.pidFile() != null) {
            Files.writeString(spec.pidFile(), p.pid() + "\n");
        }
    }

    /** True once every service answers /q/health/ready with 200. */
    public boolean awaitReady(Duration timeout) {
        return awaitReady(SERVICES, timeout);
    }

    public boolean awaitReady(List<String> services, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        List<String> pending = new ArrayList<>(services);
        while (!pending.isEmpty()) {
            for (String svc : pending) {
                Long pid = pids.get(svc);
                if (launched && pid != null && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                    return false; // it exited (e.g. its port was taken): another process may answer on its port
                }
            }
            pending.removeIf(svc -> ready(client, svc));
            if (pending.isEmpty()) {
                return true;
            }
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            try {
                Thread.sleep(250); // polling a child process's readiness
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private boolean ready(HttpClient client, String svc) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url(svc) + "/q/health/ready")).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops what this runner started (never an attached stack's processes). */
    @Override
    public synchronized void close() {
        if (keycloak != null) {
            keycloak.stop();
        }
        links.values().forEach(Link::close);
        for (Process p : owned) {
            p.destroy();
        }
        for (Process p : owned) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        owned.clear();
    }

    static void copyTree(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            try (var old = Files.walk(to)) {
                for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
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
