package io.hotpass.chaos.scenario;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Reads scenario files and refuses one that could not run, naming every problem by its field. */
public final class ScenarioLoader {

    public static final Set<String> LOCAL_ACTIONS = Set.of("kill", "stop", "pause", "postgres-restart", "flood", "fault-switch",
            "redis-kill", "poison", "clock-skew", "disk-full", "partition");
    public static final Set<String> KUBERNETES_ACTIONS = Set.of("pod-delete", "scale-zero", "partition", "chaos-mesh", "flood");
    public static final Set<String> TRIGGERS = Set.of("dataset-created", "upload-started", "upload-finished", "validation-started",
            "enrich-started", "workload-finished");
    public static final Set<String> STEPS = Set.of("upload", "validate", "enrich");
    public static final Set<String> CREDENTIALS = Set.of("tenant", "viewer", "auditor", "flooder", "admin", "unknown-key", "anonymous",
            "issued-token", "fresh-token");
    /** Credentials that are bearer tokens of the stack's Keycloak: the scenario must require it. */
    public static final Set<String> TOKEN_CREDENTIALS = Set.of("issued-token", "fresh-token");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ScenarioLoader() {
    }

    public static Scenario load(Path file) throws IOException {
        Scenario s;
        try {
            s = YAML.readValue(file.toFile(), Scenario.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidScenarioException(file, List.of(e.getOriginalMessage()));
        }
        List<String> problems = problems(s);
        if (!problems.isEmpty()) {
            throw new InvalidScenarioException(file, problems);
        }
        return s;
    }

    /** Every *.yaml of a folder, by name. */
    public static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    /** A scenario by file path, or by name in {@code dir}. */
    public static Path resolve(Path dir, String nameOrPath) {
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) {
            return p;
        }
        for (String ext : List.of(".yaml", ".yml")) {
            Path candidate = dir.resolve(nameOrPath + ext);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("No scenario '" + nameOrPath + "' in " + dir + " (chaos list shows them)");
    }

    static List<String> problems(Scenario s) {
        List<String> out = new ArrayList<>();
        if (s.name() == null || !s.name().matches("[a-z0-9][a-z0-9-]{1,62}")) {
            out.add("name: required, lower-case letters, digits and dashes");
        }
        if (s.failureMode() == null || !s.failureMode().matches("FM-\\d{2}")) {
            out.add("failureMode: required, the FMEA id such as FM-01");
        }
        Set<String> probeNames = new HashSet<>();
        for (int i = 0; i < s.probes().size(); i++) {
            Scenario.Probe p = s.probes().get(i);
            String at = "probes[" + i + "]";
            if (p.name() == null || !probeNames.add(p.name())) {
                out.add(at + ".name: required and unique");
            }
            int kinds = (p.get() != null ? 1 : 0) + (p.post() != null ? 1 : 0) + (p.metric() != null ? 1 : 0);
            if (kinds != 1) {
                out.add(at + ": exactly one of get, post, metric");
            }
            if (!CREDENTIALS.contains(p.as())) {
                out.add(at + ".as: one of " + CREDENTIALS);
            }
            if (TOKEN_CREDENTIALS.contains(p.as()) && !s.requiresKeycloak()) {
                out.add(at + ".as: " + p.as() + " is a Keycloak token: the scenario must declare requires: [keycloak]");
            }
            if (p.metric() != null && (p.metric().service() == null || p.metric().name() == null)) {
                out.add(at + ".metric: service and name are required");
            }
        }
        if (s.probes().isEmpty()) {
            out.add("probes: at least one steady-state probe");
        }
        Scenario.Fault f = s.fault();
        if (f == null || f.action() == null) {
            out.add("fault.action: required");
        } else {
            if (!LOCAL_ACTIONS.contains(f.action()) && !KUBERNETES_ACTIONS.contains(f.action())) {
                out.add("fault.action: one of " + LOCAL_ACTIONS + " or " + KUBERNETES_ACTIONS);
            }
            boolean needsService = !Set.of("postgres-restart", "flood", "redis-kill", "poison").contains(f.action());
            if (needsService && f.service() == null && f.manifest() == null) {
                out.add("fault.service: required for " + f.action());
            }
            if ("flood".equals(f.action()) && (f.flood() == null || f.flood().path() == null || f.flood().victimPath() == null)) {
                out.add("fault.flood: path and victimPath are required for a flood");
            }
            if ("fault-switch".equals(f.action())) {
                Object prefix = f.params() == null ? null : f.params().get("pathPrefix");
                boolean effect = f.params() != null && (f.params().get("latencyMs") instanceof Number || f.params().get("errorRate") instanceof Number);
                if (!(prefix instanceof String p) || !p.startsWith("/") || !effect) {
                    out.add("fault.params: pathPrefix (the service's own path, starting with /) and latencyMs or errorRate are required for fault-switch");
                }
                if (f.service() != null && !io.hotpass.chaos.targets.FaultRoutes.UPSTREAMS.containsValue(f.service())) {
                    out.add("fault.service: the switch is routed for " + new java.util.TreeSet<>(io.hotpass.chaos.targets.FaultRoutes.UPSTREAMS.values()));
                }
            }
            if ("clock-skew".equals(f.action())) {
                try {
                    io.hotpass.chaos.targets.FakeClock.seconds(f.params() == null || f.params().get("offset") == null ? null
                            : f.params().get("offset").toString());
                } catch (IllegalArgumentException e) {
                    out.add("fault.params.offset: " + e.getMessage());
                }
            }
            if (io.hotpass.chaos.targets.LocalTarget.KEYCLOAK.equals(f.service())) {
                if (!"pause".equals(f.action())) {
                    out.add("fault.service: keycloak can only be paused (action pause)");
                }
                if (!s.requiresKeycloak()) {
                    out.add("fault.service: keycloak needs requires: [keycloak]");
                }
            }
            if ("disk-full".equals(f.action()) && f.service() != null && !"ingest-service".equals(f.service())) {
                // Only ingest keeps files in its temp directory (XLSX uploads); elsewhere the drill would prove nothing.
                out.add("fault.service: disk-full runs on ingest-service (the one service with temp files)");
            }
            if ("disk-full".equals(f.action()) && f.params() != null && f.params().get("size") != null) {
                try {
                    io.hotpass.chaos.targets.DiskFull.bytes(f.params().get("size").toString());
                } catch (IllegalArgumentException e) {
                    out.add("fault.params.size: " + e.getMessage());
                }
            }
            if (f.trigger() != null && f.trigger().on() != null && !TRIGGERS.contains(f.trigger().on())) {
                out.add("fault.trigger.on: one of " + TRIGGERS);
            }
            try {
                f.lasting();
                if (f.trigger() != null) {
                    f.trigger().after();
                }
            } catch (IllegalArgumentException e) {
                out.add("fault: " + e.getMessage());
            }
        }
        if (s.workload() != null) {
            for (String step : s.workload().stepList()) {
                if (!STEPS.contains(step)) {
                    out.add("workload.steps: '" + step + "' is not one of " + STEPS);
                }
            }
            if (!Scenario.Workload.FORMATS.contains(s.workload().fileFormat())) {
                out.add("workload.format: one of " + Scenario.Workload.FORMATS);
            }
            if (s.workload().rowCount() < 10) {
                out.add("workload.rows: at least 10");
            }
        }
        for (String n : s.expect().neverAllowed()) {
            if (!probeNames.contains(n)) {
                out.add("expect.neverAllowed: no probe named '" + n + "'");
            }
        }
        for (Scenario.DuringFault d : s.expect().duringFault()) {
            if (!probeNames.contains(d.probe())) {
                out.add("expect.duringFault: no probe named '" + d.probe() + "'");
            }
        }
        for (String r : s.requires()) {
            if (!Scenario.REQUIREMENTS.contains(r)) {
                out.add("requires: '" + r + "' is not one of " + Scenario.REQUIREMENTS);
            }
        }
        if (s.requiresKeycloak() && s.targets().contains("kubernetes")) {
            out.add("requires: keycloak runs on the local target only (a cluster's realm is not the runner's to start)");
        }
        for (String t : s.targets()) {
            if (!Set.of("local", "kubernetes").contains(t)) {
                out.add("targets: '" + t + "' is not local or kubernetes");
            }
        }
        return out;
    }

    /** A scenario file that cannot run, with every problem found. */
    public static final class InvalidScenarioException extends IllegalArgumentException {
        public final List<String> problems;

        InvalidScenarioException(Path file, List<String> problems) {
            super(file + ": " + String.join("; ", problems));
            this.problems = problems;
        }
    }
}
