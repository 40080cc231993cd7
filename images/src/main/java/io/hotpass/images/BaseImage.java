package io.hotpass.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds the base image of every Hotpass container image, from scratch and without a registry or a
 * Docker daemon (ADR 0018).
 *
 * <p>Two layers:
 * <ol>
 *   <li>the operating system part: exactly the shared libraries the JRE's executables and
 *       libraries link against (found with {@code ldd}, copied from this machine's Debian), the
 *       dynamic loader, {@code /usr/bin/sleep} for the chart's preStop hook, {@code /etc/passwd}
 *       and {@code /etc/group} with the non-root user 185, {@code /etc/nsswitch.conf}, and an empty
 *       {@code /tmp} (mounted over by an emptyDir in Kubernetes: the root file system is
 *       read-only);</li>
 *   <li>a JRE made by {@code jlink} from the build's own JDK 17 at {@code /opt/java/openjdk}.</li>
 * </ol>
 * No shell and no package manager. Timestamps are the epoch, so the same inputs give the same
 * layers. The output is an image tarball ({@code docker load} format) that Quarkus's Jib extension
 * accepts as {@code quarkus.jib.base-jvm-image=tar://…}.
 */
public final class BaseImage {

    /** Where the JRE lives in the image. */
    static final String JAVA_HOME = "/opt/java/openjdk";

    /** The image's only user: not root, group 0 so that a random UID (OpenShift) can still read. */
    static final String USER = "185";

    /**
     * JDK modules of the JRE: what Quarkus, Vert.x, Hibernate, the PostgreSQL driver, jCasbin, Apache
     * POI, Jena and the fabric8 client use at run time, plus JFR and jcmd for diagnosing a live pod.
     * java.desktop is there for the java.awt/java.beans classes some libraries reference (POI's
     * colours), not for drawing: the image has no display libraries (see {@link #HEADLESS_ONLY}).
     */
    static final List<String> MODULES = List.of(
            "java.base", "java.compiler", "java.desktop", "java.instrument", "java.logging",
            "java.management", "java.naming", "java.net.http", "java.prefs", "java.rmi",
            "java.scripting", "java.security.jgss", "java.security.sasl", "java.sql",
            "java.transaction.xa", "java.xml", "java.xml.crypto", "jdk.crypto.cryptoki",
            "jdk.crypto.ec", "jdk.jcmd", "jdk.jfr", "jdk.localedata", "jdk.management",
            "jdk.management.agent", "jdk.naming.dns", "jdk.net", "jdk.unsupported", "jdk.zipfs");

    /**
     * Native libraries of the JRE that only a desktop loads (a display, sound, a splash screen, font
     * rasterising). A headless server never loads them, so their dependencies (X11, ALSA, FreeType,
     * HarfBuzz, GLib…) stay out of the image; the libraries themselves are removed too, so that a
     * mistaken load fails with a clear UnsatisfiedLinkError instead of a missing transitive library.
     */
    static final Set<String> HEADLESS_ONLY = Set.of(
            "libawt_xawt.so", "libsplashscreen.so", "libjsound.so", "libfontmanager.so", "liblcms.so",
            "libjavajpeg.so", "libjawt.so");

    /** Programs from the build machine the image carries besides the JRE. */
    static final List<String> PROGRAMS = List.of("/usr/bin/sleep");

    private static final Instant EPOCH = Instant.EPOCH.plusSeconds(1);

    private BaseImage() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path javaHome = Path.of(required(options, "java-home"));
        Path work = Path.of(required(options, "work"));
        Path output = Path.of(required(options, "output"));
        String name = required(options, "name");

        long started = System.nanoTime();
        deleteRecursively(work);
        Files.createDirectories(work);
        Path jre = jlink(javaHome, work.resolve("jre"));
        Map<String, Path> libraries = sharedLibraries(jre);
        Path etc = writeEtc(work.resolve("etc"));
        Path tmp = Files.createDirectories(work.resolve("tmp"));

        FileEntriesLayer.Builder os = FileEntriesLayer.builder().setName("os");
        for (Map.Entry<String, Path> library : libraries.entrySet()) {
            os.addEntry(library.getValue(), AbsoluteUnixPath.get(library.getKey()),
                    FilePermissions.fromOctalString("755"), EPOCH);
        }
        for (String file : List.of("passwd", "group", "nsswitch.conf")) {
            os.addEntry(etc.resolve(file), AbsoluteUnixPath.get("/etc/" + file),
                    FilePermissions.fromOctalString("644"), EPOCH);
        }
        // The sticky bit cannot be expressed in a layer entry here; /tmp is an emptyDir in the cluster.
        os.addEntry(tmp, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"), EPOCH);

        FileEntriesLayer.Builder runtime = FileEntriesLayer.builder().setName("jre");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(jre)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String inImage = JAVA_HOME + "/" + jre.relativize(file).toString().replace('\\', '/');
            runtime.addEntry(file, AbsoluteUnixPath.get(inImage), permissions(file), EPOCH);
        }

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.opencontainers.image.title", "hotpass-jre");
        labels.put("org.opencontainers.image.description",
                "Hotpass base image: a jlink'd JRE " + Runtime.version().feature()
                        + " with the Debian libraries it links against; user 185; no shell");
        labels.put("org.opencontainers.image.source", "https://github.com/hotpass/hotpass");
        labels.put("io.hotpass.jre.version", Runtime.version().toString());
        labels.put("io.hotpass.jre.modules", String.join(",", MODULES));

        JibContainerBuilder image = Jib.fromScratch()
                .setFormat(ImageFormat.Docker)
                .addFileEntriesLayer(os.build())
                .addFileEntriesLayer(runtime.build())
                .setEnvironment(Map.of(
                        "JAVA_HOME", JAVA_HOME,
                        "PATH", JAVA_HOME + "/bin:/usr/bin:/bin",
                        "LANG", "C.UTF-8"))
                .setUser(USER)
                .setWorkingDirectory(AbsoluteUnixPath.get("/tmp"))
                .setLabels(labels)
                .setCreationTime(Instant.EPOCH);
        Files.deleteIfExists(output);
        image.containerize(Containerizer.to(TarImage.at(output).named(name))
                .setApplicationLayersCache(work.resolve("layers-cache"))
                .setBaseImageLayersCache(work.resolve("base-cache"))
                .setToolName("hotpass-images"));
        System.out.printf("[images] %s → %s: %d files of JRE, %d shared libraries, %.1f MiB, %.1f s%n",
                name, output, files.size(), libraries.size(), Files.size(output) / 1048576.0,
                (System.nanoTime() - started) / 1e9);
    }

    /** Runs jlink from {@code javaHome} (which must have jmods, as Debian's and most JDKs do). */
    static Path jlink(Path javaHome, Path jre) throws IOException, InterruptedException {
        Path jmods = javaHome.resolve("jmods");
        if (!Files.isDirectory(jmods)) {
            throw new IllegalStateException("no jmods in " + javaHome + ": build the images with a JDK 17"
                    + " that has them (Debian: openjdk-17-jdk-headless), or pass -DskipImages");
        }
        run(List.of(javaHome.resolve("bin/jlink").toString(),
                "--module-path", jmods.toString(),
                "--add-modules", String.join(",", MODULES),
                "--include-locales=en,de,fr,nl,af,zu,xh",
                "--strip-debug", "--no-man-pages", "--no-header-files", "--compress=2",
                "--output", jre.toString()));
        try (Stream<Path> walk = Files.walk(jre)) {
            for (Path p : walk.filter(p -> HEADLESS_ONLY.contains(p.getFileName().toString())).toList()) {
                Files.delete(p);
            }
        }
        return jre;
    }

    private static final Pattern RESOLVED = Pattern.compile("^\\s*(\\S+) => (/\\S+) \\(0x[0-9a-f]+\\)$");
    private static final Pattern LOADER = Pattern.compile("^\\s*(/\\S+) \\(0x[0-9a-f]+\\)$");
    private static final Pattern NOT_FOUND = Pattern.compile("^\\s*(\\S+) => not found$");

    /**
     * The shared libraries outside the JRE that its ELF files (and {@link #PROGRAMS}) need, keyed by
     * the path the dynamic loader looks them up at; the value is the file to copy (symbolic links
     * resolved). A library ldd cannot find must be one of the JRE's own (found through $ORIGIN at
     * run time); anything else fails the build.
     */
    static Map<String, Path> sharedLibraries(Path jre) throws IOException, InterruptedException {
        Set<String> ownLibraries = new TreeSet<>();
        List<Path> elves = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(jre)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (isElf(p)) {
                    elves.add(p);
                    ownLibraries.add(p.getFileName().toString());
                }
            }
        }
        for (String program : PROGRAMS) {
            elves.add(Path.of(program));
        }
        Map<String, Path> libraries = new TreeMap<>();
        for (String program : PROGRAMS) {
            libraries.put(program, Path.of(program).toRealPath());
        }
        for (Path elf : elves) {
            String out = run(List.of("ldd", elf.toString()));
            for (String line : out.split("\n")) {
                Matcher m;
                if ((m = RESOLVED.matcher(line)).matches()) {
                    if (!ownLibraries.contains(m.group(1))) {
                        libraries.put(m.group(2), Path.of(m.group(2)).toRealPath());
                    }
                } else if ((m = LOADER.matcher(line)).matches()) {
                    libraries.put(m.group(1), Path.of(m.group(1)).toRealPath());
                } else if ((m = NOT_FOUND.matcher(line)).matches() && !ownLibraries.contains(m.group(1))) {
                    throw new IllegalStateException(elf + " needs " + m.group(1) + ", which is neither on"
                            + " this machine nor in the JRE");
                }
            }
        }
        return libraries;
    }

    static Path writeEtc(Path etc) throws IOException {
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("passwd"),
                "root:x:0:0:root:/root:/sbin/nologin\n"
                        + "hotpass:x:" + USER + ":0:Hotpass:/tmp:/sbin/nologin\n",
                StandardCharsets.US_ASCII);
        Files.writeString(etc.resolve("group"), "root:x:0:\nhotpass:x:" + USER + ":\n",
                StandardCharsets.US_ASCII);
        Files.writeString(etc.resolve("nsswitch.conf"),
                "passwd: files\ngroup: files\nhosts: files dns\n", StandardCharsets.US_ASCII);
        return etc;
    }

    private static FilePermissions permissions(Path file) throws IOException {
        Set<PosixFilePermission> posix = Files.getPosixFilePermissions(file);
        return posix.contains(PosixFilePermission.OWNER_EXECUTE)
                ? FilePermissions.fromOctalString("755")
                : FilePermissions.fromOctalString("644");
    }

    private static boolean isElf(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + exit + ":\n" + out);
        }
        return out;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return options;
    }

    private static String required(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return value;
    }
}
