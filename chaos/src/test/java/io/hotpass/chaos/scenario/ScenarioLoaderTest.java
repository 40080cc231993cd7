package io.hotpass.chaos.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioLoaderTest {

    static final Path SCENARIOS = Path.of(System.getProperty("hotpass.root", "..")).resolve("chaos/scenarios");

    @Test
    void everyShippedScenarioLoadsAndNamesAnFmeaRow() throws Exception {
        List<Path> files = ScenarioLoader.list(SCENARIOS);
        assertTrue(files.size() >= 5, "the five CI drills at least: " + files);
        for (Path f : files) {
            Scenario s = ScenarioLoader.load(f);
            assertEquals(f.getFileName().toString().replace(".yaml", ""), s.name(), "file name = scenario name");
            assertTrue(s.failureMode().matches("FM-\\d{2}"));
            String fmea = Files.readString(SCENARIOS.resolve("../../docs/sre/fmea.md"));
            assertTrue(fmea.contains("| " + s.failureMode() + " "), s.failureMode() + " is a row of docs/sre/fmea.md");
            assertTrue(fmea.contains(s.name()), s.name() + " is named as a drill in docs/sre/fmea.md");
        }
    }

    @Test
    void aScenarioThatCannotRunIsRefusedWithEveryProblemNamed(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                name: Bad Name
                failureMode: 12
                probes:
                  - {name: p, get: /x, post: /y, as: somebody}
                  - {name: p, metric: {name: hotpass_outbox_pending}}
                fault: {action: teleport, trigger: {on: lunch, delay: soon}}
                workload: {rows: 3, steps: [upload, dance]}
                expect: {neverAllowed: [nobody], duringFault: [{probe: ghost}]}
                targets: [mars]
                """);
        ScenarioLoader.InvalidScenarioException e = assertThrows(ScenarioLoader.InvalidScenarioException.class, () -> ScenarioLoader.load(bad));
        String all = String.join("\n", e.problems);
        for (String field : List.of("name:", "failureMode:", "probes[0]: exactly one", "probes[0].as", "probes[1].name", "probes[1].metric",
                "fault.action", "fault.trigger.on", "fault: 'soon' is not a duration", "workload.steps", "workload.rows", "expect.neverAllowed",
                "expect.duringFault", "targets")) {
            assertTrue(all.contains(field), "names " + field + " in:\n" + all);
        }
    }

    @Test
    void keycloakTokensAndFaultsNeedAStackThatRunsKeycloak(@TempDir Path dir) throws Exception {
        Path undeclared = dir.resolve("undeclared.yaml");
        Files.writeString(undeclared, """
                name: undeclared
                failureMode: FM-07
                probes: [{name: p, get: /q, as: fresh-token}, {name: q, get: /q, as: issued-token}]
                fault: {action: kill, service: keycloak}
                """);
        String all = String.join("\n", assertThrows(ScenarioLoader.InvalidScenarioException.class, () -> ScenarioLoader.load(undeclared)).problems);
        for (String field : List.of("probes[0].as: fresh-token", "probes[1].as: issued-token", "fault.service: keycloak can only be paused",
                "fault.service: keycloak needs requires")) {
            assertTrue(all.contains(field), "names " + field + " in:\n" + all);
        }
        Path wrong = dir.resolve("wrong.yaml");
        Files.writeString(wrong, "name: wrong\nfailureMode: FM-07\nrequires: [vault, keycloak]\ntargets: [kubernetes]\nprobes: [{name: p, get: /q}]\n"
                + "fault: {action: pause, service: keycloak}\n");
        String problems = String.join("\n", assertThrows(ScenarioLoader.InvalidScenarioException.class, () -> ScenarioLoader.load(wrong)).problems);
        assertTrue(problems.contains("requires: 'vault'"), problems);
        assertTrue(problems.contains("requires: keycloak runs on the local target only"), problems);
        Scenario shipped = ScenarioLoader.load(SCENARIOS.resolve("keycloak-unreachable.yaml"));
        assertTrue(shipped.requiresKeycloak());
    }

    @Test
    void anUnknownKeyIsRefusedNotIgnored(@TempDir Path dir) throws Exception {
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, "name: typo\nfailureMode: FM-01\nprobes: [{name: p, get: /q}]\nfault: {action: kill, service: gateway, durration: 5s}\n");
        ScenarioLoader.InvalidScenarioException e = assertThrows(ScenarioLoader.InvalidScenarioException.class, () -> ScenarioLoader.load(typo));
        assertTrue(e.getMessage().contains("durration"), e.getMessage());
    }

    @Test
    void durationsAreShortOrIso() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms", null));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s", null));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m", null));
        assertEquals(Duration.ofSeconds(45), Durations.parse("PT45S", null));
        assertEquals(Duration.ZERO, Durations.parse(null, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("a while", null));
    }

    @Test
    void aScenarioIsFoundByNameOrPath() {
        Path byName = ScenarioLoader.resolve(SCENARIOS, "policy-down");
        assertTrue(Files.isRegularFile(byName));
        assertEquals(byName, ScenarioLoader.resolve(SCENARIOS, byName.toString()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScenarioLoader.resolve(SCENARIOS, "no-such-drill"));
        assertFalse(e.getMessage().isBlank());
    }
}
