package io.hotpass.chaos.targets;

import io.hotpass.chaos.drill.Journal;
import io.hotpass.chaos.scenario.Scenario;
import io.hotpass.chaos.workload.Api;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Faults on the local stack: kill -9, SIGTERM or SIGSTOP a service's process and start or continue
 * it again; restart it with its clock off the machine's (libfaketime) and back; restart (or stop and start) the PostgreSQL cluster with pg_ctlcluster, as root does in
 * CI; SIGSTOP the stack's Keycloak and continue it; set a fault on a service's fault-injection switch (latency, error rate on a route) and clear
 * it; kill -9 the stack's own Redis and start it again; restart a service with its temp directory
 * on a full tmpfs and free the space; cut the gateway's {@link Link} to a service (a partition) and heal it. Its sweep continues every stack process (a runner killed
 * during a pause leaves one stopped), starts PostgreSQL and the stack's Redis when they do not
 * answer, restarts a service left with a fake clock or a drill's temp directory, unmounts the
 * drill's tmpfs, and clears every switch.
 */
public final class LocalTarget implements Target {

    /** The fault's {@code service} naming the stack's Keycloak (action pause). */
    public static final String KEYCLOAK = "keycloak";

    private final LocalStack stack;
    private final Databases databases;
    private final List<String> pgCtl;

    public LocalTarget(LocalStack stack, Databases databases, List<String> pgCtl) {
        this.stack = stack;
        this.databases = databases;
        this.pgCtl = pgCtl;
    }

    /** {@code pg_ctlcluster --skip-systemctl-redirect <version> main}, the version being the one folder of /etc/postgresql. */
    public static List<String> defaultPgCtl() {
        String version = "15";
        try (var dirs = Files.list(Path.of("/etc/postgresql"))) {
            version = dirs.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b).orElse(version);
        } catch (IOException e) {
            // No local cluster folder: keep the default; the command will say what is wrong.
        }
        return List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main");
    }

    public LocalStack stack() {
        return stack;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String gatewayUrl() {
        return stack.url("gateway");
    }

    @Override
    public Optional<String> serviceUrl(String service) {
        return LocalStack.SERVICES.contains(service) ? Optional.of(stack.url(service)) : Optional.empty();
    }

    @Override
    public String adminKey() {
        return stack.adminKey;
    }

    @Override
    public Optional<Keycloak> keycloak() {
        return stack.keycloak();
    }

    @Override
    public Optional<Databases> databases() {
        return Optional.ofNullable(databases);
    }

    @Override
    public void sweep(Journal journal) throws Exception {
        for (String svc : LocalStack.SERVICES) {
            if (stack.pid(svc).isPresent()) {
                stack.signal(svc, "CONT");
            }
        }
        Optional<Keycloak> keycloak = stack.keycloak();
        if (keycloak.isPresent() && keycloak.get().paused()) { // a keycloak-unreachable drill whose runner died during the pause
            keycloak.get().resume();
            journal.event("sweep", "Keycloak was frozen: SIGCONT");
        }
        for (String svc : LocalStack.SERVICES) {
            if (stack.hasFakeClock(svc)) { // a clock-skew drill whose runner died before its rollback
                journal.event("sweep", svc + " still runs with a fake clock: restarting it with the machine's");
                stopGracefully(svc);
                restart(svc, journal);
            }
        }
        for (String svc : LocalStack.SERVICES) {
            if (stack.hasDrillTmpdir(svc)) { // a disk-full drill whose runner died, or its end
                journal.event("sweep", svc + " runs with its temp directory on a drill's tmpfs: restarting it with its own");
                stopGracefully(svc);
                restart(svc, journal);
            }
        }
        for (Link link : stack.links()) {
            if (link.isCut()) { // a partition whose rollback did not run (an aborted drill)
                link.heal();
                journal.event("sweep", "the link gateway → " + link.name() + " was cut: healed");
            }
        }
        for (Path mount : DiskFull.mounts()) {
            DiskFull.unmount(mount);
            journal.event("sweep", "the disk-full drill's tmpfs at " + mount + " unmounted");
        }
        if (!postgresAnswers()) {
            journal.event("sweep", "PostgreSQL did not answer: starting it");
            pg("start");
        }
        if (stack.redisPort().isPresent() && !stack.redisRunning()) {
            journal.event("sweep", "the stack's Redis was down: starting it");
            stack.startRedis(true);
        }
        // Faults an earlier runner set and could not clear (they expire anyway): clear them now. A stack whose gateway
        // has no switch routes answers 404 here, which is nothing to sweep.
        Api api = new Api(stack.url("gateway"), null);
        List<String> cleared = new java.util.ArrayList<>();
        for (String svc : FaultRoutes.UPSTREAMS.values()) {
            Api.Response r = api.send(null, "DELETE", FaultRoutes.path(svc), stack.adminKey, null, Map.of(), Duration.ofSeconds(10));
            if (r.status() == 204) {
                cleared.add(svc);
            }
        }
        if (!cleared.isEmpty()) {
            journal.event("sweep", "every fault switch cleared (" + String.join(", ", cleared.stream().sorted().toList()) + ")");
        }
    }

    @Override
    public Injected inject(Scenario.Fault fault, Journal journal) throws Exception {
        String svc = fault.service();
        switch (fault.action()) {
            case "kill" -> {
                stack.signal(svc, "KILL");
                stack.awaitExit(svc, Duration.ofSeconds(10));
                journal.event("fault", "kill -9 " + svc);
                return once(() -> restart(svc, journal));
            }
            case "stop" -> {
                stopGracefully(svc);
                journal.event("fault", svc + " stopped");
                return once(() -> restart(svc, journal));
            }
            case "clock-skew" -> {
                return clockSkew(fault, journal);
            }
            case "disk-full" -> {
                return diskFull(fault, journal);
            }
            case "pause" -> {
                if (KEYCLOAK.equals(svc)) {
                    Keycloak k = stack.keycloak().orElseThrow(() -> new IllegalStateException(
                            "This stack runs no Keycloak: the scenario must declare requires: [keycloak] and run on a launched stack"));
                    k.pause();
                    journal.event("fault", "SIGSTOP Keycloak (port " + k.port + " accepts connections, nothing answers)");
                    return once(() -> {
                        k.resume();
                        journal.event("rollback", "SIGCONT Keycloak");
                    });
                }
                stack.signal(svc, "STOP");
                journal.event("fault", "SIGSTOP " + svc);
                return once(() -> {
                    stack.signal(svc, "CONT");
                    journal.event("rollback", "SIGCONT " + svc);
                });
            }
            case "postgres-restart" -> {
                if (fault.lasting().isZero()) {
                    pg("restart");
                    journal.event("fault", "PostgreSQL restarted (" + String.join(" ", pgCtl) + " restart)");
                    return once(() -> {
                        if (!postgresAnswers()) {
                            pg("start");
                        }
                        journal.event("rollback", "PostgreSQL answers");
                    });
                }
                pg("stop");
                journal.event("fault", "PostgreSQL stopped");
                return once(() -> {
                    pg("start");
                    journal.event("rollback", "PostgreSQL started");
                });
            }
            case "fault-switch" -> {
                return faultSwitch(fault, journal);
            }
            case "partition" -> {
                Link link = stack.link(svc).orElseThrow(() -> new IllegalStateException("The gateway reaches " + svc
                        + " directly on this stack: a partition needs the stack the runner launches for the scenario (chaos run --launch)"));
                link.cut();
                journal.event("fault", "the link gateway → " + svc + " is cut: connections stay open, no byte gets through ("
                        + link.open() + " open, port " + link.port() + "); " + svc + " runs on and is reached directly by the rest");
                return once(() -> {
                    link.heal();
                    journal.event("rollback", "the link gateway → " + svc + " healed: what it held back flows again ("
                            + link.open() + " connections open)");
                });
            }
            case "redis-kill" -> {
                stack.killRedis();
                journal.event("fault", "kill -9 the stack's Redis (port " + stack.redisPort().orElseThrow() + ")");
                return once(() -> {
                    boolean up = stack.startRedis(true);
                    journal.event("rollback", up ? "Redis started again (empty)" : "Redis did not start again");
                    // The restarted Redis is empty: keys appear only when the gateway takes its buckets there again.
                    try {
                        org.awaitility.Awaitility.await("the gateway's buckets back in Redis").atMost(Duration.ofSeconds(30))
                                .pollInterval(Duration.ofMillis(250)).until(() -> stack.redisKeys() > 0);
                        journal.event("redis-in-use", stack.redisKeys() + " rate-limit buckets in Redis again");
                    } catch (org.awaitility.core.ConditionTimeoutException e) {
                        journal.event("redis-not-used", "no rate-limit bucket in Redis 30 s after it came back: the gateway still uses its own");
                    }
                });
            }
            default -> throw new UnsupportedOperationException("The local target cannot inject '" + fault.action() + "'");
        }
    }

    /**
     * Sets the scenario's fault ({@code params}) on the service's fault-injection switch through the
     * gateway with the platform administrator's key; it lives the fault's duration plus a minute, so
     * a runner killed before its rollback leaves it on for that long at most. Rollback clears it.
     */
    private Injected faultSwitch(Scenario.Fault fault, Journal journal) {
        Map<String, Object> body = new LinkedHashMap<>(fault.params() == null ? Map.of() : fault.params());
        body.putIfAbsent("ttlSeconds", fault.lasting().toSeconds() + 60);
        String path = FaultRoutes.path(fault.service());
        Api api = new Api(stack.url("gateway"), null);
        Api.Response r = api.send(null, "POST", path, stack.adminKey, body, Map.of(), Duration.ofSeconds(10));
        if (r.status() != 201) {
            throw new IllegalStateException("Setting the fault on " + fault.service() + " answered " + r.status() + " " + r.body()
                    + (r.status() == 404 ? " (is the stack's switch on? chaos run --launch turns it on)" : ""));
        }
        String id = r.json().path("id").asText();
        journal.event("fault", "fault switch of " + fault.service() + ": " + body + " (fault " + id + ", until "
                + r.json().path("expiresAt").asText() + ")");
        return once(() -> {
            Api.Response d = api.send(null, "DELETE", path + "/" + id, stack.adminKey, null, Map.of(), Duration.ofSeconds(10));
            journal.event("rollback", "fault " + id + " cleared on " + fault.service() + " (HTTP " + d.status() + ")");
            if (d.status() != 204 && d.status() != 404) {
                throw new IllegalStateException("Clearing fault " + id + " answered " + d.status() + " " + d.body());
            }
        });
    }

    /**
     * The service restarts with its wall clock {@code params.offset} off the machine's (libfaketime;
     * see {@link FakeClock}), as a pod started on a node with a wrong clock would; the skew it then
     * runs with is measured from its own metrics and journaled ({@code clock-skew-observed}).
     * Rollback: restarted again with the machine's clock.
     */
    private Injected clockSkew(Scenario.Fault fault, Journal journal) throws IOException, InterruptedException {
        String svc = fault.service();
        Object offset = fault.params() == null ? null : fault.params().get("offset");
        Map<String, String> env = FakeClock.env(offset == null ? null : offset.toString()); // refuses before anything stops
        stopGracefully(svc);
        stack.restart(svc, env);
        journal.event("fault", svc + " restarted with its clock " + offset + " off the machine's (libfaketime, pid "
                + stack.pid(svc).map(String::valueOf).orElse("?") + ")");
        boolean ready = stack.awaitReady(List.of(svc), Duration.ofSeconds(150));
        journal.event(ready ? "service-ready" : "service-not-ready", svc + " (skewed clock)");
        FakeClock.measure(stack.url(svc)).ifPresentOrElse(
                skew -> journal.event("clock-skew-observed", String.format(java.util.Locale.ROOT,
                        "%s runs %+.1f s off this machine's clock (asked for %s)", svc, skew, offset)),
                () -> journal.event("clock-skew-not-observed", svc + "'s clock could not be read from its metrics"));
        return once(() -> {
            stopGracefully(svc);
            restart(svc, journal);
            journal.event("rollback", svc + " runs with the machine's clock again");
        });
    }

    /**
     * The service's temporary files on a full disk (FM-10): a tmpfs of {@code params.size}
     * (default 16m) is mounted for it, filled to the last byte, and the service restarted with its
     * {@code java.io.tmpdir} there, as a service whose node disk filled up runs. Journals
     * {@code disk-full} with the bytes free. Rollback frees the space (deletes the filler) and
     * nothing else: the running service must take files again without a restart. The service goes
     * back to its own temp directory, and the tmpfs is unmounted, at the drill's closing sweep.
     */
    private Injected diskFull(Scenario.Fault fault, Journal journal) throws IOException, InterruptedException {
        String svc = fault.service();
        Object size = fault.params() == null ? null : fault.params().get("size");
        long bytes = DiskFull.bytes(size == null ? "16m" : size.toString()); // refuses before anything changes
        Path dir = DiskFull.mount(svc, bytes);
        long filled = DiskFull.fill(dir);
        long free = DiskFull.free(dir);
        stopGracefully(svc);
        String options = DiskFull.javaToolOptions(stack.environment(svc, "JAVA_TOOL_OPTIONS").orElse(null), dir);
        stack.restart(svc, Map.of("JAVA_TOOL_OPTIONS", options));
        journal.event("fault", svc + " restarted with java.io.tmpdir on a full " + DiskFull.describe(bytes) + " tmpfs (" + dir
                + ", pid " + stack.pid(svc).map(String::valueOf).orElse("?") + ")");
        journal.event("disk-full", svc + "'s temp directory has " + free + " bytes free (" + DiskFull.describe(filled)
                + " taken by a filler file)");
        boolean ready = stack.awaitReady(List.of(svc), Duration.ofSeconds(150));
        journal.event(ready ? "service-ready" : "service-not-ready", svc + " (temp directory full)");
        return once(() -> {
            long after = DiskFull.free(dir, true);
            journal.event("rollback", "disk space freed under " + svc + "'s temp directory (" + DiskFull.describe(after)
                    + " free); the service runs on, not restarted");
        });
    }

    /** SIGTERM, and SIGKILL when the service has not exited 25 s later. */
    private void stopGracefully(String svc) throws IOException, InterruptedException {
        stack.signal(svc, "TERM");
        if (!stack.awaitExit(svc, Duration.ofSeconds(25))) {
            stack.signal(svc, "KILL");
            stack.awaitExit(svc, Duration.ofSeconds(10));
        }
    }

    private void restart(String svc, Journal journal) throws IOException {
        stack.restart(svc);
        journal.event("rollback", svc + " started again (pid " + stack.pid(svc).map(String::valueOf).orElse("?") + ")");
        boolean ready = stack.awaitReady(List.of(svc), Duration.ofSeconds(150));
        journal.event(ready ? "service-ready" : "service-not-ready", svc);
    }

    @Override
    public boolean awaitReady(Duration timeout) {
        return stack.awaitReady(timeout);
    }

    private void pg(String verb) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(pgCtl);
        cmd.add(verb);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.trim());
        }
    }

    static boolean postgresAnswers() {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", 5432), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A rollback that runs at most once, however many times it is asked for (abort, then the normal path). */
    static Injected once(Injected rollback) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                rollback.rollback();
            }
        };
    }
}
