package io.hotpass.chaos;

import io.hotpass.chaos.drill.DrillRunner;
import io.hotpass.chaos.drill.Journal;
import io.hotpass.chaos.report.FmeaRegister;
import io.hotpass.chaos.report.Report;
import io.hotpass.chaos.scenario.Scenario;
import io.hotpass.chaos.scenario.ScenarioLoader;
import io.hotpass.chaos.targets.Databases;
import io.hotpass.chaos.targets.KubernetesTarget;
import io.hotpass.chaos.targets.LocalStack;
import io.hotpass.chaos.targets.LocalTarget;
import io.hotpass.chaos.targets.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chaos list | run <scenario> --target local|kubernetes | report <journal> | routes}: the drill runner's command line. */
@Command(name = "chaos", mixinStandardHelpOptions = true, version = "hotpass-chaos 0.1.0",
        description = "Chaos drills for Hotpass: inject a fault, probe the steady state, check that no data was lost.",
        subcommands = {ChaosCli.ListCommand.class, ChaosCli.RunCommand.class, ChaosCli.ReportCommand.class, ChaosCli.RoutesCommand.class})
public final class ChaosCli implements Callable<Integer> {

    @Option(names = "--root", description = "Repository root (default: the current directory).", defaultValue = ".")
    Path root;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ChaosCli()).execute(args));
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    Path scenarios(Path dir) {
        return dir != null ? dir : root.resolve("chaos/scenarios");
    }

    @Command(name = "list", description = "Lists the scenarios with their failure mode, fault and targets.")
    static final class ListCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        ChaosCli parent;

        @Option(names = "--scenarios", description = "Folder of scenario files (default: chaos/scenarios).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            int bad = 0;
            System.out.printf("%-34s %-6s %-18s %-18s %s%n", "SCENARIO", "FMEA", "FAULT", "TARGETS", "TITLE");
            for (Path file : ScenarioLoader.list(parent.scenarios(dir))) {
                try {
                    Scenario s = ScenarioLoader.load(file);
                    System.out.printf("%-34s %-6s %-18s %-18s %s%n", s.name(), s.failureMode(),
                            s.fault().action() + (s.fault().service() != null ? " " + s.fault().service().replace("-service", "") : ""),
                            String.join(",", s.targets()), s.title() == null ? "" : s.title());
                } catch (ScenarioLoader.InvalidScenarioException e) {
                    System.out.printf("%-34s INVALID: %s%n", file.getFileName(), String.join("; ", e.problems));
                    bad++;
                }
            }
            return bad == 0 ? 0 : 1;
        }
    }

    @Command(name = "run", description = "Runs one drill and writes its journal (JSON) and report (Markdown + SVG). Exit 0 only on PASS.")
    static final class RunCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        ChaosCli parent;

        @Parameters(index = "0", description = "Scenario name (in --scenarios) or file.")
        String scenario;

        @Option(names = "--target", defaultValue = "local", description = "local (default) or kubernetes.")
        String target;

        @Option(names = "--scenarios", description = "Folder of scenario files (default: chaos/scenarios).")
        Path dir;

        @Option(names = "--out", description = "Where journals and reports go (default: chaos/target/drills).")
        Path out;

        @Option(names = "--launch", description = "local: start a stack of its own (databases hotpass_<svc>_chaos) instead of attaching to bin/hotpass up's.")
        boolean launch;

        @Option(names = "--rows", description = "Override the scenario's workload row count (bench/run drills uses 200000).")
        Integer rows;

        @Option(names = "--retry-timeout", description = "Override how long each workload step may retry (e.g. 20m for 200,000 rows).")
        String retryTimeout;

        @Option(names = "--db-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432", description = "PostgreSQL server for the read-only zero-loss queries.")
        String dbUrl;

        @Option(names = "--db-user", defaultValue = "postgres")
        String dbUser;

        @Option(names = "--no-db", description = "Check zero loss through the public API only (e.g. a cluster whose databases are not reachable).")
        boolean noDb;

        @Option(names = "--namespace", defaultValue = "hotpass", description = "kubernetes: the suite's namespace.")
        String namespace;

        @Option(names = "--gateway-url", description = "kubernetes: the gateway's URL as seen from here.")
        String gatewayUrl;

        @Option(names = "--update-fmea", description = "Write this drill's result into the FMEA register (e.g. docs/sre/fmea.md).")
        Path fmea;

        @Override
        public Integer call() throws Exception {
            Scenario s = ScenarioLoader.load(ScenarioLoader.resolve(parent.scenarios(dir), scenario));
            if ((rows != null || retryTimeout != null) && s.workload() != null) {
                Scenario.Workload w = s.workload();
                s = new Scenario(s.name(), s.title(), s.failureMode(), s.targets(), s.probes(), s.probeInterval(),
                        new Scenario.Workload(rows != null ? rows : w.rows(), w.duplicates(), w.uploadBytesPerSecond(), w.steps(), w.maxAttempts(),
                                retryTimeout != null ? retryTimeout : w.retryTimeout(), w.format()),
                        s.fault(), s.rollbacks(), new Scenario.Abort(retryTimeout != null ? "2h" : s.abort().maxDuration(), s.abort().maxProbeFailure()),
                        s.recovery(), s.expect(), s.requires());
            }
            if (!s.targets().contains(target)) {
                System.err.println("chaos: scenario " + s.name() + " runs on " + s.targets() + ", not " + target);
                return 2;
            }
            try (Target t = open(s)) {
                Journal j = new DrillRunner(t).run(s);
                Path outDir = out != null ? out : parent.root.resolve("chaos/target/drills");
                String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
                Path base = outDir.resolve(s.name() + "-" + stamp);
                j.write(base.resolveSibling(base.getFileName() + ".json"));
                Path md = Report.write(j, base);
                System.out.println(j.verdict + "  journal " + base + ".json  report " + md);
                if (fmea != null) {
                    FmeaRegister.update(fmea, j, parent.root.relativize(md.toAbsolutePath().normalize()).toString());
                }
                return "PASS".equals(j.verdict) ? 0 : 1;
            }
        }

        private Target open(Scenario s) throws Exception {
            Path root = parent.root.toAbsolutePath().normalize();
            if ("kubernetes".equals(target)) {
                String key = System.getenv("HOTPASS_BOOTSTRAP_ADMIN_KEY");
                if (gatewayUrl == null || key == null) {
                    throw new CommandLine.ParameterException(new CommandLine(this),
                            "kubernetes needs --gateway-url and HOTPASS_BOOTSTRAP_ADMIN_KEY in the environment");
                }
                return KubernetesTarget.connect(namespace, gatewayUrl, key);
            }
            LocalStack stack;
            // A partition cuts the runner's link between the gateway and the service: only a stack launched here has one.
            boolean partition = s.fault() != null && "partition".equals(s.fault().action());
            if (launch) {
                stack = LocalStack.launch(root, "_chaos", root.resolve("chaos/target/stack-logs"), drillEnv(), Duration.ofSeconds(240),
                        s.requiresKeycloak(), partition ? java.util.Set.of(s.fault().service()) : java.util.Set.of());
            } else {
                if (partition) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "scenario " + s.name()
                            + " partitions the gateway from " + s.fault().service() + " through a link of the runner's: run it with --launch");
                }
                if (s.requiresKeycloak()) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "scenario " + s.name()
                            + " needs a Keycloak beside the services: run it with --launch (bin/hotpass up runs none)");
                }
                stack = LocalStack.attach(root);
            }
            Databases dbs = noDb ? null : new Databases(dbUrl, dbUser, System.getenv("HOTPASS_DB_PASSWORD"), Databases.namesWithSuffix(stack.dbSuffix));
            return new LocalTarget(stack, dbs, LocalTarget.defaultPgCtl());
        }
    }

    /**
     * Settings of a stack started for drills: shorter outbox back-off and run-recovery intervals so
     * a short drill sees the whole recovery, lower per-tenant rate limits so a flood from one
     * client process is a flood, and the fault-injection switch on (with the gateway routes to it,
     * see {@link io.hotpass.chaos.targets.FaultRoutes}). Documented in docs/sre/chaos.md.
     */
    public static Map<String, String> drillEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOTPASS_FAULT_INJECTION_ENABLED", "true");
        env.put("HOTPASS_OUTBOX_MAX_BACKOFF", "PT5S");
        env.put("HOTPASS_INGEST_RUNS_STALE_AT_START", "PT5S");
        env.put("HOTPASS_INGEST_RUNS_STALE_AFTER", "PT20S");
        env.put("HOTPASS_INGEST_RUNS_SWEEP_INTERVAL", "PT5S");
        env.put("HOTPASS_CONTRACTS_VALIDATION_STALE_AFTER", "PT20S");
        env.put("HOTPASS_CONTRACTS_VALIDATION_SWEEP_INTERVAL", "PT5S");
        env.put("HOTPASS_GATEWAY_RATE_LIMIT_TENANT_RATE", "15");
        env.put("HOTPASS_GATEWAY_RATE_LIMIT_TENANT_BURST", "30");
        env.put("HOTPASS_GATEWAY_RATE_LIMIT_SUBJECT_RATE", "15");
        env.put("HOTPASS_GATEWAY_RATE_LIMIT_SUBJECT_BURST", "30");
        return env;
    }

    @Command(name = "routes", description = "Writes the gateway route table of a drill stack (the packaged routes.yaml plus the routes to"
            + " the services' fault-injection switches), for a bin/hotpass up stack started with the switch on.")
    static final class RoutesCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        ChaosCli parent;

        @Option(names = "--out", defaultValue = ".hotpass/chaos-routes.yaml", description = "Where to write it (default: .hotpass/chaos-routes.yaml).")
        Path out;

        @Override
        public Integer call() throws Exception {
            Path app = parent.root.resolve("gateway/target/quarkus-app");
            Path target = parent.root.resolve(out);
            if (java.nio.file.Files.isDirectory(app.resolve("app"))) {
                io.hotpass.chaos.targets.FaultRoutes.writeFromPackagedGateway(app, target);
            } else {
                try (var in = java.nio.file.Files.newInputStream(parent.root.resolve("gateway/src/main/resources/routes.yaml"))) {
                    io.hotpass.chaos.targets.FaultRoutes.write(in, target);
                }
            }
            System.out.println(target.toAbsolutePath().normalize());
            System.err.println("Start the stack with the switch on and this table:\n  HOTPASS_FAULT_INJECTION_ENABLED=true HOTPASS_GATEWAY_ROUTES_LOCATION="
                    + target.toAbsolutePath().normalize() + " bin/hotpass up");
            return 0;
        }
    }

    @Command(name = "report", description = "Writes the Markdown report (and SVG timeline) of a journal, and optionally the FMEA register row.")
    static final class ReportCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        ChaosCli parent;

        @Parameters(index = "0", description = "A drill journal (JSON).")
        Path journal;

        @Option(names = "--update-fmea", description = "Write the result into the FMEA register (e.g. docs/sre/fmea.md).")
        Path fmea;

        @Override
        public Integer call() throws Exception {
            Journal j = Journal.read(journal);
            String name = journal.getFileName().toString().replaceFirst("\\.json$", "");
            Path md = Report.write(j, journal.resolveSibling(name));
            System.out.println(md);
            if (fmea != null) {
                FmeaRegister.update(fmea, j, md.toString());
            }
            return List.of("PASS").contains(j.verdict) ? 0 : 1;
        }
    }
}
