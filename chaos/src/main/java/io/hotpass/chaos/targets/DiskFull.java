package io.hotpass.chaos.targets;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A service's temporary files on a disk that is full, for the disk-full drill (FM-10): a small
 * tmpfs is mounted for the service alone, the service is started with its {@code java.io.tmpdir}
 * there (through {@code JAVA_TOOL_OPTIONS}, so it is the JVM's temp directory and whatever
 * defaults to it — ingest's XLSX spool does), and a filler file takes every free byte, as a full
 * node disk would. Freeing the space (deleting the filler) is the rollback: a service must
 * recover from a full disk without a restart. Mounting needs root (CI runs as root); the mounts
 * live under {@link #BASE} so a sweep finds what a killed runner left.
 */
public final class DiskFull {

    /** Every drill mount is a folder of this one, named after its service. */
    public static final Path BASE = Path.of(System.getProperty("java.io.tmpdir"), "hotpass-chaos-disk-full").toAbsolutePath();

    static final String FILLER = "filler.bin";
    static final String TMPDIR_OPTION = "-Djava.io.tmpdir=";
    private static final Pattern SIZE = Pattern.compile("(\\d{1,6})([kmg])", Pattern.CASE_INSENSITIVE);
    private static final Pattern DRILL_OPTION = Pattern.compile("\\s*" + Pattern.quote(TMPDIR_OPTION) + Pattern.quote(BASE.toString()) + "\\S*");

    private DiskFull() {
    }

    /** The tmpfs size in bytes from {@code 16m}, {@code 512k}, {@code 1g}; an exception naming what is wrong otherwise. */
    public static long bytes(String size) {
        Matcher m = size == null ? null : SIZE.matcher(size.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("disk-full needs params.size like 16m, 512k or 1g, not '" + size + "'");
        }
        long n = Long.parseLong(m.group(1));
        long bytes = n * switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1024L;
            case "m" -> 1024L * 1024;
            default -> 1024L * 1024 * 1024;
        };
        if (bytes < 64 * 1024 || bytes > 1024L * 1024 * 1024) {
            throw new IllegalArgumentException("disk-full params.size must be between 64k and 1g (it is memory), not '" + size + "'");
        }
        return bytes;
    }

    /** The folder a service's drill tmpfs is mounted on. */
    public static Path mountPoint(String service) {
        return BASE.resolve(service);
    }

    /** Mounts a tmpfs of {@code bytes} on the service's mount point (created); a failure names the command's answer. */
    public static Path mount(String service, long bytes) throws IOException, InterruptedException {
        Path dir = mountPoint(service);
        if (mounted(dir)) {
            unmount(dir); // a leftover of a runner that died
        }
        Files.createDirectories(dir);
        run(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=1777", "hotpass-chaos-disk-full", dir.toString()),
                "mounting a tmpfs needs root (CI runs as root)");
        return dir;
    }

    /** Writes a filler file until the disk says it is full; answers the bytes it took. */
    public static long fill(Path dir) throws IOException {
        byte[] block = new byte[64 * 1024];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(dir.resolve(FILLER))) {
            while (true) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException e) {
            if (free(dir) > 0 && written == 0) {
                throw e; // not "disk full": something else is wrong
            }
        }
        // The last partial block: byte by byte is slow, so halve until nothing fits.
        for (int n = block.length / 2; n > 0; n /= 2) {
            try (OutputStream out = Files.newOutputStream(dir.resolve(FILLER), java.nio.file.StandardOpenOption.APPEND)) {
                out.write(block, 0, n);
                written += n;
            } catch (IOException e) {
                // did not fit: try less
            }
        }
        return written;
    }

    /** Deletes the filler: the disk has room again. Answers the bytes free afterwards. */
    public static long free(Path dir, boolean deleteFiller) throws IOException {
        if (deleteFiller) {
            Files.deleteIfExists(dir.resolve(FILLER));
        }
        return free(dir);
    }

    /** Bytes a process may still write there. */
    public static long free(Path dir) throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    /** Unmounts (lazily when a process still holds a file there) and removes the folder. */
    public static void unmount(Path dir) throws IOException, InterruptedException {
        if (mounted(dir)) {
            run(List.of("umount", "-l", dir.toString()), "unmounting the drill's tmpfs");
        }
        Files.deleteIfExists(dir);
    }

    /** The drill tmpfs mounts that exist now (from /proc/mounts). */
    public static List<Path> mounts() {
        try {
            return Files.readAllLines(Path.of("/proc/mounts"), StandardCharsets.UTF_8).stream()
                    .map(l -> l.split(" "))
                    .filter(f -> f.length > 2 && "tmpfs".equals(f[2]))
                    .map(f -> Path.of(f[1].replace("\\040", " ")))
                    .filter(p -> p.startsWith(BASE))
                    .collect(Collectors.toCollection(ArrayList::new));
        } catch (IOException e) {
            return List.of();
        }
    }

    static boolean mounted(Path dir) {
        return mounts().contains(dir.toAbsolutePath());
    }

    /** {@code JAVA_TOOL_OPTIONS} for a JVM whose temp directory is {@code dir}, keeping the options it had. */
    public static String javaToolOptions(String existing, Path dir) {
        String kept = existing == null ? "" : DRILL_OPTION.matcher(existing).replaceAll("").trim();
        return (kept.isEmpty() ? "" : kept + " ") + TMPDIR_OPTION + dir;
    }

    /** True for a {@code JAVA_TOOL_OPTIONS} that points a JVM's temp directory into a drill mount. */
    public static boolean drillVariable(String name, String value) {
        return "JAVA_TOOL_OPTIONS".equals(name) && value != null && DRILL_OPTION.matcher(value).find();
    }

    /** The value without the drill's temp directory, or null when nothing else is left. */
    public static String withoutDrill(String value) {
        String kept = DRILL_OPTION.matcher(value).replaceAll("").trim();
        return kept.isEmpty() ? null : kept;
    }

    private static void run(List<String> cmd, String hint) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + hint + "): " + out);
        }
    }

    static String describe(long bytes) {
        return bytes >= 1024 * 1024 ? String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
