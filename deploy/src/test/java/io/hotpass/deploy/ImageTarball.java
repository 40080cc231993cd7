package io.hotpass.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A container image as the build leaves it (ADR 0018): a {@code docker save}-format tarball with
 * {@code manifest.json}, the image configuration and one (gzipped) tar per layer. Read with
 * commons-compress, as {@code docker load} or {@code skopeo} would read it.
 */
final class ImageTarball {

    /** One file, directory or link of one layer. */
    record Entry(int layer, String path, int mode, long uid, long gid, boolean directory, boolean link) {
        boolean setuidOrSetgid() {
            return (mode & 06000) != 0;
        }

        boolean worldWritable() {
            return (mode & 0002) != 0;
        }

        boolean executable() {
            return (mode & 0100) != 0;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path file;
    final List<String> repoTags;
    final JsonNode config;
    final List<String> diffIds;
    private final List<String> layerFiles;
    private final Path unpacked;

    private ImageTarball(Path file, Path unpacked) throws IOException {
        this.file = file;
        this.unpacked = unpacked;
        JsonNode manifest = JSON.readTree(unpacked.resolve("manifest.json").toFile()).get(0);
        List<String> tags = new ArrayList<>();
        manifest.get("RepoTags").forEach(t -> tags.add(t.asText()));
        this.repoTags = List.copyOf(tags);
        List<String> layers = new ArrayList<>();
        manifest.get("Layers").forEach(l -> layers.add(l.asText()));
        this.layerFiles = List.copyOf(layers);
        this.config = JSON.readTree(unpacked.resolve(manifest.get("Config").asText()).toFile());
        List<String> diffs = new ArrayList<>();
        config.path("rootfs").path("diff_ids").forEach(d -> diffs.add(d.asText()));
        this.diffIds = List.copyOf(diffs);
    }

    /** Unpacks the outer tarball (manifest, config, layer blobs) into {@code workDir}. */
    static ImageTarball open(Path file, Path workDir) {
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("no image tarball at " + file + ": the build makes one per image unless"
                    + " -DskipImages (ADR 0018)");
        }
        try {
            Files.createDirectories(workDir);
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    new BufferedInputStream(Files.newInputStream(file)))) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    if (e.isFile()) {
                        Path target = workDir.resolve(e.getName()).normalize();
                        if (!target.startsWith(workDir)) {
                            throw new AssertionError(file + " has an entry outside the archive: " + e.getName());
                        }
                        Files.copy(tar, target);
                    }
                }
            }
            return new ImageTarball(file, workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode containerConfig() {
        return config.path("config");
    }

    List<String> entrypoint() {
        List<String> out = new ArrayList<>();
        containerConfig().path("Entrypoint").forEach(a -> out.add(a.asText()));
        return out;
    }

    Map<String, String> env() {
        Map<String, String> out = new LinkedHashMap<>();
        containerConfig().path("Env").forEach(e -> {
            String s = e.asText();
            out.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        });
        return out;
    }

    /** Every entry of every layer, in layer order. */
    List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        try {
            for (int i = 0; i < layerFiles.size(); i++) {
                try (TarArchiveInputStream tar = new TarArchiveInputStream(layer(i))) {
                    TarArchiveEntry e;
                    while ((e = tar.getNextEntry()) != null) {
                        out.add(new Entry(i, "/" + stripDotSlash(e.getName()), e.getMode(), e.getLongUserId(),
                                e.getLongGroupId(), e.isDirectory(), e.isSymbolicLink() || e.isLink()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Unpacks the layers in order into {@code root}: what a container runtime mounts as the root file
     * system (our images have no whiteouts: every layer only adds).
     */
    void unpackRootFileSystem(Path root) {
        try {
            Files.createDirectories(root);
            for (int i = 0; i < layerFiles.size(); i++) {
                try (TarArchiveInputStream tar = new TarArchiveInputStream(layer(i))) {
                    TarArchiveEntry e;
                    while ((e = tar.getNextEntry()) != null) {
                        String name = stripDotSlash(e.getName());
                        if (name.isEmpty()) {
                            continue;
                        }
                        Path target = root.resolve(name).normalize();
                        if (!target.startsWith(root) || name.contains(".wh.")) {
                            throw new AssertionError("unexpected layer entry " + e.getName() + " in " + file);
                        }
                        if (e.isDirectory()) {
                            Files.createDirectories(target);
                        } else if (e.isSymbolicLink()) {
                            Files.createDirectories(target.getParent());
                            Files.deleteIfExists(target);
                            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                            continue;
                        } else {
                            Files.createDirectories(target.getParent());
                            Files.deleteIfExists(target);
                            Files.copy(tar, target);
                        }
                        Files.setPosixFilePermissions(target, permissions(e.getMode()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private InputStream layer(int i) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(unpacked.resolve(layerFiles.get(i))));
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 65536)) : in;
    }

    private static String stripDotSlash(String name) {
        String n = name.startsWith("./") ? name.substring(2) : name;
        n = n.startsWith("/") ? n.substring(1) : n;
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (1 << bit)) != 0) {
                p.add(order[bit]);
            }
        }
        return p;
    }
}
