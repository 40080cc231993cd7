package io.hotpass.chaos.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotpass.chaos.drill.Journal;
import io.hotpass.chaos.scenario.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The drill's workload, through the gateway with a tenant administrator's key: create a dataset,
 * upload the rows as CSV or XLSX (optionally slowed so a fault lands mid-upload), register and activate a
 * contract, validate, build a merge plan, approve and commit it, validate the committed version.
 * Every step retries what is worth retrying (nothing answered, 5xx, 429) for as long as the
 * scenario's retry window allows, with the same Idempotency-Key where the API takes one, exactly as
 * a careful client would. What it sent and what it was told is kept in {@link Result} for the
 * zero-loss check.
 */
public final class Workload {

    private final Api api;
    private final String key;
    private final Journal journal;
    private final Scenario.Workload spec;
    private final Consumer<String> onEvent;
    public final OrgRows rows;
    public final Result result = new Result();

    /** What the workload was told; the zero-loss check compares the stack's data with it. */
    public static final class Result {
        public String datasetId;
        public String datasetName;
        public Integer uploadedVersion;
        public final List<String> uploadRunIds = new ArrayList<>();
        public int uploadAttempts;
        public String contractId;
        public final List<String> validationIds = new ArrayList<>();
        public String planId;
        public Integer committedVersion;
        public final Set<String> approvedDeletes = new LinkedHashSet<>();
        /** rowId → field → value the commit must have written. */
        public final Map<String, Map<String, String>> approvedUpserts = new LinkedHashMap<>();
        public long approvedChanges;
        public boolean completed;
        public String error;
        public final List<String> steps = new ArrayList<>();
    }

    public Workload(Api api, String key, String tag, Journal journal, Scenario.Workload spec, Consumer<String> onEvent) {
        this.api = api;
        this.key = key;
        this.journal = journal;
        this.spec = spec;
        this.onEvent = onEvent;
        this.rows = new OrgRows(tag, spec.rowCount(), spec.duplicateShare());
        this.result.datasetName = "drill-" + tag.toLowerCase();
    }

    /** Runs every step; never throws: a step that cannot finish leaves {@link Result#error}. */
    public Result run() {
        // Each step may retry for the scenario's window (a 200,000-row merge takes longer than a 2,000-row one).
        Instant deadline = Instant.now().plus(spec.retryWindow());
        try {
            createDataset(deadline);
            emit("dataset-created");
            for (String step : spec.stepList()) {
                deadline = Instant.now().plus(spec.retryWindow());
                switch (step) {
                    case "upload" -> upload(deadline);
                    case "validate" -> {
                        contract(deadline);
                        validate(deadline, result.uploadedVersion);
                    }
                    case "enrich" -> enrich(deadline);
                    default -> throw new IllegalStateException(step);
                }
                result.steps.add(step);
            }
            if (result.committedVersion != null && spec.stepList().contains("validate")) {
                validate(Instant.now().plus(spec.retryWindow()), result.committedVersion);
            }
            result.completed = true;
        } catch (StepFailed e) {
            result.error = e.getMessage();
            journal.event("workload-failed", e.getMessage());
        }
        emit("workload-finished");
        return result;
    }

    private void emit(String event) {
        journal.event(event, result.datasetId);
        onEvent.accept(event);
    }

    private void createDataset(Instant deadline) {
        Map<String, Object> body = Map.of("name", result.datasetName, "profile", "organisation", "rowKey", List.of("registration_number"),
                "description", "chaos drill " + journal.scenario);
        Api.Response r = retry("create dataset", deadline, () -> api.send("workload", "POST", "/api/v1/ingest/datasets", key, body,
                Map.of("Idempotency-Key", "drill-dataset-" + result.datasetName), Duration.ofSeconds(30)));
        result.datasetId = r.json().path("id").asText();
    }

    private void upload(Instant deadline) {
        String path = "/api/v1/ingest/datasets/" + result.datasetId + "/uploads?mode=backfill";
        Long bps = spec.uploadBytesPerSecond();
        boolean xlsx = "xlsx".equals(spec.fileFormat());
        byte[] file = xlsx ? rows.xlsx() : rows.csv;
        Map<String, String> headers = xlsx
                ? Map.of("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "X-File-Name", "drill.xlsx")
                : Map.of("Content-Type", "text/csv", "X-File-Name", "drill.csv");
        Api.Response r = retry("upload", deadline, () -> {
            result.uploadAttempts++;
            emit("upload-started");
            Supplier<InputStream> body = () -> bps == null ? new java.io.ByteArrayInputStream(file) : new Throttled(file, bps);
            Api.Response a = api.send("workload", "POST", path, key, body, headers, Duration.ofMinutes(10));
            String run = a.json().path("runId").asText(null);
            if (run == null) {
                run = a.header("hotpass-run-id").orElse(null);
            }
            if (run != null) {
                result.uploadRunIds.add(run);
            }
            journal.event("upload-answered", "attempt " + result.uploadAttempts + ": HTTP " + a.status()
                    + (a.code() != null ? " " + a.code() : "") + (a.error() != null ? " " + a.error() : ""));
            return a;
        });
        result.uploadedVersion = r.json().path("version").path("number").asInt();
        emit("upload-finished");
    }

    private void contract(Instant deadline) {
        if (result.contractId != null) {
            return;
        }
        String yaml = "name: " + result.datasetName + "\nversion: 1.0.0\ndataset: " + result.datasetName + "\nfields:\n"
                + "  name: {type: string, required: true}\n"
                + "  email: {type: string, format: email, mostly: 0.95}\n"
                + "  registration_number: {type: string, required: true, unique: true}\n"
                + "  fleet_size: {type: integer, min: 0, max: 500}\n"
                + "expectations:\n  - {type: row_count, min: 1}\n";
        Api.Response r = retry("register contract", deadline, () -> api.send("workload", "POST", "/api/v1/contracts/contracts", key,
                yaml.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/yaml", "Idempotency-Key", "drill-contract-" + result.datasetName),
                Duration.ofSeconds(30)));
        result.contractId = r.json().path("id").asText();
        retry("activate contract", deadline, () -> {
            Api.Response a = api.send("workload", "POST", "/api/v1/contracts/contracts/" + result.contractId + "/activate", key, null);
            // A retry of an activation that went through the first time finds the contract active.
            return a.status() == 409 ? new Api.Response(200, a.body(), a.headers(), a.latencyMs(), a.traceId(), null) : a;
        });
    }

    private void validate(Instant deadline, int version) {
        emit("validation-started");
        Api.Response r = retry("validate v" + version, deadline, () -> api.send("workload", "POST", "/api/v1/contracts/validations", key,
                Map.of("datasetId", result.datasetId, "version", version)));
        result.validationIds.add(r.json().path("id").asText());
        journal.event("validation-finished", "v" + version + " " + r.json().path("status").asText());
    }

    private void enrich(Instant deadline) {
        emit("enrich-started");
        int version = result.uploadedVersion;
        JsonNode plan = null;
        for (int attempt = 1; plan == null; attempt++) {
            String idem = "drill-merge-" + result.datasetId + "-" + version + "-" + attempt;
            Api.Response created = retry("merge plan", deadline, () -> api.send("workload", "POST", "/api/v1/enrichment/merge-plans", key,
                    Map.of("datasetId", result.datasetId, "version", version), Map.of("Idempotency-Key", idem), Duration.ofSeconds(30)));
            String id = created.json().path("id").asText();
            JsonNode p = awaitPlan(id, deadline);
            if ("ready".equals(p.path("status").asText())) {
                plan = p;
                result.planId = id;
            } else if (attempt >= maxAttempts() || Instant.now().isAfter(deadline)) {
                throw new StepFailed("merge plan " + id + " ended " + p.path("status").asText() + ": " + p.path("error"));
            } else {
                journal.event("plan-retried", "plan " + id + " ended " + p.path("status").asText() + " " + p.path("error"));
            }
        }
        String planPath = "/api/v1/enrichment/plans/" + result.planId;
        retry("approve plan", deadline, () -> {
            Api.Response a = api.send("workload", "PATCH", planPath, key, Map.of("approveAbove", 0.9));
            return a.status() == 409 && "plan_already_committed".equals(a.code()) ? ok(a) : a;
        });
        readApproved(planPath, deadline);
        if (result.approvedChanges == 0) {
            journal.event("plan-empty", "no change above 0.9 to commit");
            return;
        }
        Api.Response c = retry("commit plan", deadline, () -> {
            Api.Response a = api.send("workload", "POST", planPath + "/commit", key, null,
                    Map.of("If-Match", "\"v" + version + "\"", "Idempotency-Key", "drill-commit-" + result.planId), Duration.ofSeconds(60));
            return a.status() == 409 && "plan_already_committed".equals(a.code()) ? ok(a) : a;
        });
        int committed = c.json().path("committedVersion").asInt(0);
        if (committed == 0) {
            committed = retry("read plan", deadline, () -> api.send("workload", "GET", planPath, key, null)).json().path("committedVersion").asInt();
        }
        result.committedVersion = committed;
        journal.event("committed", "plan " + result.planId + " → v" + committed + " (" + result.approvedChanges + " changes)");
    }

    private JsonNode awaitPlan(String id, Instant deadline) {
        while (true) {
            Api.Response r = retry("read plan", deadline, () -> api.send("workload", "GET", "/api/v1/enrichment/plans/" + id, key, null));
            String status = r.json().path("status").asText();
            if (!"running".equals(status) && !"pending".equals(status)) {
                return r.json();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new StepFailed("merge plan " + id + " still " + status + " at the end of the retry window");
            }
            pause(Duration.ofMillis(500));
        }
    }

    private void readApproved(String planPath, Instant deadline) {
        String cursor = null;
        do {
            String q = planPath + "/diff?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor);
            JsonNode page = retry("plan diff", deadline, () -> api.send("workload", "GET", q, key, null)).json();
            for (JsonNode it : page.path("items")) {
                if (!"approved".equals(it.path("decision").asText())) {
                    continue;
                }
                result.approvedChanges++;
                String rowId = it.path("rowId").asText();
                if ("delete".equals(it.path("op").asText())) {
                    result.approvedDeletes.add(rowId);
                } else if (it.hasNonNull("field")) {
                    result.approvedUpserts.computeIfAbsent(rowId, k -> new LinkedHashMap<>()).put(it.path("field").asText(),
                            it.path("newValue").isNull() ? null : it.path("newValue").asText());
                }
            }
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
    }

    private int maxAttempts() {
        return spec.maxAttempts() == null ? 5 : spec.maxAttempts();
    }

    private static Api.Response ok(Api.Response a) {
        return new Api.Response(200, a.body(), a.headers(), a.latencyMs(), a.traceId(), null);
    }

    /** Calls until a 2xx; waits and tries again after a transient failure; gives up on anything else. */
    private Api.Response retry(String what, Instant deadline, Supplier<Api.Response> call) {
        long backoff = 500;
        int attempt = 0;
        while (true) {
            attempt++;
            Api.Response r = call.get();
            if (r.ok()) {
                return r;
            }
            if (!r.transientFailure()) {
                throw new StepFailed(what + ": HTTP " + r.status() + " " + abbreviate(r.body()));
            }
            if (Instant.now().isAfter(deadline) || attempt >= 200) {
                throw new StepFailed(what + ": still failing at the end of the retry window (HTTP " + r.status() + " "
                        + (r.error() != null ? r.error() : abbreviate(r.body())) + ")");
            }
            long wait = r.header("retry-after").map(Workload::seconds).orElse(backoff);
            pause(Duration.ofMillis(Math.min(wait, 5000)));
            backoff = Math.min(backoff * 2, 4000);
        }
    }

    private static long seconds(String retryAfter) {
        try {
            return Long.parseLong(retryAfter.trim()) * 1000;
        } catch (NumberFormatException e) {
            return 1000;
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // a client's back-off between retries
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailed("interrupted");
        }
    }

    static final class StepFailed extends RuntimeException {
        StepFailed(String message) {
            super(message);
        }
    }

    /** The file at a bounded rate, as a slow client sends it, so a fault can land while it arrives. */
    static final class Throttled extends InputStream {
        private final byte[] data;
        private final long bytesPerSecond;
        private final long start = System.nanoTime();
        private int pos;

        Throttled(byte[] data, long bytesPerSecond) {
            this.data = data;
            this.bytesPerSecond = Math.max(1024, bytesPerSecond);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= data.length) {
                return -1;
            }
            long allowed = (System.nanoTime() - start) * bytesPerSecond / 1_000_000_000L;
            while (allowed <= pos) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException();
                }
                allowed = (System.nanoTime() - start) * bytesPerSecond / 1_000_000_000L;
            }
            int n = (int) Math.min(Math.min(len, data.length - pos), Math.max(1, allowed - pos));
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
