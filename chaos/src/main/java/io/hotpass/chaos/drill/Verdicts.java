package io.hotpass.chaos.drill;

import io.hotpass.chaos.scenario.Scenario;
import io.hotpass.chaos.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Measures (time to detect, MTTR, failed requests) from the journal, and the verdict with its reasons. */
public final class Verdicts {

    private Verdicts() {
    }

    /** The start of the final run of all-passing samples after {@code from}; null when the last sample of some probe failed. */
    static Long allOkSince(Journal j, long from) {
        List<Journal.Sample> after = new ArrayList<>();
        synchronized (j.samples) {
            for (Journal.Sample s : j.samples) {
                if (s.t >= from) {
                    after.add(s);
                }
            }
        }
        if (after.isEmpty()) {
            return null;
        }
        Long lastFailure = null;
        for (Journal.Sample s : after) {
            if (!s.ok) {
                lastFailure = s.t;
            }
        }
        if (lastFailure == null) {
            return after.get(0).t;
        }
        for (Journal.Sample s : after) {
            if (s.t > lastFailure && s.ok) {
                return s.t;
            }
        }
        return null;
    }

    static void measure(Journal j) {
        Journal.Measures m = j.measures;
        Long fault = m.faultInjectedAt;
        synchronized (j.samples) {
            m.probesTotal = j.samples.size();
            m.probesFailed = (int) j.samples.stream().filter(s -> !s.ok).count();
            if (fault != null) {
                // By when each answer arrived (t + latency), not when its request was sent: a probe held 30 s by a slow
                // service until the gateway's 504 detects the fault after 30 s, and has recovered only when it answers
                // well again, whatever the other probes said meanwhile.
                Long detected = null;
                Long lastFailure = null;
                Map<String, Long> lastFailureOf = new java.util.HashMap<>();
                for (Journal.Sample s : j.samples) {
                    long answered = s.t + s.latencyMs;
                    if (!s.ok && answered >= fault) {
                        detected = detected == null ? answered : Math.min(detected, answered);
                        lastFailure = lastFailure == null ? answered : Math.max(lastFailure, answered);
                        lastFailureOf.merge(s.probe, answered, Math::max);
                    }
                }
                m.detectedAt = detected;
                if (detected != null) {
                    m.timeToDetectMs = detected - fault;
                    Long recovered = lastFailure;
                    for (var e : lastFailureOf.entrySet()) {
                        java.util.OptionalLong ok = j.samples.stream().filter(x -> x.probe.equals(e.getKey()) && x.ok && x.t + x.latencyMs > e.getValue())
                                .mapToLong(x -> x.t + x.latencyMs).min();
                        recovered = ok.isPresent() && recovered != null ? Math.max(recovered, ok.getAsLong()) : null;
                    }
                    m.recoveredAt = recovered;
                    if (m.recoveredAt != null) {
                        m.mttrMs = m.recoveredAt - detected;
                        m.outageMs = m.recoveredAt - fault;
                    }
                } else {
                    m.mttrMs = 0L;
                    m.outageMs = 0L;
                }
            }
        }
        synchronized (j.requests) {
            List<Journal.Request> own = j.requests.stream().filter(r -> "workload".equals(r.who)).toList();
            m.requestsTotal = own.size();
            m.requestsFailed = (int) own.stream().filter(Journal.Request::failed).count();
        }
    }

    static void judge(Scenario s, Journal j, Workload workload, boolean aborted) {
        measure(j);
        List<String> reasons = j.reasons;
        if (!j.steadyStateAfter.met) {
            reasons.add("the steady state did not hold after recovery: " + j.steadyStateAfter.failures);
        }
        if (j.measures.detectedAt != null && j.measures.recoveredAt == null) {
            reasons.add("never recovered: some probe still failed at the end");
        }
        if (workload != null && !workload.result.completed) {
            reasons.add("the workload did not complete: " + workload.result.error);
        }
        if (j.zeroLoss != null && !j.zeroLoss.problems.isEmpty()) {
            reasons.add("zero-loss check: " + String.join("; ", j.zeroLoss.problems));
        }
        if (j.measures.outboxDrainMs == null) {
            reasons.add("outbox events still undelivered after " + s.recovery().drainLimit());
        }
        for (String name : s.expect().neverAllowed()) {
            long allowed;
            synchronized (j.samples) {
                allowed = j.samples.stream().filter(x -> x.probe.equals(name) && x.status >= 200 && x.status < 300).count();
            }
            if (allowed > 0) {
                reasons.add("probe " + name + " was allowed (2xx) " + allowed + " times; it must never be");
            }
        }
        for (Scenario.DuringFault d : s.expect().duringFault()) {
            // From when the fault had taken effect: a probe sent while the injection was still under way
            // (a fault switch being set) may have run before it. Journals from before faultActiveAt: injection.
            Long from = j.measures.faultActiveAt != null ? j.measures.faultActiveAt : j.measures.faultInjectedAt;
            Long to = j.measures.faultRolledBackAt;
            if (from == null || to == null) {
                reasons.add("duringFault " + d.probe() + ": the fault never ran");
                continue;
            }
            long base = from;
            if (d.from() != null) {
                // Since the injection began: a restart's readiness is journaled while the injection runs.
                Long event = j.firstEventSince(d.from(), j.measures.faultInjectedAt);
                if (event == null || event >= to) {
                    reasons.add("duringFault " + d.probe() + ": no " + d.from() + " event while the fault held");
                    continue;
                }
                base = event;
            }
            long start = base + d.settle().toMillis();
            List<Journal.Sample> in;
            synchronized (j.samples) {
                // Answered while the fault held: a sample the rollback released (a request a slow service was holding) is not.
                in = j.samples.stream().filter(x -> x.probe.equals(d.probe()) && x.t >= start && x.t + x.latencyMs < to).toList();
            }
            if (in.isEmpty()) {
                reasons.add("duringFault " + d.probe() + ": no sample between " + start + " and " + to + " ms");
            }
            for (Journal.Sample x : in) {
                boolean statusOk = d.status() == null || d.status().contains(x.status);
                boolean codeOk = d.code() == null || d.code().equals(x.code);
                if (!statusOk || !codeOk) {
                    reasons.add("duringFault " + d.probe() + " at " + x.t + " ms answered " + x.status + " " + x.code + ", expected "
                            + d.status() + (d.code() != null ? " " + d.code() : ""));
                    break;
                }
            }
        }
        if (s.expect().victimP99Ratio() != null) {
            Object ratio = j.flood == null ? null : j.flood.get("victimP99Ratio");
            if (!(ratio instanceof Number n) || n.doubleValue() > s.expect().victimP99Ratio()) {
                reasons.add("the victim's p99 was " + ratio + "× its baseline (at most " + s.expect().victimP99Ratio() + "× allowed)");
            }
        }
        if (s.expect().flooder() != null && j.flood != null) {
            @SuppressWarnings("unchecked")
            Map<String, Long> statuses = (Map<String, Long>) j.flood.get("flooderStatuses");
            List<Integer> allowed = s.expect().flooder().allowed();
            for (var e : statuses.entrySet()) {
                if (allowed != null && !allowed.contains(Integer.parseInt(e.getKey()))) {
                    reasons.add("the flooder got " + e.getValue() + " answers with status " + e.getKey() + " (allowed: " + allowed + ")");
                }
            }
            if (Boolean.TRUE.equals(s.expect().flooder().requireRateLimited()) && statuses.getOrDefault("429", 0L) == 0) {
                reasons.add("the flooder was never rate limited (no 429)");
            }
        }
        if (j.poison != null && j.poison.get("problems") instanceof List<?> poisoned) {
            for (Object p : poisoned) {
                reasons.add("poisoned input: " + p);
            }
        }
        if (Boolean.TRUE.equals(s.expect().noServerErrors())) {
            long failedRequests;
            long failedSamples;
            synchronized (j.requests) {
                failedRequests = j.requests.stream().filter(r -> "workload".equals(r.who) && (r.status == 0 || r.status >= 500)).count();
            }
            synchronized (j.samples) {
                // A fresh-token sample that got no token from Keycloak never reached the platform (judged by duringFault).
                failedSamples = j.samples.stream().filter(x -> (x.status == 0 && !Prober.TOKEN_UNAVAILABLE.equals(x.code)) || x.status >= 500)
                        .count();
            }
            if (failedRequests + failedSamples > 0) {
                reasons.add(failedRequests + " workload requests and " + failedSamples + " probe samples got a 5xx or no answer; none may");
            }
        }
        for (Scenario.Answer a : s.expect().workloadAnswered()) {
            boolean seen;
            synchronized (j.requests) {
                seen = j.requests.stream().anyMatch(r -> "workload".equals(r.who) && (a.status() == null || a.status() == r.status)
                        && (a.code() == null || a.code().equals(r.code)));
            }
            if (!seen) {
                reasons.add("the workload was never answered " + (a.status() == null ? "" : a.status() + " ") + (a.code() == null ? "" : a.code())
                        + ": the fault did not show itself to a client");
            }
        }
        for (String kind : s.expect().events()) {
            if (j.firstEvent(kind) == null) {
                reasons.add("the event '" + kind + "' never happened");
            }
        }
        j.verdict = aborted ? "ABORTED" : reasons.isEmpty() ? "PASS" : "FAIL";
    }
}
