package io.hotpass.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The hotpass chart rendered and linted through helm-java (Helm's own code, loaded natively). */
final class Chart {

    static final String RELEASE = "hotpass";
    static final String NAMESPACE = "hotpass";

    /** The values files under helm/hotpass/ci/ that CI renders; "defaults" is the chart as it is. */
    static final List<String> VALUES_FILES = List.of("defaults", "production", "minimal");

    private Chart() {
    }

    static LintResult lint() {
        return new Helm(Repository.chart()).lint().strict().call();
    }

    static Path valuesFile(String name) {
        return Repository.chart().resolve("ci/" + name + "-values.yaml");
    }

    /** Renders the chart with one of the ci/ values files (hooks, such as chart tests, excluded). */
    static String template(String valuesName) {
        return template(Repository.chart(), valuesFile(valuesName));
    }

    static String template(Path chart, Path valuesFile) {
        TemplateCommand command = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        return command.call();
    }

    /**
     * Renders the chart's test pods too. helm-java's template leaves hooks out, so this renders a
     * copy of the chart whose test templates have their hook annotations removed.
     */
    static String templateWithTests(String valuesName) {
        Path copy = null;
        try {
            copy = Files.createTempDirectory("hotpass-chart");
            Path target = copy.resolve("hotpass");
            copyTree(Repository.chart(), target);
            try (Stream<Path> tests = Files.list(target.resolve("templates/tests"))) {
                for (Path test : tests.toList()) {
                    String text = Files.readString(test).replaceAll("(?m)^\\s*helm\\.sh/hook(-delete-policy)?:.*\\n", "");
                    Files.writeString(test, text);
                }
            }
            return template(target, valuesFile(valuesName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (copy != null) {
                deleteTree(copy);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
