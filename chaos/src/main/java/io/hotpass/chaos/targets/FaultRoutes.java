package io.hotpass.chaos.targets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * The gateway route table of a drill stack: the gateway's own {@code routes.yaml}, as packaged,
 * plus the routes that reach each service's fault-injection switch
 * ({@code /api/v1/faults/<upstream>[/<id>]} → {@code /admin/faults[/<id>]}), so that a drill sets
 * faults through the gateway like any other call: authenticated, decided by policy-service (only
 * platform-admin holds {@code platform:fault:*}) and audited. The production table has no such
 * route, so there the switch cannot be reached from outside even where it is enabled.
 */
public final class FaultRoutes {

    /** Upstream name → the service behind it. */
    public static final Map<String, String> UPSTREAMS = Map.of("ingest", "ingest-service", "contracts", "contracts-service",
            "enrichment", "enrichment-service", "lineage", "lineage-service", "policy", "policy-service");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private FaultRoutes() {
    }

    /** The gateway path of a service's switch, e.g. {@code /api/v1/faults/ingest}. */
    public static String path(String service) {
        return "/api/v1/faults/" + upstream(service);
    }

    public static String upstream(String service) {
        return UPSTREAMS.entrySet().stream().filter(e -> e.getValue().equals(service)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No fault switch is routed for '" + service + "'; one of " + UPSTREAMS.values()));
    }

    /** Writes the drill table to {@code out}: {@code bundled} plus the switch routes. */
    public static Path write(InputStream bundled, Path out) throws IOException {
        ObjectNode table = (ObjectNode) YAML.readTree(bundled);
        ArrayNode routes = (ArrayNode) table.get("routes");
        for (String upstream : UPSTREAMS.keySet().stream().sorted().toList()) {
            String base = "/api/v1/faults/" + upstream;
            String resource = "platform/faults/" + upstream;
            for (List<String> r : List.of(
                    List.of("GET", base, "/admin/faults", "platform:fault:read"),
                    List.of("POST", base, "/admin/faults", "platform:fault:create"),
                    List.of("DELETE", base, "/admin/faults", "platform:fault:delete"),
                    List.of("DELETE", base + "/{id}", "/admin/faults/{id}", "platform:fault:delete"))) {
                ObjectNode route = routes.addObject();
                route.put("method", r.get(0)).put("path", r.get(1)).put("upstream", upstream).put("to", r.get(2))
                        .put("action", r.get(3)).put("resource", resource);
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        YAML.writeValue(out.toFile(), table);
        return out;
    }

    /** The {@code routes.yaml} inside the packaged gateway of {@code app} (a quarkus-app folder). */
    public static Path writeFromPackagedGateway(Path app, Path out) throws IOException {
        try (var jars = Files.list(app.resolve("app"))) {
            Path jar = jars.filter(p -> p.getFileName().toString().startsWith("hotpass-gateway") && p.toString().endsWith(".jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No hotpass-gateway jar in " + app.resolve("app")));
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                var entry = zip.getEntry("routes.yaml");
                if (entry == null) {
                    throw new IllegalStateException(jar + " has no routes.yaml");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    return write(in, out);
                }
            }
        }
    }
}
