package io.hotpass.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** helm lint --strict, and values.schema.json refusing what a typo or a wrong type would break. */
class ChartLintAndSchemaTest {

    @TempDir
    Path tmp;

    @Test
    void chartPassesStrictLint() {
        LintResult result = Chart.lint();
        assertFalse(result.isFailed(), () -> "helm lint --strict failed: " + result.getMessages());
        assertTrue(result.getMessages().stream().noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]")),
                () -> "helm lint reported: " + result.getMessages());
    }

    static List<Arguments> badValues() {
        return List.of(
                Arguments.of("a misspelt key of a service",
                        "services:\n  gateway:\n    replicaCont: 3\n",
                        "services.gateway: Additional property replicaCont is not allowed"),
                Arguments.of("a misspelt top-level key",
                        "netwrokPolicy:\n  enabled: false\n",
                        "Additional property netwrokPolicy is not allowed"),
                Arguments.of("a misspelt key deep in a network policy peer",
                        "networkPolicy:\n  ingressFrom:\n    - namespaceSelecter:\n        matchLabels: { a: b }\n",
                        "Additional property namespaceSelecter is not allowed"),
                Arguments.of("a string where a number belongs",
                        "services:\n  gateway:\n    replicaCount: \"three\"\n",
                        "services.gateway.replicaCount: Invalid type. Expected: integer, given: string"),
                Arguments.of("a boolean written as a string",
                        "networkPolicy:\n  enabled: \"yes\"\n",
                        "networkPolicy.enabled: Invalid type. Expected: boolean, given: string"),
                Arguments.of("a value outside its enum",
                        "database:\n  mode: postgres\n",
                        "database.mode"),
                Arguments.of("a resource limit left out",
                        "services:\n  ingest:\n    resources:\n      requests: { cpu: 100m, memory: 128Mi }\n      limits: { cpu: 100m, memory: null }\n",
                        "memory is required"),
                Arguments.of("a grace period the shutdown does not fit in",
                        "pod:\n  terminationGracePeriodSeconds: 20\n",
                        "terminationGracePeriodSeconds"),
                Arguments.of("no signing key Secret",
                        "gateway:\n  signingKey:\n    existingSecret: \"\"\n",
                        "gateway.signingKey.existingSecret"));
    }

    @ParameterizedTest(name = "{0} fails the schema")
    @MethodSource("badValues")
    void schemaRefusesBadValues(String what, String values, String expectedMessage) throws IOException {
        Path file = tmp.resolve("bad-values.yaml");
        Files.writeString(file, values);
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> Chart.template(Repository.chart(), file),
                () -> what + " rendered without complaint");
        assertTrue(failure.getMessage().contains("values don't meet the specifications of the schema"),
                () -> "failed, but not through the schema: " + failure.getMessage());
        assertTrue(failure.getMessage().contains(expectedMessage),
                () -> "expected '" + expectedMessage + "' in: " + failure.getMessage());
    }

    @Test
    void gatewayCannotBeSwitchedOff() throws IOException {
        Path file = tmp.resolve("no-gateway.yaml");
        Files.writeString(file, "services:\n  gateway:\n    enabled: false\n");
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> Chart.template(Repository.chart(), file));
        assertTrue(failure.getMessage().contains("services.gateway.enabled must be true"), failure::getMessage);
    }

    @Test
    void everyObjectInTheSchemaClosesItsProperties() {
        JsonNode schema = readJson("helm/hotpass/values.schema.json");
        List<String> open = new ArrayList<>();
        collectOpenObjects(schema, "#", open);
        assertEquals(List.of(), open, "schema objects without additionalProperties (typos there would pass)");
    }

    @Test
    void defaultValuesNameSecretsAndHoldNone() {
        // Every credential is referenced by Secret name; no value looks like a key or password.
        String values = Repository.read("helm/hotpass/values.yaml");
        assertFalse(values.matches("(?s).*hp_[a-z0-9]{12}_[A-Za-z0-9]{32}.*"), "an API key in values.yaml");
        assertFalse(values.contains("BEGIN PRIVATE KEY"), "a private key in values.yaml");
        for (String line : values.lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.matches("(?i)^(password|secret|token|apiKey|clientSecret)\\s*:.*")) {
                throw new AssertionError("values.yaml carries a literal credential field: " + trimmed);
            }
        }
    }

    static JsonNode readJson(String relative) {
        try {
            return new ObjectMapper().readTree(Repository.read(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collectOpenObjects(JsonNode node, String path, List<String> open) {
        if (node.isObject()) {
            JsonNode type = node.get("type");
            boolean isObject = type != null && type.isTextual() && type.asText().equals("object");
            if (isObject && !node.has("additionalProperties")) {
                open.add(path);
            }
            if (isObject && node.path("additionalProperties").isBoolean() && node.get("additionalProperties").asBoolean()) {
                open.add(path + " (additionalProperties: true)");
            }
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                collectOpenObjects(field.getValue(), path + "/" + field.getKey(), open);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectOpenObjects(node.get(i), path + "/" + i, open);
            }
        }
    }
}
