package io.hotpass.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotpass.chaos.drill.Journal;
import io.hotpass.chaos.targets.Databases;
import io.hotpass.chaos.workload.Api;
import io.hotpass.chaos.workload.Workload;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * After a drill: did the platform keep everything it accepted, exactly once? Through the public
 * API (as the tenant and its auditor) and, when reachable, the services' databases read-only:
 * <ul>
 * <li>every row the workload sent is in exactly one upload version, exactly once;</li>
 * <li>every change of the committed merge plan is in exactly one change-set version, once;</li>
 * <li>no upload run is left unfinished and a failed one stored nothing; no validation run is left
 * running, and finished runs of the same version agree (no half result was kept);</li>
 * <li>every lineage event and audit entry a service put in its outbox for the tenant was delivered
 * and stored once (by id), every run has its START and one terminal event, and every mutating
 * request the workload made has exactly one audit entry (by trace id);</li>
 * <li>the tenant's audit chain verifies.</li>
 * </ul>
 */
public final class ZeroLossCheck {

    static final List<String> OUTBOX_SERVICES = List.of("gateway", "ingest-service", "contracts-service", "enrichment-service",
            "lineage-service", "policy-service");

    /** Problem codes the gateway answers itself, before a policy decision or without reaching a service: not audited. */
    static final Set<String> GATEWAY_REFUSALS = Set.of("policy_unavailable", "rate_limited", "upstream_unavailable", "upstream_timeout",
            "upstream_circuit_open", "unauthenticated", "invalid_api_key");

    private final Api api;
    private final Optional<String> gatewayUrl;
    private final Optional<Databases> db;
    private final String tenant;
    private final String tenantKey;
    private final String auditorKey;

    public ZeroLossCheck(Api api, Optional<Databases> db, String tenant, String tenantKey, String auditorKey) {
        this(api, db, tenant, tenantKey, auditorKey, Optional.empty());
    }

    /** {@code gatewayUrl}: the gateway's own base URL, whose /q/metrics tells how many audit entries wait in its disk spool. */
    public ZeroLossCheck(Api api, Optional<Databases> db, String tenant, String tenantKey, String auditorKey,
            Optional<String> gatewayUrl) {
        this.api = api;
        this.db = db;
        this.tenant = tenant;
        this.tenantKey = tenantKey;
        this.auditorKey = auditorKey;
        this.gatewayUrl = gatewayUrl;
    }

    /**
     * Audit entries waiting in the gateway's disk spool (written while its database was away, moved
     * to the outbox every few seconds): not yet in any outbox, so the outbox count alone would call
     * them delivered-or-lost too early. 0 when the gateway's metrics are not reachable on this target.
     */
    long spooledAuditEntries() {
        if (gatewayUrl.isEmpty()) {
            return 0;
        }
        Api.Response r = api.send(null, "GET", gatewayUrl.get() + "/q/metrics", null, null, Map.of("Accept", "text/plain"),
                Duration.ofSeconds(5));
        if (r.status() != 200) {
            return 1; // a gateway that cannot say is not drained
        }
        Double v = io.hotpass.chaos.drill.PrometheusText.sum(r.body(), "hotpass_audit_spool_pending");
        return v == null ? 0 : v < 0 ? 1 : Math.round(v);
    }

    /**
     * How long the outboxes must stay empty to count as drained. Delivering one event can make
     * another: a service's relay posts a lineage event through the gateway, and the gateway writes
     * its audit entry into its own outbox a moment later (asynchronously, after answering). The
     * outboxes are read one after the other, so a single read could find the service's event
     * delivered and the gateway's entry not yet written, and call that drained (a drill failed so:
     * the entry appeared 0.6 s before the zero-loss check read it as lost). Two reads 500 ms apart
     * or more, both empty, cannot both fall in that gap.
     */
    static final Duration DRAINED_FOR = Duration.ofSeconds(1);

    /**
     * Waits until no outbox of any service holds an undelivered event of the tenant, and the
     * gateway's audit spool is empty, and they stay so for {@link #DRAINED_FOR}; the time until
     * they were empty, or empty on timeout.
     */
    public Optional<Long> awaitOutboxDrained(Duration timeout) {
        if (db.isEmpty()) {
            return Optional.of(0L);
        }
        return awaitZero("the outboxes of tenant " + tenant + " drained", timeout.plus(DRAINED_FOR), DRAINED_FOR, this::pendingEvents);
    }

    /** Undelivered events of the tenant in every outbox, plus the gateway's spooled audit entries; a database that cannot be read counts 1. */
    long pendingEvents() {
        long pending = 0;
        for (String svc : OUTBOX_SERVICES) {
            try (Connection c = db.get().connect(svc);
                    PreparedStatement ps = c.prepareStatement("select count(*) from outbox_event where delivered_at is null and tenant_id = ?")) {
                ps.setString(1, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    pending += rs.getLong(1);
                }
            } catch (SQLException e) {
                pending += 1; // a database that cannot be read is not drained
            }
        }
        return pending + spooledAuditEntries();
    }

    /**
     * Waits until no upload run and no validation run of the workload's dataset is still running:
     * each has finished, or its service's stale-run sweeper has failed it (after its
     * {@code stale-after}, which is why {@code timeout} must exceed that plus a sweep interval). A
     * run interrupted by the fault is only a half result if it is still running after that. The
     * time it took, or empty on timeout (the zero-loss check then names the runs).
     */
    public Optional<Long> awaitRunsSettled(Workload.Result w, Duration timeout) {
        if (w == null || w.datasetId == null) {
            return Optional.of(0L);
        }
        return awaitZero("the runs of dataset " + w.datasetId + " settled", timeout, Duration.ZERO, () -> runsStillRunning(w));
    }

    /** Upload runs neither stored nor failed, plus validation runs still running, of the workload's dataset. */
    long runsStillRunning(Workload.Result w) throws SQLException {
        if (db.isEmpty()) {
            JsonNode list = api.send(null, "GET", "/api/v1/contracts/validations?datasetId=" + w.datasetId + "&limit=100", tenantKey, null).json();
            long running = 0;
            for (JsonNode v : list.path("items")) {
                running += "running".equals(v.path("status").asText()) ? 1 : 0;
            }
            return running;
        }
        UUID dataset = UUID.fromString(w.datasetId);
        return countOfDataset("ingest-service",
                "select count(*) from upload_run where tenant_id = ? and dataset_id = ? and state not in ('stored', 'failed')", dataset)
                + countOfDataset("contracts-service",
                        "select count(*) from validation_run where tenant_id = ? and dataset_id = ? and status = 'running'", dataset);
    }

    /** A count from a service's database, of a query whose parameters are the tenant and a dataset. */
    private long countOfDataset(String service, String sql, UUID dataset) throws SQLException {
        try (Connection c = db.get().connect(service); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenant);
            ps.setObject(2, dataset);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Polls {@code count} every 500 ms until it is 0 and has stayed 0 on every poll for
     * {@code stableFor}; the time until it was 0, or empty after {@code timeout}. A failing poll
     * counts as not yet.
     */
    static Optional<Long> awaitZero(String what, Duration timeout, Duration stableFor, Callable<Long> count) {
        long start = System.currentTimeMillis();
        try {
            org.awaitility.core.ConditionFactory await = Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptions();
            if (!stableFor.isZero()) {
                await = await.during(stableFor);
            }
            await.until(() -> count.call() == 0);
            return Optional.of(Math.max(0, System.currentTimeMillis() - start - stableFor.toMillis()));
        } catch (ConditionTimeoutException e) {
            return Optional.empty();
        }
    }

    public Journal.ZeroLoss check(Workload workload, List<Journal.Request> requests) {
        Journal.ZeroLoss z = new Journal.ZeroLoss();
        Workload.Result w = workload.result;
        try {
            if (w.datasetId != null) {
                rows(z, workload);
                runs(z, w);
                validations(z, w);
            }
            lineage(z, w);
            audit(z, requests);
        } catch (SQLException | RuntimeException e) {
            z.problems.add("the check itself failed: " + e);
        }
        z.dataLost = z.rowsMissing + z.lineageEventsMissing + z.auditEntriesMissing;
        return z;
    }

    // --- rows and versions ------------------------------------------------------------------------

    private void rows(Journal.ZeroLoss z, Workload workload) {
        Workload.Result w = workload.result;
        String base = "/api/v1/ingest/datasets/" + w.datasetId;
        List<JsonNode> versions = pages(base + "/versions?limit=100", tenantKey, "items");
        Map<Integer, JsonNode> byNumber = new HashMap<>();
        for (JsonNode v : versions) {
            byNumber.put(v.path("number").asInt(), v);
            switch (v.path("kind").asText()) {
                case "upload" -> z.uploadVersions++;
                case "changeset" -> z.changesetVersions++;
                default -> {
                }
            }
        }
        List<String> sent = workload.rows.registrationNumbers;
        z.rowsExpected = sent.size();
        if (w.uploadedVersion == null) {
            z.rowsMissing = sent.size();
            z.problems.add("no upload version was acknowledged: " + sent.size() + " rows not stored");
            return;
        }
        if (z.uploadVersions != 1) {
            z.problems.add(z.uploadVersions + " upload versions hold the workload's rows (expected exactly 1)");
        }
        Map<String, Integer> counts = rowCounts(base + "/versions/" + w.uploadedVersion + "/rows?format=ndjson", null);
        long quarantined = byNumber.getOrDefault(w.uploadedVersion, Api.JSON.nullNode()).path("rowsQuarantined").asLong(0);
        compare(z, sent, counts, quarantined, "v" + w.uploadedVersion);

        int expectedChangesets = w.committedVersion == null ? 0 : 1;
        if (z.changesetVersions != expectedChangesets) {
            z.problems.add(z.changesetVersions + " change-set versions (expected " + expectedChangesets + ")");
        }
        if (w.committedVersion != null) {
            JsonNode v = byNumber.get(w.committedVersion);
            if (v == null) {
                z.problems.add("the committed version v" + w.committedVersion + " does not exist");
                return;
            }
            long removed = v.path("rowsRemoved").asLong();
            if (removed != w.approvedDeletes.size()) {
                z.problems.add("v" + w.committedVersion + " removed " + removed + " rows; the plan approved " + w.approvedDeletes.size() + " deletes");
            }
            List<String> remaining = new ArrayList<>();
            for (String id : sent) {
                if (!w.approvedDeletes.contains(id)) {
                    remaining.add(id);
                }
            }
            Map<String, Map<String, String>> finalValues = new HashMap<>();
            Map<String, Integer> finalCounts = rowCounts(base + "/versions/" + w.committedVersion + "/rows?format=ndjson", finalValues);
            Journal.ZeroLoss after = new Journal.ZeroLoss();
            compare(after, remaining, finalCounts, quarantined, "v" + w.committedVersion);
            z.rowsMissing += after.rowsMissing;
            z.rowsDuplicated += after.rowsDuplicated;
            z.rowsUnexpected += after.rowsUnexpected;
            z.problems.addAll(after.problems);
            long applied = w.approvedDeletes.size();
            for (var e : w.approvedUpserts.entrySet()) {
                Map<String, String> row = finalValues.get(e.getKey());
                for (var f : e.getValue().entrySet()) {
                    String have = row == null ? null : row.get(f.getKey());
                    if (row != null && java.util.Objects.equals(have, f.getValue())) {
                        applied++;
                    } else {
                        z.problems.add("committed change " + e.getKey() + "." + f.getKey() + " = " + f.getValue() + " is not in v"
                                + w.committedVersion + " (found " + have + ")");
                    }
                }
            }
            z.committedChanges = applied;
        }
    }

    private void compare(Journal.ZeroLoss z, List<String> expected, Map<String, Integer> counts, long quarantined, String where) {
        Set<String> want = new HashSet<>(expected);
        long missing = 0;
        long duplicated = 0;
        for (String id : expected) {
            int n = counts.getOrDefault(id, 0);
            if (n == 0) {
                missing++;
            } else if (n > 1) {
                duplicated += n - 1;
            }
        }
        long unexpected = counts.keySet().stream().filter(k -> !want.contains(k)).count();
        // Quarantined rows are kept apart, counted on the version and listed, not lost.
        long lost = Math.max(0, missing - quarantined);
        z.rowsFound += counts.values().stream().mapToLong(Integer::longValue).sum();
        z.rowsMissing += lost;
        z.rowsDuplicated += duplicated;
        z.rowsUnexpected += unexpected;
        if (lost > 0) {
            z.problems.add(lost + " rows sent are not in " + where);
        }
        if (duplicated > 0) {
            z.problems.add(duplicated + " rows are in " + where + " more than once");
        }
        if (unexpected > 0) {
            z.problems.add(unexpected + " rows in " + where + " were never sent");
        }
    }

    /** registration_number → how many rows of the version carry it (and, when asked, each row's values). */
    private Map<String, Integer> rowCounts(String path, Map<String, Map<String, String>> values) {
        Api.Response r = api.send(null, "GET", path, tenantKey, null, Map.of("Accept", "application/x-ndjson"), Duration.ofMinutes(5));
        if (r.status() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.status());
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode row = Api.JSON.readTree(line);
                String id = row.path("registration_number").asText(row.path("_rowId").asText());
                counts.merge(id, 1, Integer::sum);
                if (values != null) {
                    Map<String, String> m = new HashMap<>();
                    row.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText()));
                    values.put(row.path("_rowId").asText(id), m);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("a row of " + path + " is not JSON");
            }
        }
        return counts;
    }

    // --- runs and validations ----------------------------------------------------------------------

    private void runs(Journal.ZeroLoss z, Workload.Result w) throws SQLException {
        if (db.isEmpty()) {
            return;
        }
        try (Connection c = db.get().connect("ingest-service");
                PreparedStatement ps = c.prepareStatement("select id, state, version, error_code from upload_run where tenant_id = ? and dataset_id = ?")) {
            ps.setString(1, tenant);
            ps.setObject(2, UUID.fromString(w.datasetId));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    z.uploadRuns++;
                    String state = rs.getString("state");
                    Integer version = (Integer) rs.getObject("version");
                    if ("failed".equals(state)) {
                        if (version == null) {
                            z.uploadRunsFailedCleanly++;
                        } else {
                            z.problems.add("upload run " + rs.getString("id") + " failed but names version " + version);
                        }
                    } else if (!"stored".equals(state)) {
                        z.problems.add("upload run " + rs.getString("id") + " is still '" + state + "' after recovery");
                    }
                }
            }
        }
    }

    private void validations(Journal.ZeroLoss z, Workload.Result w) throws SQLException {
        if (db.isEmpty()) {
            JsonNode list = api.send(null, "GET", "/api/v1/contracts/validations?datasetId=" + w.datasetId + "&limit=100", tenantKey, null).json();
            for (JsonNode v : list.path("items")) {
                z.validationRuns++;
                if ("running".equals(v.path("status").asText())) {
                    z.validationRunsIncomplete++;
                    z.problems.add("validation " + v.path("id").asText() + " is still running after recovery");
                }
            }
            return;
        }
        Map<String, String> firstResult = new HashMap<>();
        try (Connection c = db.get().connect("contracts-service");
                PreparedStatement ps = c.prepareStatement("select id, dataset_version, contract_id, status, row_count, result from validation_run "
                        + "where tenant_id = ? and dataset_id = ? order by started_at")) {
            ps.setString(1, tenant);
            ps.setObject(2, UUID.fromString(w.datasetId));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    z.validationRuns++;
                    String status = rs.getString("status");
                    String id = rs.getString("id");
                    if ("running".equals(status)) {
                        z.validationRunsIncomplete++;
                        z.problems.add("validation " + id + " is still running after recovery (a half result)");
                        continue;
                    }
                    if ("error".equals(status)) {
                        continue; // failed cleanly: the gate says validation_error and asks for a new run
                    }
                    String fingerprint = rs.getLong("row_count") + ":" + outcomes(rs.getString("result"));
                    String key = rs.getInt("dataset_version") + "/" + rs.getString("contract_id");
                    String earlier = firstResult.putIfAbsent(key, fingerprint);
                    if (earlier != null && !earlier.equals(fingerprint)) {
                        z.validationRunsIncomplete++;
                        z.problems.add("validation " + id + " of v" + key + " disagrees with an earlier finished run (" + fingerprint + " vs " + earlier + ")");
                    }
                }
            }
        }
    }

    /** Each expectation's name, success and failing count, in order: what two complete runs of the same data agree on. */
    private static String outcomes(String resultJson) {
        if (resultJson == null) {
            return "none";
        }
        try {
            JsonNode r = Api.JSON.readTree(resultJson);
            JsonNode list = r.has("expectations") ? r.path("expectations") : r;
            StringBuilder sb = new StringBuilder();
            for (JsonNode e : list) {
                sb.append(e.path("name").asText(e.path("expectation").asText())).append('=').append(e.path("success").asText())
                        .append('/').append(e.path("failingCount").asText()).append(';');
            }
            return sb.toString();
        } catch (java.io.IOException e) {
            return "unreadable";
        }
    }

    // --- lineage and audit ------------------------------------------------------------------------

    private void lineage(Journal.ZeroLoss z, Workload.Result w) throws SQLException {
        List<JsonNode> events = pages("/marquez/api/v1/events/lineage?limit=1000", tenantKey, "events");
        Map<String, Integer> byKey = new LinkedHashMap<>();
        for (JsonNode e : events) {
            String type = e.path("eventType").asText("");
            String runId = e.path("run").path("runId").asText("");
            if (!runId.isEmpty() && Set.of("START", "COMPLETE", "FAIL", "ABORT").contains(type)) {
                byKey.merge(runId + "/" + type, 1, Integer::sum);
            } else if (e.has("dataset") && !e.has("run")) {
                byKey.merge("dataset/" + e.path("dataset").path("name").asText() + "/" + e.path("eventTime").asText(), 1, Integer::sum);
            }
        }
        long dup = byKey.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
        z.lineageEventsDuplicated += dup;
        if (dup > 0) {
            z.problems.add(dup + " lineage events are stored more than once");
        }
        if (db.isPresent()) {
            // By id: every event a service wrote to its outbox for the tenant is in lineage's inbox.
            Set<UUID> ids = outboxIds("lineage");
            z.lineageEventsExpected = ids.size();
            Set<UUID> stored = present("lineage-service", "select event_id from inbox_event where event_id = any(?)", ids);
            z.lineageEventsDelivered = stored.size();
            z.lineageEventsMissing = ids.size() - stored.size();
            if (z.lineageEventsMissing > 0) {
                z.problems.add(z.lineageEventsMissing + " of " + ids.size() + " lineage events in the outboxes never reached lineage-service");
            }
            // Every upload run has its START and exactly one terminal event.
            if (w.datasetId != null) {
                try (Connection c = db.get().connect("ingest-service");
                        PreparedStatement ps = c.prepareStatement("select id, state from upload_run where tenant_id = ? and dataset_id = ?")) {
                    ps.setString(1, tenant);
                    ps.setObject(2, UUID.fromString(w.datasetId));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String run = rs.getString("id");
                            int terminal = byKey.getOrDefault(run + "/COMPLETE", 0) + byKey.getOrDefault(run + "/FAIL", 0)
                                    + byKey.getOrDefault(run + "/ABORT", 0);
                            if (!byKey.containsKey(run + "/START")) {
                                z.lineageEventsMissing++;
                                z.problems.add("upload run " + run + " (" + rs.getString("state") + ") has no START lineage event");
                            }
                            if (terminal != 1) {
                                if (terminal == 0) {
                                    z.lineageEventsMissing++;
                                }
                                z.problems.add("upload run " + run + " (" + rs.getString("state") + ") has " + terminal + " terminal lineage events (expected 1)");
                            }
                        }
                    }
                }
            }
        } else {
            z.lineageEventsExpected = byKey.size();
            z.lineageEventsDelivered = byKey.size();
        }
    }

    private void audit(Journal.ZeroLoss z, List<Journal.Request> requests) throws SQLException {
        List<JsonNode> entries = pages("/api/v1/policy/audit?limit=1000", auditorKey, "entries");
        Map<String, Integer> byTrace = new HashMap<>();
        for (JsonNode e : entries) {
            if (e.hasNonNull("traceId")) {
                byTrace.merge(e.path("traceId").asText(), 1, Integer::sum);
            }
        }
        // Every mutating request the workload made that reached a decision has one entry: the gateway audits what it
        // forwarded (with the service's status) and what policy denied (403). Answers the gateway gives on its own
        // before any decision (GATEWAY_REFUSALS) are not audited by design; they are counted apart in the journal.
        List<String> expected = new ArrayList<>();
        synchronized (requests) {
            for (Journal.Request r : requests) {
                if (!"workload".equals(r.who) || !r.mutating() || r.status == 0) {
                    continue;
                }
                if (r.code != null && GATEWAY_REFUSALS.contains(r.code)) {
                    z.auditNotExpected++;
                } else {
                    expected.add(r.traceId);
                }
            }
        }
        long missing = 0;
        long dup = 0;
        for (String t : expected) {
            int n = byTrace.getOrDefault(t, 0);
            if (n == 0) {
                missing++;
            } else if (n > 1) {
                dup += n - 1;
            }
        }
        z.auditEntriesExpected = expected.size();
        z.auditEntriesFound = expected.size() - missing;
        if (missing > 0) {
            z.problems.add(missing + " of " + expected.size() + " mutating workload requests have no audit entry (by trace id)");
        }
        if (db.isPresent()) {
            Set<UUID> ids = outboxIds("audit");
            Set<UUID> stored = present("policy-service", "select event_id from audit_entry where tenant_id = '" + tenant.replace("'", "") + "' and event_id = any(?)",
                    ids);
            long lost = ids.size() - stored.size();
            if (lost > 0) {
                z.problems.add(lost + " of " + ids.size() + " audit entries in the outboxes never reached the audit log");
            }
            missing += lost;
            z.auditEntriesExpected += ids.size();
            z.auditEntriesFound += stored.size();
            long stuck = 0;
            // Duplicates by id are impossible (unique key); count entries per event id anyway in case the key ever changes.
            try (Connection c = db.get().connect("policy-service");
                    PreparedStatement ps = c.prepareStatement("select count(*) - count(distinct event_id) from audit_entry where tenant_id = ?")) {
                ps.setString(1, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    stuck = rs.getLong(1);
                }
            }
            dup += stuck;
        }
        z.auditEntriesMissing = missing;
        z.auditEntriesDuplicated = dup;
        if (dup > 0) {
            z.problems.add(dup + " audit entries are duplicated");
        }
        Api.Response v = api.send(null, "GET", "/api/v1/policy/audit/verify", auditorKey, null);
        z.auditChainValid = v.status() == 200 && v.json().path("valid").asBoolean(false);
        if (!z.auditChainValid) {
            z.problems.add("the audit chain does not verify: HTTP " + v.status() + " " + v.body());
        }
    }

    private Set<UUID> outboxIds(String destination) throws SQLException {
        Set<UUID> ids = new HashSet<>();
        for (String svc : OUTBOX_SERVICES) {
            try (Connection c = db.get().connect(svc);
                    PreparedStatement ps = c.prepareStatement("select id from outbox_event where destination = ? and tenant_id = ?")) {
                ps.setString(1, destination);
                ps.setString(2, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add((UUID) rs.getObject(1));
                    }
                }
            }
        }
        return ids;
    }

    private Set<UUID> present(String service, String sql, Set<UUID> ids) throws SQLException {
        Set<UUID> found = new HashSet<>();
        if (ids.isEmpty()) {
            return found;
        }
        try (Connection c = db.get().connect(service); PreparedStatement ps = c.prepareStatement(sql)) {
            Array arr = c.createArrayOf("uuid", ids.toArray());
            ps.setArray(1, arr);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add((UUID) rs.getObject(1));
                }
            }
        }
        return found;
    }

    /** Every item of a cursor-paged listing. */
    private List<JsonNode> pages(String first, String key, String field) {
        List<JsonNode> all = new ArrayList<>();
        String path = first;
        for (int page = 0; page < 10_000 && path != null; page++) {
            Api.Response r = api.send(null, "GET", path, key, null);
            if (r.status() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + r.status() + " " + r.body());
            }
            JsonNode doc = r.json();
            doc.path(field).forEach(all::add);
            JsonNode next = doc.path("nextCursor");
            path = next.isTextual() && !next.asText().isEmpty()
                    ? first + "&cursor=" + java.net.URLEncoder.encode(next.asText(), java.nio.charset.StandardCharsets.UTF_8) : null;
        }
        return all;
    }
}
