package io.hotpass.chaos.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.chaos.scenario.Scenario;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Time to detect, MTTR and the verdict, computed from a journal whose samples the test writes. */
class VerdictsTest {

    static Scenario scenario(Scenario.Expect expect) {
        return new Scenario("s", null, "FM-05", null, List.of(new Scenario.Probe("p", null, "/x", null, null, null, null, null, null, null),
                new Scenario.Probe("viewer-write", null, null, "/y", null, "viewer", List.of(403), null, null, null)),
                null, null, new Scenario.Fault("stop", "policy-service", null, "20s", null, null, null), null, null, null, expect);
    }

    static Journal journal() {
        Journal j = new Journal("s", null, "FM-05", "local");
        j.steadyStateAfter = new Journal.SteadyState();
        j.steadyStateAfter.met = true;
        j.measures.outboxDrainMs = 10L;
        j.measures.faultInjectedAt = 1000L;
        j.measures.faultRolledBackAt = 5000L;
        for (long t = 0; t <= 8000; t += 500) {
            boolean down = t >= 1500 && t < 6000;
            j.samples.add(new Journal.Sample(t, "p", !down, down ? 503 : 200, 5, down ? "policy_unavailable" : null, null));
            j.samples.add(new Journal.Sample(t, "viewer-write", !down, down ? 503 : 403, 5, null, null));
        }
        return j;
    }

    @Test
    void detectionAndRecoveryComeFromTheSamples() {
        Journal j = journal();
        Verdicts.judge(scenario(null), j, null, false);
        assertEquals(500L, j.measures.timeToDetectMs, "first failing sample 500 ms after the fault");
        assertEquals(6000L, j.measures.recoveredAt);
        assertEquals(4500L, j.measures.mttrMs, "from detection to all green");
        assertEquals(5000L, j.measures.outageMs);
        assertEquals("PASS", j.verdict, String.join("; ", j.reasons));
    }

    @Test
    void aFaultNoProbeNoticedHasNoDetectionAndZeroMttr() {
        Journal j = journal();
        j.samples.clear();
        j.samples.add(new Journal.Sample(2000, "p", true, 200, 5, null, null));
        Verdicts.judge(scenario(null), j, null, false);
        assertNull(j.measures.timeToDetectMs);
        assertEquals(0L, j.measures.mttrMs);
    }

    @Test
    void aTwoHundredForANeverAllowedProbeFailsTheDrill() {
        Journal j = journal();
        j.samples.add(new Journal.Sample(3000, "viewer-write", false, 201, 5, null, null));
        Verdicts.judge(scenario(new Scenario.Expect(true, List.of("viewer-write"), null, null, null)), j, null, false);
        assertEquals("FAIL", j.verdict);
        assertTrue(j.reasons.get(0).contains("viewer-write was allowed"), j.reasons.toString());
    }

    @Test
    void duringTheFaultTheProbeMustAnswerWhatTheScenarioSays() {
        Scenario.Expect ok = new Scenario.Expect(true, null, List.of(new Scenario.DuringFault("p", List.of(503), "policy_unavailable", "1s")), null, null);
        Journal j = journal();
        Verdicts.judge(scenario(ok), j, null, false);
        assertEquals("PASS", j.verdict, String.join("; ", j.reasons));

        Scenario.Expect wrongCode = new Scenario.Expect(true, null, List.of(new Scenario.DuringFault("p", List.of(503), "upstream_circuit_open", "1s")),
                null, null);
        Journal k = journal();
        Verdicts.judge(scenario(wrongCode), k, null, false);
        assertEquals("FAIL", k.verdict);
    }

    @Test
    void lostDataOrAnUndrainedOutboxOrAnAbortIsNeverAPass() {
        Journal lost = journal();
        lost.zeroLoss = new Journal.ZeroLoss();
        lost.zeroLoss.problems.add("3 rows sent are not in v1");
        Verdicts.judge(scenario(null), lost, null, false);
        assertEquals("FAIL", lost.verdict);

        Journal stuck = journal();
        stuck.measures.outboxDrainMs = null;
        Verdicts.judge(scenario(null), stuck, null, false);
        assertEquals("FAIL", stuck.verdict);

        Journal aborted = journal();
        Verdicts.judge(scenario(null), aborted, null, true);
        assertEquals("ABORTED", aborted.verdict);
    }

    @Test
    void theFlooderMayOnlySeeAllowedStatusesAndTheVictimItsRatio() {
        Scenario.Expect e = new Scenario.Expect(true, null, null, 2.0, new Scenario.FlooderExpect(List.of(200, 429), true));
        Journal j = journal();
        j.flood = Map.of("flooderStatuses", Map.of("200", 10L, "429", 900L), "victimP99Ratio", 1.4);
        Verdicts.judge(scenario(e), j, null, false);
        assertEquals("PASS", j.verdict, String.join("; ", j.reasons));

        Journal k = journal();
        k.flood = Map.of("flooderStatuses", Map.of("200", 10L, "502", 3L), "victimP99Ratio", 2.6);
        Verdicts.judge(scenario(e), k, null, false);
        assertEquals("FAIL", k.verdict);
        String why = String.join("; ", k.reasons);
        assertTrue(why.contains("status 502") && why.contains("2.6") && why.contains("never rate limited"), why);
    }

    @Test
    void anAbortThresholdIsAProbeFailingWithoutABreakForTooLong() {
        Scenario s = new Scenario("s", null, "FM-05", null, List.of(new Scenario.Probe("p", null, "/x", null, null, null, null, null, null, null)),
                null, null, new Scenario.Fault("stop", "x", null, "1m", null, null, null), null, new Scenario.Abort("10m", "2s"), null, null);
        Journal j = new Journal("s", null, "FM-05", "local");
        j.samples.add(new Journal.Sample(j.now() - 5000, "p", false, 503, 1, null, null));
        j.samples.add(new Journal.Sample(j.now() - 100, "p", false, 503, 1, null, null));
        assertTrue(DrillRunner.abortReason(s, j, System.currentTimeMillis()).contains("probe p failing"));
        j.samples.add(new Journal.Sample(j.now(), "p", true, 200, 1, null, null));
        assertNull(DrillRunner.abortReason(s, j, System.currentTimeMillis()));
    }
}
