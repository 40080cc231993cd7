package io.hotpass.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes docs/operations/configuration.md from values.schema.json (keys, types, descriptions) and
 * values.yaml (defaults), so the reference cannot disagree with the chart.
 */
final class ValuesReference {

    static final String FILE = "docs/operations/configuration.md";
    private static final List<String> SERVICE_KEYS = List.of("gateway", "ingest", "contracts", "enrichment", "lineage", "policy");

    private final JsonNode schema;
    private final JsonNode defaults;
    private final StringBuilder out = new StringBuilder();

    private ValuesReference(JsonNode schema, JsonNode defaults) {
        this.schema = schema;
        this.defaults = defaults;
    }

    static String generate() {
        try {
            JsonNode schema = new ObjectMapper().readTree(Repository.read("helm/hotpass/values.schema.json"));
            JsonNode defaults = new ObjectMapper(new YAMLFactory()).readTree(Repository.read("helm/hotpass/values.yaml"));
            return new ValuesReference(schema, defaults).render();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String render() {
        out.append("# Chart configuration reference\n\n")
                .append("<!-- Generated from helm/hotpass/values.schema.json and values.yaml by deploy/ (ValuesReference);\n")
                .append("     do not edit: change the chart and run k8s/render-base.sh. -->\n\n")
                .append("Every key the `hotpass` chart accepts. The schema rejects any other key and any value of the\n")
                .append("wrong type, so a typo fails `helm install` instead of being ignored. Secrets never appear here:\n")
                .append("keys ending in `Secret` name an existing Kubernetes Secret. The [operator guide](README.md) explains\n")
                .append("how the pieces fit together.\n\n");
        JsonNode properties = schema.get("properties");
        for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.equals("global") || key.equals("services")) {
                continue;
            }
            JsonNode node = resolve(properties.get(key));
            if (isSection(node)) {
                out.append("## `").append(key).append("`\n\n");
                if (node.has("description")) {
                    out.append(node.get("description").asText()).append("\n\n");
                }
                header();
                rows(key, node);
                out.append("\n");
            }
        }
        out.append("## Top-level keys\n\n");
        header();
        for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("global") && !isSection(resolve(properties.get(key)))) {
                row(key, properties.get(key));
            }
        }
        out.append("\n## `services.<name>`\n\n")
                .append("The same keys for each of `").append(String.join("`, `", SERVICE_KEYS)).append("`.\n\n");
        header();
        rows("services.<name>", resolve(schema.at("/definitions/service")));
        out.append("\nDefaults per service:\n\n")
                .append("| service | image | port | database | replicas (HPA min–max) | runners | internet egress | requests | limits |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (String key : SERVICE_KEYS) {
            JsonNode s = defaults.path("services").path(key);
            out.append("| `").append(key).append("` | `").append(s.path("imageName").asText())
                    .append("` | ").append(s.path("port").asText())
                    .append(" | `").append(s.path("database").path("name").asText())
                    .append("` | ").append(s.path("replicaCount").asText()).append(" (")
                    .append(s.path("autoscaling").path("minReplicas").asText()).append("–")
                    .append(s.path("autoscaling").path("maxReplicas").asText()).append(")")
                    .append(" | ").append(!s.path("runners").path("enabled").asBoolean() ? "no"
                            : s.path("runners").path("launcher").asText("kubernetes"))
                    .append(" | ").append(s.path("internetEgress").asBoolean() ? "yes" : "no")
                    .append(" | ").append(resources(s.path("resources").path("requests")))
                    .append(" | ").append(resources(s.path("resources").path("limits")))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String resources(JsonNode list) {
        return list.path("cpu").asText() + " CPU, " + list.path("memory").asText();
    }

    private void header() {
        out.append("| key | type | default | description |\n| --- | --- | --- | --- |\n");
    }

    private void rows(String prefix, JsonNode node) {
        JsonNode properties = node.get("properties");
        for (Map.Entry<String, JsonNode> field : properties.properties()) {
            String path = prefix + "." + field.getKey();
            JsonNode child = resolve(field.getValue());
            if (isSection(child)) {
                rows(path, child);
            } else {
                row(path, field.getValue());
            }
        }
    }

    private void row(String path, JsonNode raw) {
        JsonNode node = resolve(raw);
        String description = raw.has("description") ? raw.get("description").asText() : node.path("description").asText("");
        out.append("| `").append(path).append("` | ").append(type(node)).append(" | ")
                .append(defaultOf(path)).append(" | ").append(description.replace("|", "\\|")).append(" |\n");
    }

    private String defaultOf(String path) {
        if (path.startsWith("services.<name>")) {
            return "per service";
        }
        JsonNode value = defaults;
        for (String part : path.split("\\.")) {
            value = value.path(part);
        }
        if (value.isMissingNode()) {
            return "";
        }
        String text = value.isTextual() ? (value.asText().isEmpty() ? "\"\"" : value.asText()) : value.toString();
        return "`" + text.replace("|", "\\|") + "`";
    }

    private String type(JsonNode node) {
        if (node.has("enum")) {
            List<String> values = new ArrayList<>();
            node.get("enum").forEach(v -> values.add("`" + v.asText() + "`"));
            return "one of " + String.join(", ", values);
        }
        if (node.has("oneOf")) {
            Set<String> types = new LinkedHashSet<>();
            node.get("oneOf").forEach(o -> types.add(type(resolve(o))));
            return String.join(" or ", types);
        }
        String type = node.path("type").asText("");
        if (type.equals("array")) {
            JsonNode items = resolve(node.path("items"));
            return "list of " + (items.path("type").asText("").equals("object") ? "objects" : items.path("type").asText("") + "s");
        }
        if (type.equals("object")) {
            JsonNode extra = node.path("additionalProperties");
            return extra.isObject() ? "map of " + extra.path("type").asText() + "s" : "object";
        }
        if (node.has("pattern")) {
            return type + " (`" + node.get("pattern").asText().replace("|", "\\|") + "`)";
        }
        return type;
    }

    /** An object with named properties gets its own rows; maps, lists and scalars are one row. */
    private static boolean isSection(JsonNode node) {
        return "object".equals(node.path("type").asText()) && node.has("properties") && node.get("properties").size() > 0;
    }

    private JsonNode resolve(JsonNode node) {
        if (node.has("$ref")) {
            return resolve(schema.at(node.get("$ref").asText().substring(1)));
        }
        if (node.has("allOf") && !node.has("type")) {
            JsonNode first = resolve(node.get("allOf").get(0));
            return first;
        }
        return node;
    }
}
