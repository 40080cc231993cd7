package io.hotpass.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container images the build makes (ADR 0018, docs/operations/images.md): one per service the
 * chart deploys, tagged as the chart pulls them, plus the drill runner's; every one on the Hotpass
 * base image, running as user 185, owning none of its files — and each service image actually starts
 * and becomes ready as that user on a read-only root file system, as the chart runs it.
 */
class ContainerImagesTest {

    private static final String VERSION = System.getProperty("hotpass.version", "0.1.0-SNAPSHOT");
    private static final boolean SKIPPED = Boolean.getBoolean("hotpass.images.skipped");

    @TempDir
    static Path work;

    static ImageTarball base;
    static Map<String, ImageTarball> services = new LinkedHashMap<>();
    static Map<String, Integer> ports = new LinkedHashMap<>();
    static ImageTarball runner;
    static JsonNode values;

    @BeforeAll
    static void openImages() throws IOException {
        assumeFalse(SKIPPED, "built with -DskipImages: no images to check");
        values = new ObjectMapper(new YAMLFactory()).readTree(Repository.chart().resolve("values.yaml").toFile());
        base = ImageTarball.open(Repository.resolve("images/target/hotpass-jre-17.tar"), work.resolve("base"));
        values.path("services").fields().forEachRemaining(s -> {
            String name = s.getValue().path("imageName").asText();
            services.put(name, ImageTarball.open(Repository.resolve(name + "/target/container-image.tar"),
                    work.resolve(name)));
            ports.put(name, s.getValue().path("port").asInt());
        });
        runner = ImageTarball.open(Repository.resolve("chaos/target/container-image.tar"), work.resolve("runner"));
    }

    @Test
    void theBaseImageIsAJreAndItsLibrariesWithoutAShell() throws IOException {
        Set<String> files = base.entries().stream().filter(e -> !e.directory()).map(ImageTarball.Entry::path)
                .collect(Collectors.toCollection(TreeSet::new));
        for (String expected : List.of("/opt/java/openjdk/bin/java", "/opt/java/openjdk/lib/server/libjvm.so",
                "/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/libc.so.6", "/usr/bin/sleep",
                "/etc/passwd", "/etc/group", "/opt/java/openjdk/lib/security/cacerts")) {
            assertTrue(files.contains(expected), "base image lacks " + expected);
        }
        List<String> unwanted = files.stream().filter(f -> f.endsWith("/sh") || f.endsWith("/bash")
                || f.endsWith("/apt") || f.endsWith("/dpkg") || f.contains("libX11") || f.contains("libawt_xawt")).toList();
        assertEquals(List.of(), unwanted, "no shell, no package manager, no desktop libraries");
        assertEquals("185", base.containerConfig().path("User").asText());
        assertEquals("/opt/java/openjdk", base.env().get("JAVA_HOME"));
        assertTrue(base.env().get("PATH").startsWith("/opt/java/openjdk/bin:"), base.env().get("PATH"));
        assertTrue(Files.readString(Repository.resolve("images/target/base-image/etc/passwd")).contains("hotpass:x:185:0:"));
    }

    @Test
    void everyServiceTheChartDeploysHasItsImageTaggedAsTheChartPullsIt() {
        String registry = values.path("image").path("registry").asText();
        String repository = values.path("image").path("repository").asText();
        assertEquals(6, services.size(), services.keySet().toString());
        services.forEach((name, image) -> {
            assertEquals(List.of(registry + "/" + repository + "/" + name + ":" + VERSION), image.repoTags, name);
            JsonNode config = image.containerConfig();
            assertEquals("185", config.path("User").asText(), name);
            assertEquals("/deployments", config.path("WorkingDir").asText(), name);
            List<String> entrypoint = image.entrypoint();
            assertEquals("java", entrypoint.get(0), name + " " + entrypoint);
            assertEquals(List.of("-jar", "quarkus-run.jar"), entrypoint.subList(entrypoint.size() - 2, entrypoint.size()), name);
            List<String> exposed = new ArrayList<>();
            config.path("ExposedPorts").fieldNames().forEachRemaining(exposed::add);
            assertEquals(List.of(ports.get(name) + "/tcp"), exposed, name + ": the port the chart's Service targets");
            assertEquals(name, config.path("Labels").path("org.opencontainers.image.title").asText(), name);
            assertEquals(base.diffIds, image.diffIds.subList(0, base.diffIds.size()), name + " is built on the Hotpass base image");
            assertTrue(image.entries().stream().anyMatch(e -> e.path().equals("/deployments/quarkus-run.jar")), name);
        });
    }

    @Test
    void theDrillRunnerImageCarriesItsScenarios() throws IOException {
        assertEquals(List.of("ghcr.io/hotpass/drill-runner:" + VERSION), runner.repoTags);
        assertEquals("185", runner.containerConfig().path("User").asText());
        assertEquals("/deployments", runner.containerConfig().path("WorkingDir").asText());
        List<String> entrypoint = runner.entrypoint();
        assertEquals("java", entrypoint.get(0));
        assertEquals("io.hotpass.chaos.ChaosCli", entrypoint.get(entrypoint.size() - 1));
        assertEquals(base.diffIds, runner.diffIds.subList(0, base.diffIds.size()), "built on the Hotpass base image");
        Set<String> inImage = runner.entries().stream().map(ImageTarball.Entry::path).collect(Collectors.toSet());
        try (Stream<Path> scenarios = Files.list(Repository.resolve("chaos/scenarios"));
                Stream<Path> manifests = Files.list(Repository.resolve("k8s/chaos"))) {
            scenarios.forEach(f -> assertTrue(inImage.contains("/deployments/chaos/scenarios/" + f.getFileName()), f.toString()));
            manifests.forEach(f -> assertTrue(inImage.contains("/deployments/k8s/chaos/" + f.getFileName()), f.toString()));
        }
    }

    @Test
    void theUserOwnsNothingAndNothingIsSetuidOrWorldWritable() {
        Map<String, ImageTarball> all = new LinkedHashMap<>(services);
        all.put("drill-runner", runner);
        all.forEach((name, image) -> {
            for (ImageTarball.Entry e : image.entries()) {
                assertEquals(0L, e.uid(), name + " " + e.path() + " is not owned by root");
                assertFalse(e.setuidOrSetgid(), name + " " + e.path() + " is setuid/setgid");
                assertTrue(e.path().equals("/tmp") || !e.worldWritable(), name + " " + e.path() + " is world-writable");
            }
        });
    }

    @Test
    void theCommandsTheChartRunsInsideTheContainersExist() {
        // The preStop hook (unless pod.preStopSleepAction) execs "sleep" through the image's PATH.
        assertTrue(Chart.template("defaults").contains("command: [\"sleep\""), "the chart's preStop hook changed");
        services.forEach((name, image) -> {
            List<String> path = List.of(image.env().get("PATH").split(":"));
            Set<String> executables = image.entries().stream().filter(ImageTarball.Entry::executable)
                    .map(ImageTarball.Entry::path).collect(Collectors.toSet());
            assertTrue(path.stream().anyMatch(dir -> executables.contains(dir + "/sleep")), name + ": sleep on the PATH");
            assertTrue(path.stream().anyMatch(dir -> executables.contains(dir + "/java")), name + ": java on the PATH");
        });
    }

    // --- Running the images -----------------------------------------------------------------------

    private static final List<Process> started = new ArrayList<>();

    /**
     * Starts every service image at once the way a container runtime with the chart's
     * securityContext would: its layers as the root file system, mounted read-only, an empty /tmp,
     * /proc, user 185 (group 0), the image's environment and entrypoint in its working directory,
     * and the chart's JVM options; the gateway gets its signing key as a mounted file, as from the
     * chart's Secret. Each must answer /q/health/ready (its database and migrations) with 200.
     * Needs root for the mount namespace and chroot (CI runs as root).
     */
    @Test
    void everyServiceImageBecomesReadyAsItsUserOnAReadOnlyRoot() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/unshare")),
                "needs root and util-linux unshare for a mount namespace");
        Path signingKey = writeSigningKey(work.resolve("signing-key.pem"));
        Map<String, Integer> ready = new LinkedHashMap<>();
        Map<String, Path> logs = new LinkedHashMap<>();
        for (Map.Entry<String, ImageTarball> s : services.entrySet()) {
            String name = s.getKey();
            ImageTarball image = s.getValue();
            Path root = work.resolve("rootfs-" + name);
            image.unpackRootFileSystem(root);
            for (String mountPoint : List.of("proc", "tmp", "etc/hotpass/signing/current")) {
                Files.createDirectories(root.resolve(mountPoint));
            }
            Files.createFile(root.resolve("etc/hosts"));
            Files.createFile(root.resolve("etc/hotpass/signing/current/signing-key.pem"));

            int port = freePort();
            Map<String, String> env = new LinkedHashMap<>(image.env());
            env.put("PATH", image.env().get("PATH") + ":/usr/sbin:/sbin"); // the host's unshare, mount, chroot
            env.put("JAVA_TOOL_OPTIONS", "-Xmx256m " + values.path("config").path("javaToolOptions").asText());
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("HOTPASS_" + dbKey(name) + "_DB_NAME", "hotpass_" + dbKey(name).toLowerCase() + "_image");
            env.put("HOTPASS_GATEWAY_SIGNING_KEY", "/etc/hotpass/signing/current/signing-key.pem");
            env.put("HOTPASS_OTEL_DISABLED", "true");

            List<String> entrypoint = new ArrayList<>(image.entrypoint());
            String workDir = image.containerConfig().path("WorkingDir").asText();
            // chroot starts in /: resolve what the runtime would resolve from PATH and WorkingDir.
            entrypoint.set(0, "/opt/java/openjdk/bin/java");
            entrypoint.replaceAll(a -> a.equals("quarkus-run.jar") ? workDir + "/quarkus-run.jar" : a);
            String script = String.join("\n",
                    "set -e",
                    "R='" + root + "'",
                    "mount --bind \"$R\" \"$R\"",
                    "mount --bind /proc \"$R/proc\"",
                    "mount --bind /etc/hosts \"$R/etc/hosts\"",
                    "mount --bind -o ro '" + signingKey + "' \"$R/etc/hotpass/signing/current/signing-key.pem\"",
                    "mount -o remount,bind,ro \"$R\"",
                    "mount -t tmpfs -o size=256m,mode=1777 tmpfs \"$R/tmp\"",
                    "exec chroot --userspec=185:0 \"$R\" \"$@\"");
            List<String> command = new ArrayList<>(List.of("/usr/bin/unshare", "--mount", "--fork", "--",
                    "/bin/sh", "-c", script, "image-" + name));
            command.addAll(entrypoint);
            Path log = work.resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            started.add(pb.start());
            ready.put(name, port);
            logs.put(name, log);
        }

        Map<String, Integer> pending = new LinkedHashMap<>(ready);
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
                pending.entrySet().removeIf(e -> status("http://127.0.0.1:" + e.getValue() + "/q/health/ready") == 200);
                return pending.isEmpty() || started.stream().anyMatch(p -> !p.isAlive());
            });
        } catch (ConditionTimeoutException e) {
            // reported below with each pending service's log
        }
        StringBuilder failures = new StringBuilder();
        for (String name : pending.keySet()) {
            failures.append(name).append(" not ready; its log ends:\n").append(tail(logs.get(name))).append('\n');
        }
        assertEquals(Set.of(), pending.keySet(), failures.toString());

        // As user 185: the JVMs the runtime started (descendants of the unshare processes).
        List<ProcessHandle> jvms = started.stream().flatMap(Process::descendants)
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false)).toList();
        assertEquals(services.size(), jvms.size(), jvms.toString());
        for (ProcessHandle jvm : jvms) {
            String status = Files.readString(Path.of("/proc/" + jvm.pid() + "/status"));
            assertTrue(Pattern.compile("(?m)^Uid:\\s+185\\s+185\\s+185\\s+185$").matcher(status).find(), status);
        }
    }

    @AfterAll
    static void stopImages() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : started) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String dbKey(String service) {
        return service.replace("-service", "").toUpperCase();
    }

    private static Path writeSigningKey(Path file) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(file, pem);
        return file;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static int status(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            int code = c.getResponseCode();
            c.disconnect();
            return code;
        } catch (IOException e) {
            return -1;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - 15), lines.size()).stream()
                    .map(l -> l.length() > 400 ? l.substring(0, 400) + "…" : l)
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
