package io.hotpass.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Paths of the repository the checks read, and the switch that turns drift checks into
 * regeneration ({@code -Dhotpass.deploy.regenerate=true}).
 */
final class Repository {

    private Repository() {
    }

    static Path root() {
        Path root = Paths.get(System.getProperty("hotpass.root", "..")).toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("helm/hotpass"))) {
            throw new IllegalStateException("No helm/hotpass under " + root + "; set -Dhotpass.root");
        }
        return root;
    }

    static Path chart() {
        return root().resolve("helm/hotpass");
    }

    static Path resolve(String relative) {
        return root().resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean regenerate() {
        return Boolean.getBoolean("hotpass.deploy.regenerate");
    }

    /**
     * Compares a generated file with the committed one, or rewrites it when regenerating. Returns
     * null when they agree, else a message naming the command that brings the file up to date.
     */
    static String drift(String relative, String generated) {
        Path file = resolve(relative);
        try {
            if (regenerate()) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, generated);
                return null;
            }
            String committed = Files.exists(file) ? Files.readString(file) : "";
            if (committed.equals(generated)) {
                return null;
            }
            return relative + " is out of date with what it is generated from; regenerate it with: "
                    + "./mvnw -B -f deploy/pom.xml verify -Dhotpass.deploy.regenerate=true";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
