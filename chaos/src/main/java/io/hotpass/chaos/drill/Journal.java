package io.hotpass.chaos.drill;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one drill did and saw, written as JSON when it ends (and read back by
 * {@code chaos report}): the timeline of events, every probe sample, every workload request, the
 * measures, the zero-loss findings and the verdict with its reasons. Times on the timeline are
 * milliseconds since {@link #startedAt}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Journal {

    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public String scenario;
    public String title;
    public String failureMode;
    public String target;
    public String startedAt;
    public String finishedAt;
    public Map<String, Object> settings = new LinkedHashMap<>();
    public List<Event> events = Collections.synchronizedList(new ArrayList<>());
    public List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    public List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    public SteadyState steadyStateBefore;
    public SteadyState steadyStateAfter;
    public Measures measures = new Measures();
    public Map<String, Object> flood;
    /** The poisoned uploads of a poison drill: each file's answer, the versions left, and the problems found. */
    public Map<String, Object> poison;
    public ZeroLoss zeroLoss;
    public String verdict;
    public List<String> reasons = Collections.synchronizedList(new ArrayList<>());

    private transient long t0;

    public Journal() {
    }

    public Journal(String scenario, String title, String failureMode, String target) {
        this.scenario = scenario;
        this.title = title;
        this.failureMode = failureMode;
        this.target = target;
        Instant now = Instant.now();
        this.startedAt = now.toString();
        this.t0 = now.toEpochMilli();
    }

    public long now() {
        return System.currentTimeMillis() - t0;
    }

    public long startEpochMillis() {
        return t0 != 0 ? t0 : Instant.parse(startedAt).toEpochMilli();
    }

    public void event(String kind, String detail) {
        events.add(new Event(now(), kind, detail));
        System.err.printf("chaos [%6.1f s] %-20s %s%n", now() / 1000.0, kind, detail == null ? "" : detail);
    }

    public Long firstEvent(String kind) {
        synchronized (events) {
            return events.stream().filter(e -> e.kind.equals(kind)).map(e -> e.t).findFirst().orElse(null);
        }
    }

    /** When the first event of this kind at or after {@code since} (ms) happened, or null. */
    public Long firstEventSince(String kind, long since) {
        synchronized (events) {
            return events.stream().filter(e -> e.kind.equals(kind) && e.t >= since).map(e -> e.t).findFirst()
                    .orElse(null);
        }
    }

    public Long lastEvent(String kind) {
        synchronized (events) {
            Long last = null;
            for (Event e : events) {
                if (e.kind.equals(kind)) {
                    last = e.t;
                }
            }
            return last;
        }
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), this);
    }

    public static Journal read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Journal.class);
    }

    public static class Event {
        public long t;
        public String kind;
        public String detail;

        public Event() {
        }

        public Event(long t, String kind, String detail) {
            this.t = t;
            this.kind = kind;
            this.detail = detail;
        }
    }

    /** One probe result. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Sample {
        public long t;
        public String probe;
        public boolean ok;
        public int status;
        public long latencyMs;
        public String code;
        public String detail;

        public Sample() {
        }

        public Sample(long t, String probe, boolean ok, int status, long latencyMs, String code, String detail) {
            this.t = t;
            this.probe = probe;
            this.ok = ok;
            this.status = status;
            this.latencyMs = latencyMs;
            this.code = code;
            this.detail = detail;
        }
    }

    /** One request a workload or the victim of a flood made (status 0: no answer). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Request {
        public long t;
        public String who;
        public String method;
        public String path;
        public int status;
        public long latencyMs;
        public String traceId;
        public String code;
        public String error;

        public Request() {
        }

        public Request(long t, String who, String method, String path, int status, long latencyMs, String traceId, String code,
                String error) {
            this.t = t;
            this.who = who;
            this.method = method;
            this.path = path;
            this.status = status;
            this.latencyMs = latencyMs;
            this.traceId = traceId;
            this.code = code;
            this.error = error;
        }

        public boolean failed() {
            return status == 0 || status >= 500;
        }

        public boolean mutating() {
            return !"GET".equals(method) && !"HEAD".equals(method);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SteadyState {
        public boolean met;
        public List<String> failures = new ArrayList<>();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Measures {
        public Long faultInjectedAt;
        /**
         * When the injection had taken effect (the target's call returned); a probe sent between
         * {@link #faultInjectedAt} and this may have run before the fault did, so expectations of
         * answers during the fault are judged from here.
         */
        public Long faultActiveAt;
        public Long faultRolledBackAt;
        public Long detectedAt;
        public Long recoveredAt;
        /** From the fault to the first failing probe. */
        public Long timeToDetectMs;
        /** From the first failing probe to the moment every probe passed again (mean time to recover, one sample). */
        public Long mttrMs;
        /** From the fault to the moment every probe passed again. */
        public Long outageMs;
        public int requestsTotal;
        public int requestsFailed;
        public int probesTotal;
        public int probesFailed;
        public Long workloadMs;
        public Long outboxDrainMs;
        /** After recovery, until no upload or validation run of the workload's dataset was still running (stale-run sweepers included). */
        public Long runsSettledMs;
    }

    /** What the zero-loss check counted; {@link #problems} is empty when nothing was lost or doubled. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ZeroLoss {
        public long rowsExpected;
        public long rowsFound;
        public long rowsMissing;
        public long rowsDuplicated;
        public long rowsUnexpected;
        public int uploadVersions;
        public int uploadRuns;
        public int uploadRunsFailedCleanly;
        public int changesetVersions;
        public long committedChanges;
        public int validationRuns;
        public int validationRunsIncomplete;
        public long lineageEventsExpected;
        public long lineageEventsDelivered;
        public long lineageEventsMissing;
        public long lineageEventsDuplicated;
        public long auditEntriesExpected;
        public long auditEntriesFound;
        public long auditEntriesMissing;
        public long auditEntriesDuplicated;
        /** Mutating requests the gateway refused on its own (503 policy_unavailable, 502, 429, …): not audited by design. */
        public long auditNotExpected;
        public Boolean auditChainValid;
        public long dataLost;
        public List<String> problems = new ArrayList<>();
    }
}
