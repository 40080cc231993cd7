package io.hotpass.policy.decision;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the dashboard shows of policy-service: {@code hotpass_policy_decisions_total{decision, reason}}
 * (allow/deny and the fixed reason code, so the series are bounded) and
 * {@code hotpass_policy_decision_seconds{mode}} (single or batch calls, as a histogram for quantiles).
 * Every series is registered at start, so a panel shows zero rather than "no data".
 */
@Startup // registers its metrics at start: the dashboard shows zero, not "no data"
@ApplicationScoped
public class DecisionMetrics {

    private Counter[] counters;
    private Timer single;
    private Timer batch;

    @Inject
    void register(MeterRegistry metrics) {
        ReasonCode[] reasons = ReasonCode.values();
        counters = new Counter[reasons.length * 2];
        for (ReasonCode r : reasons) {
            for (boolean allow : new boolean[] {false, true}) {
                counters[index(allow, r)] = Counter.builder("hotpass.policy.decisions")
                        .tag("decision", allow ? "allow" : "deny").tag("reason", r.code())
                        .description("Policy decisions, by outcome and reason code").register(metrics);
            }
        }
        single = timer(metrics, "single");
        batch = timer(metrics, "batch");
    }

    void singleCall(Decision d, long startedNanos) {
        single.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        counters[index(d.allow(), d.reason())].increment();
    }

    void batchCall(List<Decision> decisions, long startedNanos) {
        batch.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        for (Decision d : decisions) {
            counters[index(d.allow(), d.reason())].increment();
        }
    }

    private static int index(boolean allow, ReasonCode reason) {
        return reason.ordinal() * 2 + (allow ? 1 : 0);
    }

    private static Timer timer(MeterRegistry metrics, String mode) {
        return Timer.builder("hotpass.policy.decision").tag("mode", mode)
                .description("Time to answer a decision call (a batch counts once)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(2))
                .register(metrics);
    }
}
