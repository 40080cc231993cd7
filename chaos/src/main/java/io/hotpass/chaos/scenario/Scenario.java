package io.hotpass.chaos.scenario;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One drill as an SRE writes it (chaos/scenarios/*.yaml), after Chaos Toolkit's experiment: the
 * steady-state hypothesis ({@link #probes}), the method ({@link #workload} and {@link #fault}),
 * the rollbacks, the abort thresholds and what must hold after recovery ({@link #expect}).
 * Durations are ISO-8601 ({@code PT30S}) or short ({@code 30s}, {@code 500ms}).
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record Scenario(
        String name,
        String title,
        /** Id of the FMEA row (docs/sre/fmea.md) this drill exercises, e.g. FM-01. */
        String failureMode,
        List<String> targets,
        List<Probe> probes,
        String probeInterval,
        Workload workload,
        Fault fault,
        List<String> rollbacks,
        Abort abort,
        Recovery recovery,
        Expect expect,
        /**
         * What the drill stack must run besides the six services: {@code keycloak} (the realm's
         * Keycloak, policy-service onboarding the drill tenant into it and the gateway trusting its
         * tokens; probes may then call {@code as: issued-token} or {@code as: fresh-token}). A
         * launched stack starts it; a stack without it refuses the scenario.
         */
        List<String> requires) {

    public static final List<String> REQUIREMENTS = List.of("keycloak");

    public Scenario(String name, String title, String failureMode, List<String> targets, List<Probe> probes, String probeInterval,
            Workload workload, Fault fault, List<String> rollbacks, Abort abort, Recovery recovery, Expect expect) {
        this(name, title, failureMode, targets, probes, probeInterval, workload, fault, rollbacks, abort, recovery, expect, null);
    }

    public boolean requiresKeycloak() {
        return requires.contains("keycloak");
    }

    public Scenario {
        requires = requires == null ? List.of() : List.copyOf(requires);
        targets = targets == null ? List.of("local") : List.copyOf(targets);
        probes = probes == null ? List.of() : List.copyOf(probes);
        rollbacks = rollbacks == null ? List.of() : List.copyOf(rollbacks);
        abort = abort == null ? new Abort(null, null) : abort;
        recovery = recovery == null ? new Recovery(null, null, null) : recovery;
        expect = expect == null ? new Expect(true, List.of(), List.of(), null, null, null, null) : expect;
    }

    public Duration probeEvery() {
        return Durations.parse(probeInterval, Duration.ofMillis(500));
    }

    /**
     * A steady-state probe. Either an HTTP call ({@link #get} or {@link #post}, through the gateway
     * unless {@link #service} names one to call directly) with its tolerances (status, latency, a
     * JSON path), or a Prometheus metric threshold read from a service's /q/metrics.
     *
     * @param as whose credential: tenant, viewer, auditor, flooder, admin, unknown-key or anonymous
     *        (API keys or none); issued-token (a bearer token of the drill tenant's Keycloak client,
     *        obtained once before the drill) or fresh-token (one obtained from Keycloak for each
     *        sample, within the probe's timeout; a sample that gets none fails with status 0 and
     *        code {@code token_unavailable}) on a stack that runs Keycloak
     * @param timeoutMs how long the probe waits for an answer (5000 when absent): longer than the
     *        gateway's route timeout when the probe must see the gateway's own 504
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Probe(String name, String service, String get, String post, String body, String as,
            List<Integer> status, Long maxLatencyMs, JsonPathCheck jsonPath, MetricCheck metric, Long timeoutMs) {
        public Probe {
            as = as == null ? "anonymous" : as;
        }

        public java.time.Duration timeout() {
            return java.time.Duration.ofMillis(timeoutMs == null ? 5000 : timeoutMs);
        }
    }

    /** A JSON value at a dotted path ({@code items}, {@code checks.0.status}): present, or equal to a value. */
    public record JsonPathCheck(String path, Boolean exists, Object equals) {
    }

    /** The sum over label sets of a metric at {@code service}'s /q/metrics, within [min, max]. */
    public record MetricCheck(String service, String name, Double min, Double max) {
    }

    /**
     * The data the drill pushes through the gateway while the fault happens: {@code rows} rows
     * (unique registration numbers, {@code duplicates} of them near-duplicates so the merge plan has
     * work), then the steps in order. {@code uploadBytesPerSecond} slows the upload body so a fault
     * can land while it is still arriving. {@code format}: the uploaded file, {@code csv} (default)
     * or {@code xlsx} (the same rows as a workbook, which ingest spools to its temp directory).
     */
    public record Workload(Integer rows, Double duplicates, Long uploadBytesPerSecond, List<String> steps, Integer maxAttempts,
            String retryTimeout, String format) {
        public static final List<String> FORMATS = List.of("csv", "xlsx");

        public Workload(Integer rows, Double duplicates, Long uploadBytesPerSecond, List<String> steps, Integer maxAttempts,
                String retryTimeout) {
            this(rows, duplicates, uploadBytesPerSecond, steps, maxAttempts, retryTimeout, null);
        }

        public String fileFormat() {
            return format == null ? "csv" : format;
        }

        public int rowCount() {
            return rows == null ? 2000 : rows;
        }

        public double duplicateShare() {
            return duplicates == null ? 0.01 : duplicates;
        }

        public List<String> stepList() {
            return steps == null ? List.of("upload", "validate", "enrich") : steps;
        }

        public Duration retryWindow() {
            return Durations.parse(retryTimeout, Duration.ofSeconds(180));
        }
    }

    /**
     * The fault. {@code action}: kill, stop, pause (a service, or {@code keycloak}), postgres-restart, flood, fault-switch,
     * redis-kill, poison, clock-skew (local; {@code params.offset} like {@code +3m}), disk-full
     * (local; {@code params.size} of the tmpfs, default {@code 16m}); partition (local: the runner's
     * link between the gateway and the service is cut, on a stack it launched; kubernetes: a deny-all
     * NetworkPolicy); pod-delete, scale-zero, chaos-mesh (kubernetes).
     * {@code trigger}: a workload event ({@code on}: dataset-created, upload-started,
     * validation-started, enrich-started) plus a delay, or only a delay after the drill starts.
     * {@code params}: what the action needs besides a service, e.g. for fault-switch the fault
     * ({@code method}, {@code pathPrefix}, {@code latencyMs}, {@code errorRate}, {@code errorStatus}).
     */
    public record Fault(String action, String service, Trigger trigger, String duration, Flood flood, Map<String, Object> params,
            String manifest) {
        public Duration lasting() {
            return Durations.parse(duration, Duration.ZERO);
        }
    }

    public record Trigger(String on, String delay) {
        public Duration after() {
            return Durations.parse(delay, Duration.ZERO);
        }
    }

    /**
     * One tenant floods {@code path} at {@code rps} from {@code concurrency} connections for the
     * fault's duration while a victim tenant calls {@code victimPath} at {@code victimRps}; the
     * victim is also measured for {@code baseline} before the flood.
     */
    public record Flood(String path, Integer rps, Integer concurrency, String victimPath, Integer victimRps, String baseline) {
        public Duration baselineWindow() {
            return Durations.parse(baseline, Duration.ofSeconds(10));
        }
    }

    /**
     * Abort thresholds: the whole drill may last {@code maxDuration}; any probe failing without a
     * break for longer than {@code maxProbeFailure} while the fault is active aborts the drill and
     * runs the rollbacks at once.
     */
    public record Abort(String maxDuration, String maxProbeFailure) {
        public Duration drillLimit() {
            return Durations.parse(maxDuration, Duration.ofMinutes(5));
        }

        public Duration probeFailureLimit() {
            return Durations.parse(maxProbeFailure, Duration.ofMinutes(2));
        }
    }

    /**
     * How long recovery (all probes green again), the outbox drain and the settling of runs may take
     * after the rollback. {@code runsSettleTimeout}: how long to wait for upload and validation runs
     * still {@code running} to finish or be failed by their service's stale-run sweeper; it must
     * exceed the stack's stale-after plus one sweep interval (drill stack: 20 s + 5 s).
     */
    public record Recovery(String timeout, String outboxDrainTimeout, String runsSettleTimeout) {
        public Duration limit() {
            return Durations.parse(timeout, Duration.ofSeconds(120));
        }

        public Duration drainLimit() {
            return Durations.parse(outboxDrainTimeout, Duration.ofSeconds(120));
        }

        public Duration settleLimit() {
            return Durations.parse(runsSettleTimeout, Duration.ofSeconds(60));
        }
    }

    /**
     * What must hold. {@code zeroLoss}: the zero-loss check. {@code neverAllowed}: probes that must
     * never answer 2xx, before, during or after the fault. {@code duringFault}: statuses a probe
     * must answer when sent once the fault has been active for {@code after} (counted from the
     * event {@code from} when given) and answered before its rollback (a request the rollback
     * released is not judged). {@code victimP99Ratio}: the
     * flood victim's p99 over its baseline p99 at most this. {@code flooder}: statuses allowed to
     * the flooder and whether at least one 429 is required. {@code noServerErrors}: no workload
     * request and no probe answered a 5xx or nothing at all, from start to end (a fault the
     * platform must absorb, not merely recover from). {@code events}: journal events that must
     * have happened (e.g. {@code redis-in-use}: the restarted Redis holds the gateway's buckets).
     * {@code workloadAnswered}: answers (status, and code when given) the workload must have been
     * given at least once — the fault's own refusal, e.g. 507 {@code insufficient_storage}, seen
     * by a real client before it succeeded on a retry.
     */
    public record Expect(Boolean zeroLoss, List<String> neverAllowed, List<DuringFault> duringFault, Double victimP99Ratio,
            FlooderExpect flooder, Boolean noServerErrors, List<String> events, List<Answer> workloadAnswered) {
        public Expect(Boolean zeroLoss, List<String> neverAllowed, List<DuringFault> duringFault, Double victimP99Ratio,
                FlooderExpect flooder, Boolean noServerErrors, List<String> events) {
            this(zeroLoss, neverAllowed, duringFault, victimP99Ratio, flooder, noServerErrors, events, null);
        }

        public Expect {
            workloadAnswered = workloadAnswered == null ? List.of() : List.copyOf(workloadAnswered);
            events = events == null ? List.of() : List.copyOf(events);
            zeroLoss = zeroLoss == null ? Boolean.TRUE : zeroLoss;
            neverAllowed = neverAllowed == null ? List.of() : List.copyOf(neverAllowed);
            duringFault = duringFault == null ? List.of() : List.copyOf(duringFault);
        }
    }

    /** An answer: its HTTP status and, when given, its problem code. */
    public record Answer(Integer status, String code) {
    }

    /**
     * A probe's expected answers while the fault holds, judged from {@code after} past the fault's
     * start — or, with {@code from}, past the first journal event of that kind once the fault began
     * (e.g. {@code service-ready}: a fault that restarts a service is judged from when it is up,
     * however long its start took on the machine at hand, not from a guess of that time).
     */
    public record DuringFault(String probe, List<Integer> status, String code, String after, String from) {
        public DuringFault(String probe, List<Integer> status, String code, String after) {
            this(probe, status, code, after, null);
        }

        public Duration settle() {
            return Durations.parse(after, Duration.ZERO);
        }
    }

    public record FlooderExpect(List<Integer> allowed, Boolean requireRateLimited) {
    }
}
