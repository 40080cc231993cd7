package io.hotpass.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.chaos.drill.DrillRunner;
import io.hotpass.chaos.drill.Journal;
import io.hotpass.chaos.report.Report;
import io.hotpass.chaos.scenario.Scenario;
import io.hotpass.chaos.scenario.ScenarioLoader;
import io.hotpass.chaos.targets.Databases;
import io.hotpass.chaos.targets.LocalStack;
import io.hotpass.chaos.targets.LocalTarget;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The five CI drills (short versions of chaos/scenarios/*.yaml) on a stack this test starts itself
 * from the packaged services, with databases hotpass_<svc>_chaos and the drill settings of
 * {@link ChaosCli#drillEnv()}. Each asserts the journal's verdict and zero data loss, plus what
 * proves the fault hit what it was meant to hit. Journals and reports: chaos/target/drills/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CiDrillsIT {

    static Path root;
    static LocalStack stack;
    static LocalTarget target;

    @BeforeAll
    static void up() throws Exception {
        root = Path.of(System.getProperty("hotpass.root", "..")).toAbsolutePath().normalize();
        stack = LocalStack.launch(root, "_chaos", root.resolve("chaos/target/stack-logs"), ChaosCli.drillEnv(), Duration.ofSeconds(240));
        target = new LocalTarget(stack, new Databases("jdbc:postgresql://127.0.0.1:5432", "postgres", System.getenv("HOTPASS_DB_PASSWORD"),
                Databases.namesWithSuffix("_chaos")), LocalTarget.defaultPgCtl());
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.close();
        }
    }

    static Journal drill(String name) throws Exception {
        Scenario s = ScenarioLoader.load(root.resolve("chaos/scenarios/" + name + ".yaml"));
        Journal j = new DrillRunner(target).run(s);
        Path base = root.resolve("chaos/target/drills/" + name);
        j.write(base.resolveSibling(name + ".json"));
        Report.write(j, base);
        return j;
    }

    static void assertPassedWithZeroLoss(Journal j) {
        assertEquals("PASS", j.verdict, () -> j.scenario + ": " + String.join("; ", j.reasons));
        assertNotNull(j.zeroLoss, "the zero-loss check ran");
        assertEquals(0, j.zeroLoss.dataLost, () -> String.join("; ", j.zeroLoss.problems));
        assertEquals(0, j.zeroLoss.rowsDuplicated);
        assertEquals(0, j.zeroLoss.lineageEventsDuplicated);
        assertEquals(0, j.zeroLoss.auditEntriesDuplicated);
        assertEquals(Boolean.TRUE, j.zeroLoss.auditChainValid);
        assertEquals(j.zeroLoss.rowsExpected, j.settings.get("rows") instanceof Integer n ? n.longValue() : -1);
        assertNotNull(j.measures.faultInjectedAt, "the fault was injected");
    }

    @Test
    @Order(1)
    void policyServiceDownGatewayDenies503AndAllowsNothing() throws Exception {
        Journal j = drill("policy-down");
        assertPassedWithZeroLoss(j);
        // The outage was seen: the tenant's reads were refused while policy-service was away.
        assertTrue(j.samples.stream().anyMatch(s -> s.probe.equals("datasets-list") && s.status == 503), "no 503 seen during the outage");
        assertTrue(j.samples.stream().noneMatch(s -> s.probe.equals("viewer-write") && s.status / 100 == 2));
    }

    @Test
    @Order(2)
    void lineageServiceDownThirtySecondsOutboxCatchesUp() throws Exception {
        Journal j = drill("lineage-down-during-runs");
        assertPassedWithZeroLoss(j);
        assertTrue(j.zeroLoss.lineageEventsExpected > 0, "the workload produced lineage events");
        assertEquals(j.zeroLoss.lineageEventsExpected, j.zeroLoss.lineageEventsDelivered);
        assertTrue(j.samples.stream().anyMatch(s -> s.probe.equals("lineage-ready") && !s.ok), "lineage-service was seen down");
    }

    @Test
    @Order(3)
    void ingestKilledDuringUploadRetryCompletesWithoutLossOrDuplicates() throws Exception {
        Journal j = drill("ingest-killed-during-upload");
        assertPassedWithZeroLoss(j);
        // The kill landed while the file was arriving: that upload run failed cleanly, the retry stored it once.
        assertTrue(j.zeroLoss.uploadRunsFailedCleanly >= 1, "no upload run was interrupted by the kill");
        assertEquals(1, j.zeroLoss.uploadVersions);
        assertEquals(20_000, j.zeroLoss.rowsExpected);
    }

    @Test
    @Order(4)
    void postgresRestartDuringValidationLeavesNoHalfResults() throws Exception {
        Journal j = drill("postgres-restart-during-validation");
        assertPassedWithZeroLoss(j);
        // No half result: every run cut off by the restart was failed (by contracts-service's stale-run sweeper at the
        // latest) before the check, and every audit entry answered while the database was away came back from the spool.
        assertNotNull(j.measures.runsSettledMs, "a run was still running after the sweepers' stale-after");
        assertEquals(0, j.zeroLoss.validationRunsIncomplete);
        assertEquals(0, j.zeroLoss.auditEntriesMissing);
        long fault = j.measures.faultInjectedAt;
        assertTrue(j.requests.stream().anyMatch(r -> r.path.endsWith("/validations") && r.t <= fault && fault <= r.t + r.latencyMs),
                "the restart began while a validation request was in flight");
        assertTrue(j.zeroLoss.validationRuns >= 1, "the validation ran");
    }

    @Test
    @Order(5)
    void oneTenantFloodsOthersP99StaysWithinTwiceBaselineFlooderGets429() throws Exception {
        Journal j = drill("tenant-flood");
        assertPassedWithZeroLoss(j);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Long> statuses = (java.util.Map<String, Long>) j.flood.get("flooderStatuses");
        assertTrue(statuses.getOrDefault("429", 0L) > 0, "the flooder was rate limited");
        assertTrue(statuses.keySet().stream().noneMatch(s -> s.startsWith("5")), "the flooder saw a 5xx: " + statuses);
    }
    @Test
    @Order(6)
    void slowIngestBeyondTheRouteTimeoutCallersGet504OthersStayFastNothingLost() throws Exception {
        Journal j = drill("slow-upstream");
        assertPassedWithZeroLoss(j);
        // The switch was set through the gateway with the platform administrator's key, and cleared by the rollback.
        assertTrue(j.events.stream().anyMatch(e -> e.kind.equals("fault") && e.detail.contains("fault switch of ingest-service")), "the fault was set");
        assertTrue(j.events.stream().anyMatch(e -> e.kind.equals("rollback") && e.detail.contains("(HTTP 204)")), "the rollback cleared it");
        // Callers of the slowed route saw the gateway's 504, and only there: the other services' probes never failed.
        assertTrue(j.samples.stream().anyMatch(s -> s.probe.equals("datasets-list") && s.status == 504 && "upstream_timeout".equals(s.code)),
                "no 504 upstream_timeout seen");
        assertTrue(j.samples.stream().filter(s -> !s.probe.equals("datasets-list")).allMatch(s -> s.ok),
                () -> "another probe failed: " + j.samples.stream().filter(s -> !s.probe.equals("datasets-list") && !s.ok).findFirst().orElse(null));
        // The validation that needed ingest's rows during the fault failed cleanly and was retried to completion.
        assertTrue(j.requests.stream().anyMatch(r -> "workload".equals(r.who) && r.failed()), "the workload never met the slow route");
        assertTrue(j.zeroLoss.validationRuns >= 1);
    }

    @Test
    @Order(7)
    void redisGoneRateLimitsFallBackToTheReplicaNoServerErrorsRedisUsedAgain() throws Exception {
        Journal j = drill("redis-gone");
        assertPassedWithZeroLoss(j);
        assertTrue(stack.redisPort().isPresent(), "the drill stack runs a Redis of its own");
        assertTrue(j.events.stream().anyMatch(e -> e.kind.equals("fault") && e.detail.contains("Redis")), "Redis was killed");
        assertNotNull(j.firstEvent("redis-in-use"), "the gateway took its buckets back to Redis");
        // Requests kept being answered while Redis was gone: the workload and the probes saw no 5xx at all.
        long during = j.samples.stream().filter(s -> s.probe.equals("datasets-list") && s.t >= j.measures.faultInjectedAt
                && s.t < j.measures.faultRolledBackAt && s.status == 200).count();
        assertTrue(during >= 10, "too few answered requests while Redis was gone: " + during);
    }

    @Test
    @Order(8)
    void poisonedUploadsAreRefusedWith4xxWhileAnotherTenantsUploadCompletes() throws Exception {
        Journal j = drill("poisoned-input");
        assertPassedWithZeroLoss(j);
        @SuppressWarnings("unchecked")
        java.util.List<java.util.Map<String, Object>> uploads = (java.util.List<java.util.Map<String, Object>>) j.poison.get("uploads");
        assertEquals(4, uploads.size(), "every poisoned file was sent");
        for (var u : uploads) {
            int status = ((Number) u.get("status")).intValue();
            assertTrue(status >= 400 && status < 500 || ((Number) u.getOrDefault("rowsQuarantined", 0)).longValue() > 0, "poisoned upload " + u);
        }
        assertEquals(20_000, j.zeroLoss.rowsFound, "the other tenant's upload is whole");
    }

    @Test
    @Order(9)
    void ingestWithItsClockThreeMinutesAheadStillAcceptsTheGatewaysTokensNothingLost() throws Exception {
        Journal j = drill("clock-skew");
        assertPassedWithZeroLoss(j);
        // The fault was what it claims: the restarted ingest-service's own clock ran about 180 s ahead of this machine's.
        Journal.Event seen = j.events.stream().filter(e -> e.kind.equals("clock-skew-observed")).findFirst().orElse(null);
        assertNotNull(seen, "the skew was measured");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("runs ([+-][0-9.]+) s off").matcher(seen.detail);
        assertTrue(m.find(), seen.detail);
        double skew = Double.parseDouble(m.group(1));
        assertTrue(skew > 170 && skew < 190, "ingest-service's clock was " + skew + " s off, not +180 s");
        // The skewed service answered the gateway's requests, and the workload's steps ran while it was skewed.
        long from = j.measures.faultInjectedAt;
        long to = j.measures.faultRolledBackAt;
        assertTrue(j.samples.stream().anyMatch(s -> s.probe.equals("datasets-list") && s.t > from + 45_000 && s.t < to && s.status == 200),
                "no answered request while ingest-service was skewed");
        assertTrue(j.requests.stream().anyMatch(r -> "workload".equals(r.who) && r.t > seen.t && r.t < to && r.status / 100 == 2),
                "no workload request succeeded while ingest-service was skewed");
        // Rolled back: nothing is left running with a fake clock.
        assertTrue(LocalStack.SERVICES.stream().noneMatch(stack::hasFakeClock));
    }

    @Test
    @Order(10)
    void ingestsTempDiskFullXlsxUploadsAre507UntilSpaceIsFreedThenStoredOnceReadsUnaffected() throws Exception {
        Journal j = drill("disk-full");
        assertPassedWithZeroLoss(j);
        long from = j.measures.faultInjectedAt;
        long to = j.measures.faultRolledBackAt;
        // The client saw the service's disk, not a fault of its file: 507 with Retry-After while the disk was full ...
        assertTrue(j.requests.stream().anyMatch(r -> "workload".equals(r.who) && r.status == 507 && "insufficient_storage".equals(r.code)
                && r.t >= from && r.t <= to), "no 507 insufficient_storage while the disk was full");
        // ... and the upload that stored the version came after the space was freed, without restarting ingest.
        assertTrue(j.requests.stream().anyMatch(r -> "workload".equals(r.who) && r.path.contains("/uploads") && r.status / 100 == 2 && r.t > to));
        long checked = j.firstEvent("zero-loss"); // the closing sweep's restart comes after the check
        assertTrue(j.events.stream().noneMatch(e -> e.kind.equals("rollback") && e.detail.contains("started again") && e.t < checked),
                "ingest-service was restarted to recover");
        // The closing sweep put ingest back on its own temp directory and unmounted the tmpfs.
        assertTrue(LocalStack.SERVICES.stream().noneMatch(stack::hasDrillTmpdir));
        assertTrue(io.hotpass.chaos.targets.DiskFull.mounts().isEmpty());
    }

    @Test
    @Order(11)
    void keycloakFrozenApiKeysAndIssuedTokensKeepWorkingNewTokensWaitNothingLost() throws Exception {
        // Last: the stack gets its Keycloak now (the gateway and policy-service restarted with its settings), as
        // chaos run --launch starts one for a scenario that requires it.
        io.hotpass.chaos.targets.Keycloak keycloak = stack.startKeycloak(Duration.ofSeconds(180));
        Journal j = drill("keycloak-unreachable");
        assertPassedWithZeroLoss(j);
        Journal.Event issued = j.events.stream().filter(e -> e.kind.equals("token-issued")).findFirst().orElse(null);
        assertNotNull(issued, "the drill tenant got a token from Keycloak before the fault");
        assertTrue(issued.t < j.measures.faultInjectedAt);
        long from = j.measures.faultInjectedAt;
        long to = j.measures.faultRolledBackAt;
        java.util.function.Predicate<Journal.Sample> inFault = s -> s.t >= from + 1000 && s.t + s.latencyMs < to;
        // While Keycloak was frozen: the API key and the token issued before were answered 200, and quickly ...
        for (String probe : java.util.List.of("datasets-list", "issued-token")) {
            java.util.List<Journal.Sample> during = j.samples.stream().filter(s -> s.probe.equals(probe)).filter(inFault).toList();
            assertTrue(during.size() >= 10, probe + ": too few samples while Keycloak was frozen: " + during.size());
            assertTrue(during.stream().allMatch(s -> s.status == 200 && s.latencyMs <= 3000), probe + " was not answered 200 within 3 s");
        }
        // ... a new token could not be had, and getting none took the client's bound, not longer ...
        java.util.List<Journal.Sample> fresh = j.samples.stream().filter(s -> s.probe.equals("fresh-token")).filter(inFault).toList();
        assertTrue(fresh.size() >= 3, "too few fresh-token samples while Keycloak was frozen");
        assertTrue(fresh.stream().allMatch(s -> io.hotpass.chaos.drill.Prober.TOKEN_UNAVAILABLE.equals(s.code) && s.latencyMs < 4500),
                "a fresh token during the fault: " + fresh);
        // ... the workload, on its API key, went on meanwhile and was never answered a 5xx ...
        assertTrue(j.requests.stream().anyMatch(r -> "workload".equals(r.who) && r.t > from && r.t < to && r.status / 100 == 2),
                "no workload request succeeded while Keycloak was frozen");
        // ... and after SIGCONT a new token was issued and accepted; Keycloak is left running.
        Journal.Event accepted = j.events.stream().filter(e -> e.kind.equals("fresh-token-accepted")).findFirst().orElse(null);
        assertNotNull(accepted, "no fresh token accepted after the rollback");
        assertTrue(accepted.t >= to);
        assertTrue(keycloak.alive() && !keycloak.paused(), "Keycloak is left frozen or gone");
        // A runner killed during the freeze leaves Keycloak stopped: the next drill's sweep continues it.
        keycloak.pause();
        // kill -STOP returns before /proc shows the JVM stopped: wait for it (once seen not yet "T").
        org.awaitility.Awaitility.await("Keycloak stopped").atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(50)).until(keycloak::paused);
        assertTrue(keycloak.paused());
        Journal swept = new Journal("sweep", "sweep", "FM-07", target.name());
        target.sweep(swept);
        assertTrue(!keycloak.paused(), "the sweep left Keycloak frozen");
        assertTrue(swept.events.stream().anyMatch(e -> e.kind.equals("sweep") && e.detail.contains("Keycloak")), "the sweep said nothing");
    }
}
