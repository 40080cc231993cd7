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
        return new Scenario("s", null, "FM-05", null, List.of(new Scenario.Probe("p", null, "/x", null, null, null, null, null, null, null, null),
                new Scenario.Probe("viewer-write", null, null, "/y", null, "viewer", List.of(403), null, null, null, null)),
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
            j.samples.add(new Journal.Sample(t, "p", !down, down ? 503 : 200, 0, down ? "policy_unavailable" : null, null));
            j.samples.add(new Journal.Sample(t, "viewer-write", !down, down ? 503 : 403, 0, null, null));
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
    void aProbeHeldBySlowServiceDetectsWhenItsAnswerArrivesAndRecoversOnlyWhenItAnswersWell() {
        Journal j = journal();
        j.samples.clear();
        j.measures.faultInjectedAt = 1000L;
        j.measures.faultRolledBackAt = 34000L;
        // Sent at 1.2 s, answered 504 by the gateway at 31.2 s; sent again at 31.7 s, held until the rollback, 200 at 34.1 s.
        j.samples.add(new Journal.Sample(1200, "slow", false, 504, 30000, "upstream_timeout", null));
        j.samples.add(new Journal.Sample(31700, "slow", true, 200, 2400, null, null));
        for (long t = 0; t <= 40000; t += 500) {
            j.samples.add(new Journal.Sample(t, "other", true, 200, 3, null, null));
        }
        Verdicts.judge(scenario(null), j, null, false);
        assertEquals(30200L, j.measures.timeToDetectMs, "detected when the 504 arrived");
        assertEquals(34100L, j.measures.recoveredAt, "recovered when the slow probe answered well, not when another did");
        assertEquals(2900L, j.measures.mttrMs);
        assertEquals(33100L, j.measures.outageMs);
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
        Verdicts.judge(scenario(new Scenario.Expect(true, List.of("viewer-write"), null, null, null, null, null)), j, null, false);
        assertEquals("FAIL", j.verdict);
        assertTrue(j.reasons.get(0).contains("viewer-write was allowed"), j.reasons.toString());
    }

    @Test
    void duringTheFaultTheProbeMustAnswerWhatTheScenarioSays() {
        Scenario.Expect ok = new Scenario.Expect(true, null, List.of(new Scenario.DuringFault("p", List.of(503), "policy_unavailable", "1s")), null, null, null, null);
        Journal j = journal();
        Verdicts.judge(scenario(ok), j, null, false);
        assertEquals("PASS", j.verdict, String.join("; ", j.reasons));

        Scenario.Expect wrongCode = new Scenario.Expect(true, null, List.of(new Scenario.DuringFault("p", List.of(503), "upstream_circuit_open", "1s")),
                null, null, null, null);
        Journal k = journal();
        Verdicts.judge(scenario(wrongCode), k, null, false);
        assertEquals("FAIL", k.verdict);
    }

    @Test
    void aProbeSentWhileTheFaultWasStillBeingInjectedIsNotJudgedAsDuringIt() {
        // The fault switch was being set from 1.0 s and took effect at 1.2 s; a probe sent at 1.1 s ran
        // before it and answered 200. Only what was sent from 1.2 s on must be the fault's 504.
        Scenario.Expect e = new Scenario.Expect(true, null, List.of(new Scenario.DuringFault("p", List.of(504), null, null)),
                null, null, null, null);
        Journal j = journal();
        j.samples.removeIf(x -> x.probe.equals("p"));
        j.samples.add(new Journal.Sample(1100, "p", true, 200, 5, null, null));
        j.samples.add(new Journal.Sample(1300, "p", false, 504, 3000, "upstream_timeout", null));
        j.samples.add(new Journal.Sample(6000, "p", true, 200, 5, null, null));
        Verdicts.judge(scenario(e), j, null, false);
        assertEquals("FAIL", j.verdict, "without faultActiveAt the 200 at 1.1 s counts");

        Journal k = journal();
        k.samples.removeIf(x -> x.probe.equals("p"));
        k.samples.addAll(j.samples.stream().filter(x -> x.probe.equals("p")).toList());
        k.measures.faultActiveAt = 1200L;
        Verdicts.judge(scenario(e), k, null, false);
        assertEquals("PASS", k.verdict, String.join("; ", k.reasons));
    }

    @Test
    void duringTheFaultCanBeJudgedFromAnEventInsteadOfAGuessOfHowLongItTakes() {
        // A restarted service was ready only at 3.0 s; before that (and 0.5 s after, its circuit still open)
        // the probe answered 503. Judged from 1 s after the fault it fails; from 0.5 s after ready it passes.
        Journal j = journal();
        j.samples.removeIf(x -> x.probe.equals("p"));
        for (long t = 0; t <= 8000; t += 500) {
            boolean down = t >= 1500 && t < 3500;
            j.samples.add(new Journal.Sample(t, "p", !down, down ? 503 : 200, 0, down ? "upstream_circuit_open" : null, null));
        }
        j.events.add(new Journal.Event(3000, "service-ready", "svc"));
        Verdicts.judge(scenario(new Scenario.Expect(true, null,
                List.of(new Scenario.DuringFault("p", List.of(200), null, "1s")), null, null, null, null)), j, null, false);
        assertEquals("FAIL", j.verdict);

        Journal k = journal();
        k.samples.clear();
        k.samples.addAll(j.samples);
        k.events.add(new Journal.Event(3000, "service-ready", "svc"));
        Verdicts.judge(scenario(new Scenario.Expect(true, null,
                List.of(new Scenario.DuringFault("p", List.of(200), null, "500ms", "service-ready")), null, null, null, null)), k,
                null, false);
        assertEquals("PASS", k.verdict, String.join("; ", k.reasons));

        // The event never came while the fault held: that is a failure of its own, not a silent pass.
        Journal none = journal();
        Verdicts.judge(scenario(new Scenario.Expect(true, null,
                List.of(new Scenario.DuringFault("p", List.of(503), null, null, "service-ready")), null, null, null, null)), none,
                null, false);
        assertEquals("FAIL", none.verdict);
        assertTrue(none.reasons.toString().contains("no service-ready event while the fault held"), none.reasons.toString());
    }

    @Test
    void aSampleTheRollbackReleasedDoesNotCountAsAnsweredDuringTheFault() {
        Scenario.Expect e = new Scenario.Expect(true, null, List.of(new Scenario.DuringFault("p", List.of(504), null, null)), null, null, null, null);
        Journal j = journal();
        j.samples.removeIf(x -> x.probe.equals("p") && x.t >= j.measures.faultInjectedAt && x.t < j.measures.faultRolledBackAt);
        j.samples.add(new Journal.Sample(j.measures.faultInjectedAt + 100, "p", false, 504, 500, "upstream_timeout", null));
        // Started while the fault held, answered 200 only after the rollback released it.
        j.samples.add(new Journal.Sample(j.measures.faultRolledBackAt - 100, "p", true, 200, 400, null, null));
        Verdicts.judge(scenario(e), j, null, false);
        assertEquals("PASS", j.verdict, String.join("; ", j.reasons));
        j.samples.add(new Journal.Sample(j.measures.faultRolledBackAt - 300, "p", true, 200, 50, null, null));
        j.reasons.clear();
        Verdicts.judge(scenario(e), j, null, false);
        assertEquals("FAIL", j.verdict, "a 200 answered inside the fault window breaks the expectation");
    }

    @Test
    void noServerErrorsMeansNoneAtAllAndRequiredEventsMustHaveHappened() {
        Scenario.Expect e = new Scenario.Expect(true, null, null, null, null, true, List.of("redis-in-use"));
        Journal clean = journal();
        clean.samples.removeIf(x -> x.status >= 500 || x.status == 0);
        clean.event("redis-in-use", "3 buckets");
        Verdicts.judge(scenario(e), clean, null, false);
        assertEquals("PASS", clean.verdict, String.join("; ", clean.reasons));

        Journal five = journal();
        five.samples.removeIf(x -> x.status >= 500 || x.status == 0);
        five.event("redis-in-use", "3 buckets");
        five.requests.add(new Journal.Request(2500, "workload", "POST", "/api/v1/ingest/datasets", 502, 30, "t", "upstream_unavailable", null));
        Verdicts.judge(scenario(e), five, null, false);
        assertEquals("FAIL", five.verdict);

        Journal never = journal();
        never.samples.removeIf(x -> x.status >= 500 || x.status == 0);
        Verdicts.judge(scenario(e), never, null, false);
        assertEquals("FAIL", never.verdict);
        assertTrue(never.reasons.stream().anyMatch(r -> r.contains("redis-in-use")), never.reasons.toString());
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
        Scenario.Expect e = new Scenario.Expect(true, null, null, 2.0, new Scenario.FlooderExpect(List.of(200, 429), true), null, null);
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
        Scenario s = new Scenario("s", null, "FM-05", null, List.of(new Scenario.Probe("p", null, "/x", null, null, null, null, null, null, null, null)),
                null, null, new Scenario.Fault("stop", "x", null, "1m", null, null, null), null, new Scenario.Abort("10m", "2s"), null, null);
        Journal j = new Journal("s", null, "FM-05", "local");
        j.samples.add(new Journal.Sample(j.now() - 5000, "p", false, 503, 1, null, null));
        j.samples.add(new Journal.Sample(j.now() - 100, "p", false, 503, 1, null, null));
        assertTrue(DrillRunner.abortReason(s, j, System.currentTimeMillis()).contains("probe p failing"));
        j.samples.add(new Journal.Sample(j.now(), "p", true, 200, 1, null, null));
        assertNull(DrillRunner.abortReason(s, j, System.currentTimeMillis()));
    }
}
