package io.hotpass.lineage.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotpass.lineage.event.LineageEventParser.ParsedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Projects one OpenLineage event onto the normalised model (namespaces, jobs and their versions,
 * runs and their states, datasets and their versions, run inputs/outputs, the job-level edge table
 * and column lineage), on the caller's transaction, so the raw event and its projection commit or
 * roll back together. Rows are locked in one order (job, then datasets sorted by name) so
 * concurrent events over the same jobs and datasets cannot deadlock.
 */
@ApplicationScoped
public class LineageModelWriter {

    private static final String STATE_NEW = "NEW";

    @Inject
    ObjectMapper mapper;

    record DatasetRef(String namespace, String name) implements Comparable<DatasetRef> {
        @Override
        public int compareTo(DatasetRef o) {
            int c = namespace.compareTo(o.namespace);
            return c != 0 ? c : name.compareTo(o.name);
        }
    }

    record Dataset(long id, UUID currentVersion) {
    }

    /** Projects the event on the given connection, which is in the tenanted transaction that stores the event. */
    public void write(Connection c, String tenant, JsonNode event, ParsedEvent parsed) throws SQLException {
        if (!"RunEvent".equals(parsed.kind())) {
            flushDeferred(c); // they update dataset rows at once: earlier events' changes go first
        }
        switch (parsed.kind()) {
            case "RunEvent" -> runEvent(c, tenant, event, parsed);
            case "JobEvent" -> jobEvent(c, tenant, event);
            default -> datasetEvent(c, tenant, event);
        }
    }

    private void runEvent(Connection c, String tenant, JsonNode e, ParsedEvent p) throws SQLException {
        JsonNode job = e.path("job");
        Deferred group = deferred();
        if (group != null) {
            group.runEventsLeft.computeIfPresent(p.runId(), (r, n) -> n > 1 ? n - 1 : null);
        }
        List<JsonNode> inputs = list(e.path("inputs"));
        List<JsonNode> outputs = list(e.path("outputs"));
        TreeSet<DatasetRef> refs = datasetRefs(inputs, outputs);
        namespaces(c, tenant, p.jobNamespace(), refs);
        long jobId = upsertJob(c, tenant, job, p.runId());
        Map<DatasetRef, Dataset> datasets = upsertDatasets(c, tenant, refs);
        Deferred deferred = deferred();
        if (deferred != null) { // earlier events of this transaction moved these datasets' versions
            datasets.replaceAll((r, d) -> {
                DatasetChange pending = deferred.changes.get(d.id());
                return pending == null || pending.version == null ? d : new Dataset(d.id(), pending.version);
            });
        }
        String eventType = p.eventType() == null ? "OTHER" : p.eventType();
        boolean complete = "COMPLETE".equals(eventType);

        // Outputs: one dataset version per (dataset, run); the dataset's current version moves to it.
        // Inputs that carry facets update the dataset's metadata too. Dataset rows are updated in
        // name order, in one batch, so two events never lock the same datasets in opposite orders.
        List<Object[]> io = new ArrayList<>();
        TreeMap<DatasetRef, Object[]> datasetUpdates = new TreeMap<>();
        for (JsonNode o : sortedByName(outputs)) {
            DatasetRef ref = ref(o);
            Dataset d = datasets.get(ref);
            ObjectNode facets = mergedFacets(o, "outputFacets");
            String label = versionLabel(o);
            UUID versionId = UUID.nameUUIDFromBytes((tenant + "|" + ref.namespace + "|" + ref.name + "|" + p.runId() + "|"
                    + (label == null ? "" : label)).getBytes(StandardCharsets.UTF_8));
            String fields = fields(o);
            queue(c, "insert into lineage_dataset_version (tenant_id, id, dataset_id,"
                    + " version_label, run_id, fields, facets, lifecycle_state) values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)"
                    + " on conflict (tenant_id, id) do update set fields = case when excluded.fields <> '[]'::jsonb"
                    + " then excluded.fields else lineage_dataset_version.fields end,"
                    + " facets = lineage_dataset_version.facets || excluded.facets,"
                    + " lifecycle_state = coalesce(excluded.lifecycle_state, lineage_dataset_version.lifecycle_state)", version -> {
                        version.setString(1, tenant);
                        version.setObject(2, versionId);
                        version.setLong(3, d.id());
                        version.setString(4, label);
                        version.setObject(5, p.runId());
                        version.setString(6, fields);
                        version.setString(7, facets.toString());
                        version.setString(8, text(o.path("facets").path("lifecycleStateChange").path("lifecycleStateChange")));
                    });
            datasetUpdates.put(ref, new Object[] {versionId, fields, o, complete});
            io.add(new Object[] {"O", d.id(), versionId, ioFacets(o, "outputFacets")});
        }
        for (JsonNode i : inputs) {
            if (i.path("facets").isObject() && !i.path("facets").isEmpty() && !datasetUpdates.containsKey(ref(i))) {
                datasetUpdates.put(ref(i), new Object[] {null, fields(i), i, false});
            }
        }
        if (!datasetUpdates.isEmpty() && deferred != null) {
            for (Map.Entry<DatasetRef, Object[]> u : datasetUpdates.entrySet()) {
                Object[] v = u.getValue();
                JsonNode node = (JsonNode) v[2];
                deferred.changes.computeIfAbsent(datasets.get(u.getKey()).id(), id -> new DatasetChange())
                        .add((UUID) v[0], (String) v[1], node.path("facets"), text(node.path("facets").path("documentation")
                                .path("description")), (Boolean) v[3] ? p.eventTime() : null);
            }
        } else if (!datasetUpdates.isEmpty()) {
            try (PreparedStatement dataset = planned(c, "update lineage_dataset set"
                    + " current_version = coalesce(?::uuid, current_version),"
                    + " fields = case when ?::jsonb <> '[]'::jsonb and ?::jsonb <> fields then ?::jsonb else fields end,"
                    + " facets = case when facets || ?::jsonb = facets then facets else facets || ?::jsonb end,"
                    + " description = coalesce(?, description), updated_at = now(),"
                    + " last_modified_at = case when ? then greatest(last_modified_at, ?) else last_modified_at end"
                    + " where tenant_id = ? and id = ? and (? or facets || ?::jsonb <> facets)")) {
                // Unchanged jsonb columns are assigned their own value, so PostgreSQL keeps their
                // TOAST data instead of writing the same kilobytes again for every event.
                // An input's metadata is rewritten only when its facets would change the dataset's: most
                // reads repeat what is known, and an unchanged row is cheaper not to write at all.
                for (Map.Entry<DatasetRef, Object[]> u : datasetUpdates.entrySet()) {
                    Object[] v = u.getValue();
                    JsonNode node = (JsonNode) v[2];
                    // Nullable parameters go as text with a cast in the SQL: a parameter whose type
                    // changed between executions (null vs uuid) makes the driver prepare the statement anew.
                    String facets = node.path("facets").isObject() ? node.path("facets").toString() : "{}";
                    dataset.setString(1, v[0] == null ? null : v[0].toString());
                    dataset.setString(2, (String) v[1]);
                    dataset.setString(3, (String) v[1]);
                    dataset.setString(4, (String) v[1]);
                    dataset.setString(5, facets);
                    dataset.setString(6, facets);
                    dataset.setString(7, text(node.path("facets").path("documentation").path("description")));
                    dataset.setBoolean(8, (Boolean) v[3]);
                    dataset.setTimestamp(9, Timestamp.from(p.eventTime().toInstant()));
                    dataset.setString(10, tenant);
                    dataset.setLong(11, datasets.get(u.getKey()).id());
                    dataset.setBoolean(12, v[0] != null);
                    dataset.setString(13, facets);
                    dataset.addBatch();
                }
                dataset.executeBatch();
            }
        }
        // Inputs read the version they name (version facet) or the dataset's current version.
        for (JsonNode i : inputs) {
            DatasetRef ref = ref(i);
            Dataset d = datasets.get(ref);
            String label = versionLabel(i);
            if (label != null) {
                flushBatches(); // the version may be one this group's events wrote
            }
            UUID version = label == null ? d.currentVersion() : versionByLabel(c, tenant, d.id(), label);
            io.add(new Object[] {"I", d.id(), version == null ? d.currentVersion() : version, ioFacets(i, "inputFacets")});
        }
        upsertRun(c, tenant, e, p, jobId, eventType);
        runIo(c, tenant, p.runId(), io);
        List<long[]> edges = new ArrayList<>();
        for (JsonNode i : inputs) {
            edges.add(new long[] {datasets.get(ref(i)).id(), jobId});
        }
        for (JsonNode o : outputs) {
            edges.add(new long[] {jobId, datasets.get(ref(o)).id()});
        }
        edges(c, tenant, edges);
        columnLineage(c, tenant, outputs, datasets);
        if (complete || "FAIL".equals(eventType) || "ABORT".equals(eventType)) {
            String location = text(job.path("facets").path("sourceCodeLocation").path("url"));
            if (group != null && !group.runEventsLeft.containsKey(p.runId())) {
                // No later event of the group adds to this run: what it read and wrote is final at the group's end.
                group.jobVersions.add(new JobVersion(jobId, null, location, null, null, p.runId()));
            } else {
                flushBatches();
                jobVersionFromRun(c, tenant, jobId, p.runId(), location);
            }
        }
    }

    private void jobEvent(Connection c, String tenant, JsonNode e) throws SQLException {
        JsonNode job = e.path("job");
        List<JsonNode> inputs = list(e.path("inputs"));
        List<JsonNode> outputs = list(e.path("outputs"));
        TreeSet<DatasetRef> refs = datasetRefs(inputs, outputs);
        namespaces(c, tenant, job.path("namespace").asText(), refs);
        long jobId = upsertJob(c, tenant, job, null);
        Map<DatasetRef, Dataset> datasets = upsertDatasets(c, tenant, refs);
        List<long[]> edges = new ArrayList<>();
        TreeSet<DatasetRef> in = new TreeSet<>();
        TreeSet<DatasetRef> out = new TreeSet<>();
        for (JsonNode i : inputs) {
            edges.add(new long[] {datasets.get(ref(i)).id(), jobId});
            in.add(ref(i));
        }
        for (JsonNode o : outputs) {
            edges.add(new long[] {jobId, datasets.get(ref(o)).id()});
            out.add(ref(o));
            updateDatasetMetadata(c, tenant, datasets.get(ref(o)).id(), o);
        }
        edges(c, tenant, edges);
        columnLineage(c, tenant, outputs, datasets);
        if (!in.isEmpty() || !out.isEmpty()) {
            jobVersion(c, tenant, jobId, in, out, text(job.path("facets").path("sourceCodeLocation").path("url")), null);
        }
    }

    private void datasetEvent(Connection c, String tenant, JsonNode e) throws SQLException {
        JsonNode ds = e.path("dataset");
        DatasetRef ref = ref(ds);
        TreeSet<DatasetRef> refs = new TreeSet<>(List.of(ref));
        namespaces(c, tenant, null, refs);
        Dataset d = upsertDatasets(c, tenant, refs).get(ref);
        updateDatasetMetadata(c, tenant, d.id(), ds);
    }

    private void updateDatasetMetadata(Connection c, String tenant, long id, JsonNode ds) throws SQLException {
        String fields = fields(ds);
        try (PreparedStatement ps = planned(c, "update lineage_dataset set fields = case when ?::jsonb <> '[]'::jsonb"
                + " then ?::jsonb else fields end, facets = facets || ?::jsonb, description = coalesce(?, description),"
                + " updated_at = now() where tenant_id = ? and id = ?")) {
            ps.setString(1, fields);
            ps.setString(2, fields);
            ps.setString(3, ds.path("facets").isObject() ? ds.path("facets").toString() : "{}");
            ps.setString(4, text(ds.path("facets").path("documentation").path("description")));
            ps.setString(5, tenant);
            ps.setLong(6, id);
            ps.executeUpdate();
        }
    }

    /**
     * Namespaces known to exist (committed). Nearly every event names namespaces that exist
     * already; remembering them saves a statement per event. A namespace the insert found already
     * there is remembered once the transaction commits ({@link #transactionEnded}): in a group
     * transaction it may have been created by an earlier event of the same transaction, which can
     * still roll back. Namespaces are never deleted.
     */
    private final java.util.Set<String> knownNamespaces = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ThreadLocal<java.util.Set<String>> foundInTransaction = ThreadLocal.withInitial(java.util.HashSet::new);

    /** Called by the thread that wrote, after its transaction committed (true) or rolled back (false). */
    public void transactionEnded(boolean committed) {
        java.util.Set<String> found = foundInTransaction.get();
        if (committed && knownNamespaces.size() < 100_000) {
            knownNamespaces.addAll(found);
        }
        found.clear();
        Deferred d = deferredInTransaction.get();
        if (d != null) {
            closeBatches(d);
        }
        deferredInTransaction.remove();
    }

    /**
     * Output and input metadata changes to dataset rows, held back until {@link #flushDeferred}:
     * a group transaction then updates each dataset row once, all of them in id order just before
     * the commit. Two writers' groups therefore lock dataset rows in one global order and at the
     * end, instead of one event at a time in between their other statements, which deadlocked
     * (ADR 0014). Only when {@link #deferDatasetUpdates} was called on this thread.
     */
    static final class Deferred {
        final String tenant;
        final TreeMap<Long, DatasetChange> changes = new TreeMap<>();
        /** The datasets the group names, created (in name order) and read once for the whole group. */
        final Map<DatasetRef, Dataset> datasets = new HashMap<>();
        /** The jobs the group names (key: namespace and name), created (in name order) and read once for the whole group. */
        final Map<DatasetRef, Long> jobs = new HashMap<>();
        /**
         * Write-only statements of the group's events, by SQL, in the order each kind was first
         * queued: one JDBC batch a kind (see {@link #queue}).
         */
        final Map<String, PreparedStatement> batches = new java.util.LinkedHashMap<>();
        /** RunEvents of the group not yet written, by run: a run's job version waits for the group's end only when none is left. */
        final Map<UUID, Integer> runEventsLeft = new HashMap<>();
        /**
         * Job versions to write at the group's end, in the events' order: ready ones, and those of
         * finished runs still to be derived from everything the run read and wrote ({@link JobVersion#derived}).
         */
        final List<JobVersion> jobVersions = new ArrayList<>();
        /** The group's changes to job rows, by job id, merged in the events' order (see {@link JobChange}). */
        final TreeMap<Long, JobChange> jobChanges = new TreeMap<>();

        Deferred(String tenant) {
            this.tenant = tenant;
        }
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /**
     * A statement whose result nothing reads (an insert or update by key). Inside a group
     * transaction ({@link #deferDatasetUpdates}) it joins the group's batch of the same SQL and is
     * sent with the others by {@link #flushBatches}: one round trip and one Sync a kind of
     * statement per group instead of one an event. Each kind keeps the events' order; kinds may
     * run in another order than the events interleaved them, which is the same result because they
     * write different tables or columns and the rows they refer to (jobs, datasets) were created
     * for the group beforehand ({@link #prepareGroup}). A read of what queued statements write
     * (the version by label) flushes first. Outside a group (the savepoint path) it runs at once.
     */
    private void queue(Connection c, String sql, Binder binder) throws SQLException {
        Deferred d = deferred();
        if (d == null) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                ps.executeUpdate();
            }
            return;
        }
        PreparedStatement ps = d.batches.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            d.batches.put(sql, ps);
        }
        binder.bind(ps);
        ps.addBatch();
    }

    /** Sends the queued statements, a batch a kind, in the order the kinds were first queued. */
    private void flushBatches() throws SQLException {
        Deferred d = deferred();
        if (d == null || d.batches.isEmpty()) {
            return;
        }
        try {
            for (PreparedStatement ps : d.batches.values()) {
                ps.executeBatch();
            }
        } finally {
            closeBatches(d);
        }
    }

    private static void closeBatches(Deferred d) {
        for (PreparedStatement ps : d.batches.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing a statement of a transaction that failed: the connection is rolled back and returned anyway
            }
        }
        d.batches.clear();
    }

    /** The successive updates of one dataset row, merged as applying them in order would. */
    final class DatasetChange {
        UUID version;
        String fields = "[]";
        ObjectNode facets = mapper.createObjectNode();
        boolean anyFacets;
        String description;
        OffsetDateTime completedAt;

        void add(UUID version, String fields, JsonNode facets, String description, OffsetDateTime completedAt) {
            if (version != null) {
                this.version = version;
            }
            if (!"[]".equals(fields)) {
                this.fields = fields;
            }
            if (facets.isObject()) {
                this.facets.setAll((ObjectNode) facets); // jsonb || of objects: later keys win, as in sequence
                anyFacets = true;
            }
            if (description != null) {
                this.description = description;
            }
            if (completedAt != null && (this.completedAt == null || completedAt.isAfter(this.completedAt))) {
                this.completedAt = completedAt;
            }
        }
    }

    /**
     * The successive updates of one job row by a group's events, merged as applying them in order
     * would: facets merged key by key (jsonb {@code ||}), later keys winning; type, description,
     * location and latest run the last one given.
     */
    final class JobChange {
        final ObjectNode facets = mapper.createObjectNode();
        String type;
        String description;
        String location;
        String latestRun;

        void add(JsonNode facets, String type, String description, String location, UUID run) {
            if (facets.isObject()) {
                this.facets.setAll((ObjectNode) facets);
            }
            this.type = type != null ? type : this.type;
            this.description = description != null ? description : this.description;
            this.location = location != null ? location : this.location;
            this.latestRun = run != null ? run.toString() : this.latestRun;
        }
    }

    /**
     * A job version to write, make the job's current one and, for a run, the run's. {@code inputs}
     * and {@code outputs} (JSON, see {@link #refsJson}) are null while the version is still to be
     * derived from the run's inputs and outputs ({@link #derived}); {@code version} is then null too.
     */
    record JobVersion(long jobId, UUID version, String location, String inputs, String outputs, UUID runId) {
        boolean derived() {
            return inputs != null;
        }
    }

    private final ThreadLocal<Deferred> deferredInTransaction = new ThreadLocal<>();

    private Deferred deferred() {
        return deferredInTransaction.get();
    }

    /** From now until the transaction ends, this thread's dataset row updates of RunEvents for the tenant wait for {@link #flushDeferred}. */
    public void deferDatasetUpdates(String tenant) {
        Deferred d = deferredInTransaction.get();
        if (d != null && (!d.changes.isEmpty() || !d.batches.isEmpty() || !d.jobVersions.isEmpty() || !d.jobChanges.isEmpty())) {
            throw new IllegalStateException("flushDeferred first: updates of tenant " + d.tenant + " are waiting");
        }
        deferredInTransaction.set(new Deferred(tenant));
    }

    /**
     * Creates the datasets and the jobs that the tenant's events of a group name, each kind in one
     * statement in name order, and reads their ids once. Two writers creating the same new datasets
     * then take their locks in one order (per event, they deadlocked), each event saves two
     * statements, and the events' job updates need no answer from the database, so they can go in
     * one batch. Only after {@link #deferDatasetUpdates}: the dataset rows' versions do not change
     * in the database until the group's end, and the events see each other's through the overlay.
     * {@code events} are the group's events of the tenant that will be written, in order.
     */
    public void prepareGroup(Connection c, String tenant, List<JsonNode> events, List<ParsedEvent> parsed) throws SQLException {
        Deferred d = deferredInTransaction.get();
        TreeSet<DatasetRef> refs = new TreeSet<>();
        TreeSet<DatasetRef> jobs = new TreeSet<>();
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            ParsedEvent p = parsed.get(i);
            if ("DatasetEvent".equals(p.kind())) {
                refs.add(ref(e.path("dataset")));
                continue;
            }
            refs.addAll(datasetRefs(list(e.path("inputs")), list(e.path("outputs"))));
            jobs.add(ref(e.path("job")));
            if ("RunEvent".equals(p.kind())) {
                d.runEventsLeft.merge(p.runId(), 1, Integer::sum);
            }
        }
        d.datasets.putAll(upsertDatasets(c, tenant, refs));
        if (jobs.isEmpty()) {
            return;
        }
        Array ns = c.createArrayOf("text", jobs.stream().map(DatasetRef::namespace).toArray());
        Array names = c.createArrayOf("text", jobs.stream().map(DatasetRef::name).toArray());
        // The row alone (its defaults: BATCH, no facets); each event's job update sets the rest, in order.
        insertMissing(c, "lineage_job", tenant, ns, names);
        try (PreparedStatement ps = planned(c, "select j.id, j.namespace, j.name"
                + " from unnest(?::text[], ?::text[]) as t(n, m) cross join lateral (select id, namespace, name"
                + " from lineage_job x where x.tenant_id = ? and x.namespace = t.n and x.name = t.m) j")) {
            ps.setArray(1, ns);
            ps.setArray(2, names);
            ps.setString(3, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    d.jobs.put(new DatasetRef(rs.getString(2), rs.getString(3)), rs.getLong(1));
                }
            }
        }
    }

    /** Applies the held-back dataset row updates (under the tenant they belong to, which must be the transaction's current one). */
    public void flushDeferred(Connection c) throws SQLException {
        Deferred d = deferredInTransaction.get();
        if (d == null) {
            return;
        }
        updateJobs(c, d);
        flushBatches();
        if (!d.jobVersions.isEmpty()) {
            writeJobVersions(c, d.tenant, derive(c, d));
        }
        if (d.changes.isEmpty()) {
            return;
        }
        // One statement for the group's dataset rows, the changes as arrays: PostgreSQL plans it once.
        // As one execution a row (a JDBC batch of an unnamed statement) each row was planned on its
        // own, and planning folded the jsonb parameters as constants — 86 µs a row, twice the
        // update itself, three rows an event (pg_stat_statements, bench/lineage/README.md).
        int n = d.changes.size();
        Long[] ids = new Long[n];
        String[] versions = new String[n];
        String[] fields = new String[n];
        String[] facets = new String[n];
        String[] descriptions = new String[n];
        String[] completed = new String[n];
        Boolean[] versioned = new Boolean[n];
        int i = 0;
        for (Map.Entry<Long, DatasetChange> e : d.changes.entrySet()) {
            DatasetChange ch = e.getValue();
            ids[i] = e.getKey();
            versions[i] = ch.version == null ? null : ch.version.toString();
            fields[i] = ch.fields;
            facets[i] = ch.anyFacets ? ch.facets.toString() : "{}";
            descriptions[i] = ch.description;
            completed[i] = ch.completedAt == null ? null : ch.completedAt.toString();
            versioned[i] = ch.version != null;
            i++;
        }
        try (PreparedStatement dataset = planned(c, "update lineage_dataset x set"
                + " current_version = coalesce(u.version::uuid, x.current_version),"
                + " fields = case when u.fields <> '[]'::jsonb and u.fields <> x.fields then u.fields"
                + " else x.fields end,"
                + " facets = case when x.facets || u.facets = x.facets then x.facets else x.facets || u.facets end,"
                + " description = coalesce(u.description, x.description), updated_at = now(),"
                + " last_modified_at = case when u.completed is not null"
                + " then greatest(x.last_modified_at, u.completed::timestamptz) else x.last_modified_at end"
                + " from unnest(?::bigint[], ?::text[], ?::jsonb[], ?::jsonb[], ?::text[], ?::text[], ?::boolean[])"
                + " as u(id, version, fields, facets, description, completed, versioned)"
                + " where x.tenant_id = ? and x.id = u.id and (u.versioned or x.facets || u.facets <> x.facets)")) {
            dataset.setArray(1, c.createArrayOf("bigint", ids));
            dataset.setArray(2, c.createArrayOf("text", versions));
            dataset.setArray(3, c.createArrayOf("text", fields));
            dataset.setArray(4, c.createArrayOf("text", facets));
            dataset.setArray(5, c.createArrayOf("text", descriptions));
            dataset.setArray(6, c.createArrayOf("text", completed));
            dataset.setArray(7, c.createArrayOf("boolean", versioned));
            dataset.setString(8, d.tenant);
            dataset.executeUpdate();
        }
        // The rows hold the versions now; the group's cached datasets must not fall behind them.
        d.datasets.replaceAll((r, ds) -> {
            DatasetChange ch = d.changes.get(ds.id());
            return ch == null || ch.version == null ? ds : new Dataset(ds.id(), ch.version);
        });
        d.changes.clear();
    }

    private void namespaces(Connection c, String tenant, String jobNamespace, TreeSet<DatasetRef> refs) throws SQLException {
        TreeSet<String> names = new TreeSet<>();
        if (jobNamespace != null) {
            names.add(jobNamespace);
        }
        refs.forEach(r -> names.add(r.namespace));
        names.removeIf(n -> knownNamespaces.contains(tenant + "|" + n));
        if (names.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into lineage_namespace (tenant_id, name)"
                + " select ?, n from unnest(?::text[]) as t(n) on conflict do nothing returning name")) {
            ps.setString(1, tenant);
            ps.setArray(2, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.remove(rs.getString(1)); // created now: not known until this transaction commits
                }
            }
        }
        names.forEach(n -> foundInTransaction.get().add(tenant + "|" + n));
    }

    private long upsertJob(Connection c, String tenant, JsonNode job, UUID runId) throws SQLException {
        JsonNode facets = job.path("facets");
        String type = text(facets.path("jobType").path("processingType"));
        Deferred group = deferred();
        Long prepared = group == null ? null : group.jobs.get(ref(job));
        if (prepared != null) { // created and read for the group: the same changes as the upsert below, at the group's end
            String marquezType = type == null ? null : ("STREAMING".equalsIgnoreCase(type) ? "STREAM" : "BATCH");
            group.jobChanges.computeIfAbsent(prepared, id -> new JobChange()).add(facets, marquezType,
                    text(facets.path("documentation").path("description")), text(facets.path("sourceCodeLocation").path("url")), runId);
            return prepared;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into lineage_job (tenant_id, namespace, name, type, description,"
                + " location, facets, latest_run_id) values (?, ?, ?, coalesce(?, 'BATCH'), ?, ?, ?::jsonb, ?)"
                + " on conflict (tenant_id, namespace, name) do update set facets = case when lineage_job.facets || excluded.facets = lineage_job.facets"
                + " then lineage_job.facets else lineage_job.facets || excluded.facets end,"
                + " type = case when ? is null then lineage_job.type else excluded.type end,"
                + " description = coalesce(excluded.description, lineage_job.description),"
                + " location = coalesce(excluded.location, lineage_job.location),"
                + " latest_run_id = coalesce(excluded.latest_run_id, lineage_job.latest_run_id), updated_at = now()"
                + " returning id")) {
            String marquezType = type == null ? null : ("STREAMING".equalsIgnoreCase(type) ? "STREAM" : "BATCH");
            ps.setString(1, tenant);
            ps.setString(2, job.path("namespace").asText());
            ps.setString(3, job.path("name").asText());
            ps.setString(4, marquezType);
            ps.setString(5, text(facets.path("documentation").path("description")));
            ps.setString(6, text(facets.path("sourceCodeLocation").path("url")));
            ps.setString(7, facets.isObject() ? facets.toString() : "{}");
            ps.setObject(8, runId);
            ps.setString(9, marquezType);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Creates missing datasets without locking existing ones, then reads the ids of all of them. */
    private Map<DatasetRef, Dataset> upsertDatasets(Connection c, String tenant, TreeSet<DatasetRef> refs) throws SQLException {
        Map<DatasetRef, Dataset> out = new HashMap<>();
        if (refs.isEmpty()) {
            return out;
        }
        Deferred deferred = deferred();
        if (deferred != null && deferred.datasets.keySet().containsAll(refs)) { // created and read for the whole group
            refs.forEach(r -> out.put(r, deferred.datasets.get(r)));
            return out;
        }
        Array ns = c.createArrayOf("text", refs.stream().map(DatasetRef::namespace).toArray());
        Array names = c.createArrayOf("text", refs.stream().map(DatasetRef::name).toArray());
        insertMissing(c, "lineage_dataset", tenant, ns, names);
        // A lateral lookup per name: the unique index, whatever the generic plan thinks of unnest's size.
        try (PreparedStatement ps = planned(c, "select d.id, d.namespace, d.name, d.current_version"
                + " from unnest(?::text[], ?::text[]) as t(n, m) cross join lateral (select id, namespace, name, current_version"
                + " from lineage_dataset x where x.tenant_id = ? and x.namespace = t.n and x.name = t.m) d")) {
            ps.setArray(1, ns);
            ps.setArray(2, names);
            ps.setString(3, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new DatasetRef(rs.getString(2), rs.getString(3)), new Dataset(rs.getLong(1), rs.getObject(4, UUID.class)));
                }
            }
        }
        return out;
    }

    private UUID versionByLabel(Connection c, String tenant, long datasetId, String label) throws SQLException {
        try (PreparedStatement ps = planned(c, "select id from lineage_dataset_version where tenant_id = ?"
                + " and dataset_id = ? and version_label = ? order by created_at desc limit 1")) {
            ps.setString(1, tenant);
            ps.setLong(2, datasetId);
            ps.setString(3, label);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        }
    }

    private void upsertRun(Connection c, String tenant, JsonNode e, ParsedEvent p, long jobId, String eventType)
            throws SQLException {
        String state = switch (eventType) {
            case "START", "RUNNING" -> "RUNNING";
            case "COMPLETE" -> "COMPLETED";
            case "FAIL" -> "FAILED";
            case "ABORT" -> "ABORTED";
            default -> STATE_NEW;
        };
        boolean terminal = state.endsWith("ED");
        Timestamp time = Timestamp.from(p.eventTime().toInstant());
        JsonNode facets = e.path("run").path("facets");
        JsonNode parent = facets.path("parent");
        JsonNode nominal = facets.path("nominalTime");
        String at = time.toInstant().toString();
        String nominalStart = string(timestamp(nominal.path("nominalStartTime")));
        String nominalEnd = string(timestamp(nominal.path("nominalEndTime")));
        String parentRun = string(uuid(parent.path("run").path("runId")));
        String facetsJson = facets.isObject() ? facets.toString() : "{}";
        queue(c, "insert into lineage_run as r (tenant_id, id, job_id, state,"
                + " state_event_time, terminal, started_at, ended_at, nominal_start_time, nominal_end_time, parent_run_id,"
                + " parent_job_namespace, parent_job_name, producer, facets)"
                + " values (?, ?, ?, ?, coalesce(?::timestamptz, '-infinity'::timestamptz), ?, ?::timestamptz, ?::timestamptz,"
                + " ?::timestamptz, ?::timestamptz, ?::uuid, ?, ?, ?, ?::jsonb)"
                + " on conflict (tenant_id, id) do update set"
                + " state = case when (excluded.terminal and not r.terminal) or (excluded.terminal = r.terminal"
                + "   and excluded.state_event_time >= r.state_event_time) then excluded.state else r.state end,"
                + " ended_at = case when (excluded.terminal and not r.terminal) or (excluded.terminal and r.terminal"
                + "   and excluded.state_event_time >= r.state_event_time) then excluded.ended_at else r.ended_at end,"
                + " state_event_time = case when (excluded.terminal and not r.terminal) or (excluded.terminal = r.terminal"
                + "   and excluded.state_event_time >= r.state_event_time) then excluded.state_event_time else r.state_event_time end,"
                + " terminal = r.terminal or excluded.terminal,"
                + " started_at = least(r.started_at, excluded.started_at),"
                + " nominal_start_time = coalesce(excluded.nominal_start_time, r.nominal_start_time),"
                + " nominal_end_time = coalesce(excluded.nominal_end_time, r.nominal_end_time),"
                + " parent_run_id = coalesce(excluded.parent_run_id, r.parent_run_id),"
                + " parent_job_namespace = coalesce(excluded.parent_job_namespace, r.parent_job_namespace),"
                + " parent_job_name = coalesce(excluded.parent_job_name, r.parent_job_name),"
                + " facets = case when r.facets || excluded.facets = r.facets then r.facets else r.facets || excluded.facets end,"
                + " updated_at = now()", ps -> {
                    ps.setString(1, tenant);
                    ps.setObject(2, p.runId());
                    ps.setLong(3, jobId);
                    ps.setString(4, state);
                    ps.setString(5, STATE_NEW.equals(state) ? null : at);
                    ps.setBoolean(6, terminal);
                    ps.setString(7, "RUNNING".equals(state) ? at : null);
                    ps.setString(8, terminal ? at : null);
                    ps.setString(9, nominalStart);
                    ps.setString(10, nominalEnd);
                    ps.setString(11, parentRun);
                    ps.setString(12, text(parent.path("job").path("namespace")));
                    ps.setString(13, text(parent.path("job").path("name")));
                    ps.setString(14, p.producer());
                    ps.setString(15, facetsJson);
                });
    }

    private void runIo(Connection c, String tenant, UUID runId, List<Object[]> io) throws SQLException {
        if (io.isEmpty()) {
            return;
        }
        Map<String, Object[]> unique = new java.util.LinkedHashMap<>();
        io.forEach(r -> unique.putIfAbsent(r[0] + "|" + r[1], r));
        io = new ArrayList<>(unique.values());
        io.sort((a, b) -> {
            int d = ((String) a[0]).compareTo((String) b[0]);
            return d != 0 ? d : Long.compare((Long) a[1], (Long) b[1]);
        });
        List<Object[]> rows = io;
        queue(c, "insert into lineage_run_io as x (tenant_id, run_id, direction, dataset_id,"
                + " dataset_version, facets) select ?, ?, d, i, v, f::jsonb from unnest(?::text[], ?::bigint[], ?::uuid[], ?::text[])"
                + " as t(d, i, v, f) on conflict (tenant_id, run_id, direction, dataset_id) do update set"
                + " dataset_version = coalesce(excluded.dataset_version, x.dataset_version), facets = x.facets || excluded.facets"
                // A run's later event repeats most of what its START said: an unchanged row is not written again.
                + " where excluded.dataset_version is distinct from x.dataset_version and excluded.dataset_version is not null"
                + " or x.facets || excluded.facets <> x.facets", ps -> {
                    ps.setString(1, tenant);
                    ps.setObject(2, runId);
                    ps.setArray(3, c.createArrayOf("text", rows.stream().map(r -> r[0]).toArray()));
                    ps.setArray(4, c.createArrayOf("bigint", rows.stream().map(r -> r[1]).toArray()));
                    ps.setArray(5, c.createArrayOf("uuid", rows.stream().map(r -> r[2]).toArray()));
                    ps.setArray(6, c.createArrayOf("text", rows.stream().map(r -> r[3]).toArray()));
                });
    }

    private void edges(Connection c, String tenant, List<long[]> edges) throws SQLException {
        if (edges.isEmpty()) {
            return;
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        queue(c, "insert into lineage_edge (tenant_id, src, dst)"
                + " select ?, s, d from unnest(?::bigint[], ?::bigint[]) as t(s, d) on conflict do nothing", ps -> {
                    ps.setString(1, tenant);
                    ps.setArray(2, c.createArrayOf("bigint", edges.stream().map(x -> x[0]).toArray()));
                    ps.setArray(3, c.createArrayOf("bigint", edges.stream().map(x -> x[1]).toArray()));
                });
    }

    private void columnLineage(Connection c, String tenant, List<JsonNode> outputs, Map<DatasetRef, Dataset> datasets)
            throws SQLException {
        TreeMap<String, Object[]> rows = new TreeMap<>();
        for (JsonNode o : outputs) {
            JsonNode fields = o.path("facets").path("columnLineage").path("fields");
            long out = datasets.get(ref(o)).id();
            fields.fields().forEachRemaining(f -> {
                JsonNode spec = f.getValue();
                for (JsonNode in : spec.path("inputFields")) {
                    Dataset src = datasets.get(new DatasetRef(in.path("namespace").asText(), in.path("name").asText()));
                    String inField = text(in.path("field"));
                    if (src == null || inField == null) {
                        continue;
                    }
                    JsonNode t = in.path("transformations").path(0);
                    String desc = text(t.path("description"));
                    String type = text(t.path("type"));
                    rows.put(out + "|" + f.getKey() + "|" + src.id() + "|" + inField, new Object[] {out, f.getKey(), src.id(), inField,
                            desc != null ? desc : text(spec.path("transformationDescription")),
                            type != null ? type : text(spec.path("transformationType"))});
                }
            });
        }
        if (rows.isEmpty()) {
            return;
        }
        for (Object[] r : rows.values()) {
            queue(c, "insert into lineage_column_edge as x (tenant_id, dataset_id, field,"
                    + " input_dataset_id, input_field, transformation_description, transformation_type) values (?, ?, ?, ?, ?, ?, ?)"
                    + " on conflict (tenant_id, dataset_id, field, input_dataset_id, input_field) do update set"
                    + " transformation_description = coalesce(excluded.transformation_description, x.transformation_description),"
                    + " transformation_type = coalesce(excluded.transformation_type, x.transformation_type)"
                    + " where excluded.transformation_description is distinct from x.transformation_description"
                    + " and excluded.transformation_description is not null"
                    + " or excluded.transformation_type is distinct from x.transformation_type and excluded.transformation_type is not null", ps -> {
                        ps.setString(1, tenant);
                        ps.setLong(2, (Long) r[0]);
                        ps.setString(3, (String) r[1]);
                        ps.setLong(4, (Long) r[2]);
                        ps.setString(5, (String) r[3]);
                        ps.setString(6, (String) r[4]);
                        ps.setString(7, (String) r[5]);
                    });
        }
    }

    /** A finished run fixes the job's version from everything the run read and wrote. */
    private void jobVersionFromRun(Connection c, String tenant, long jobId, UUID runId, String location) throws SQLException {
        TreeSet<DatasetRef> in = new TreeSet<>();
        TreeSet<DatasetRef> out = new TreeSet<>();
        try (PreparedStatement ps = planned(c, "select x.direction, d.namespace, d.name from lineage_run_io x"
                + " join lineage_dataset d on d.id = x.dataset_id and d.tenant_id = x.tenant_id"
                + " where x.tenant_id = ? and x.run_id = ?")) {
            ps.setString(1, tenant);
            ps.setObject(2, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ("I".equals(rs.getString(1)) ? in : out).add(new DatasetRef(rs.getString(2), rs.getString(3)));
                }
            }
        }
        jobVersion(c, tenant, jobId, in, out, location, runId);
    }

    private void jobVersion(Connection c, String tenant, long jobId, TreeSet<DatasetRef> in, TreeSet<DatasetRef> out,
            String location, UUID runId) throws SQLException {
        JobVersion v = jobVersionOf(tenant, jobId, in, out, location, runId);
        Deferred d = deferred();
        if (d != null) {
            d.jobVersions.add(v);
        } else {
            writeJobVersions(c, tenant, List.of(v));
        }
    }

    /**
     * The group's job changes as one statement, the changes as arrays, rows in id order: PostgreSQL
     * plans it once a group. As a JDBC batch of an unnamed statement (one an event), planning each
     * row cost twice its execution (pg_stat_statements: 43 µs plan, 23 µs execution an event).
     */
    private void updateJobs(Connection c, Deferred d) throws SQLException {
        if (d.jobChanges.isEmpty()) {
            return;
        }
        int n = d.jobChanges.size();
        Long[] ids = new Long[n];
        String[] facets = new String[n];
        String[] types = new String[n];
        String[] descriptions = new String[n];
        String[] locations = new String[n];
        String[] runs = new String[n];
        int i = 0;
        for (Map.Entry<Long, JobChange> e : d.jobChanges.entrySet()) {
            JobChange ch = e.getValue();
            ids[i] = e.getKey();
            facets[i] = ch.facets.toString();
            types[i] = ch.type;
            descriptions[i] = ch.description;
            locations[i] = ch.location;
            runs[i] = ch.latestRun;
            i++;
        }
        try (PreparedStatement ps = planned(c, "update lineage_job x set"
                + " facets = case when x.facets || u.facets = x.facets then x.facets else x.facets || u.facets end,"
                + " type = coalesce(u.type, x.type), description = coalesce(u.description, x.description),"
                + " location = coalesce(u.location, x.location), latest_run_id = coalesce(u.run::uuid, x.latest_run_id),"
                + " updated_at = now()"
                + " from unnest(?::bigint[], ?::jsonb[], ?::text[], ?::text[], ?::text[], ?::text[])"
                + " as u(id, facets, type, description, location, run)"
                + " where x.tenant_id = ? and x.id = u.id")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.setArray(2, c.createArrayOf("text", facets));
            ps.setArray(3, c.createArrayOf("text", types));
            ps.setArray(4, c.createArrayOf("text", descriptions));
            ps.setArray(5, c.createArrayOf("text", locations));
            ps.setArray(6, c.createArrayOf("text", runs));
            ps.setString(7, d.tenant);
            ps.executeUpdate();
        }
        d.jobChanges.clear();
    }

    /**
     * The group's job versions, those of finished runs derived from one read of what the runs read
     * and wrote (each run's are final: no later event of the group adds to them), in the events' order.
     */
    private List<JobVersion> derive(Connection c, Deferred d) throws SQLException {
        List<JobVersion> queued = new ArrayList<>(d.jobVersions);
        d.jobVersions.clear();
        Map<UUID, TreeSet<DatasetRef>[]> io = new HashMap<>();
        for (JobVersion v : queued) {
            if (!v.derived()) {
                @SuppressWarnings("unchecked")
                TreeSet<DatasetRef>[] inOut = new TreeSet[] {new TreeSet<>(), new TreeSet<>()};
                io.put(v.runId(), inOut);
            }
        }
        if (io.isEmpty()) {
            return queued;
        }
        try (PreparedStatement ps = planned(c, "select x.run_id, x.direction, d.namespace, d.name from lineage_run_io x"
                + " join lineage_dataset d on d.id = x.dataset_id and d.tenant_id = x.tenant_id"
                + " where x.tenant_id = ? and x.run_id = any(?::uuid[])")) {
            ps.setString(1, d.tenant);
            ps.setArray(2, c.createArrayOf("uuid", io.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    io.get(rs.getObject(1, UUID.class))["I".equals(rs.getString(2)) ? 0 : 1]
                            .add(new DatasetRef(rs.getString(3), rs.getString(4)));
                }
            }
        }
        List<JobVersion> out = new ArrayList<>(queued.size());
        for (JobVersion v : queued) {
            if (v.derived()) {
                out.add(v);
                continue;
            }
            TreeSet<DatasetRef>[] inOut = io.get(v.runId());
            out.add(jobVersionOf(d.tenant, v.jobId(), inOut[0], inOut[1], v.location(), v.runId()));
        }
        return out;
    }

    /** The job's version for this shape: its inputs, outputs and source location, named by a UUID made of them. */
    private JobVersion jobVersionOf(String tenant, long jobId, TreeSet<DatasetRef> in, TreeSet<DatasetRef> out, String location,
            UUID runId) {
        String inJson = refsJson(in);
        String outJson = refsJson(out);
        UUID version = UUID.nameUUIDFromBytes((tenant + "|" + jobId + "|" + inJson + "|" + outJson + "|" + location)
                .getBytes(StandardCharsets.UTF_8));
        return new JobVersion(jobId, version, location, inJson, outJson, runId);
    }

    /**
     * Writes job versions (each once), makes each job's last one in the list its current version
     * and each run's its job version, in one statement planned once: applying them one at a time
     * in order ends the same. The arrays list jobs and runs in id order. (Events are spread over the
     * writers by job, so two writers never update one job row or one run.)
     */
    private void writeJobVersions(Connection c, String tenant, List<JobVersion> versions) throws SQLException {
        Map<UUID, JobVersion> distinct = new java.util.LinkedHashMap<>();
        TreeMap<Long, UUID> jobCurrent = new TreeMap<>();
        TreeMap<UUID, UUID> runVersion = new TreeMap<>();
        for (JobVersion v : versions) {
            distinct.putIfAbsent(v.version(), v);
            jobCurrent.put(v.jobId(), v.version());
            if (v.runId() != null) { // a JobEvent: no run to point at the version
                runVersion.put(v.runId(), v.version());
            }
        }
        try (PreparedStatement ps = planned(c, "with v as (insert into lineage_job_version (tenant_id, job_id, version,"
                + " location, inputs, outputs) select ?, j, v, l, i::jsonb, o::jsonb"
                + " from unnest(?::bigint[], ?::uuid[], ?::text[], ?::text[], ?::text[]) as t(j, v, l, i, o) on conflict do nothing),"
                + " j as (update lineage_job x set current_version = u.v from unnest(?::bigint[], ?::uuid[]) as u(id, v)"
                + " where x.tenant_id = ? and x.id = u.id and x.current_version is distinct from u.v)"
                + " update lineage_run x set job_version = u.v from unnest(?::uuid[], ?::uuid[]) as u(id, v)"
                + " where x.tenant_id = ? and x.id = u.id")) {
            ps.setString(1, tenant);
            ps.setArray(2, c.createArrayOf("bigint", distinct.values().stream().map(JobVersion::jobId).toArray()));
            ps.setArray(3, c.createArrayOf("uuid", distinct.keySet().toArray()));
            ps.setArray(4, c.createArrayOf("text", distinct.values().stream().map(JobVersion::location).toArray()));
            ps.setArray(5, c.createArrayOf("text", distinct.values().stream().map(JobVersion::inputs).toArray()));
            ps.setArray(6, c.createArrayOf("text", distinct.values().stream().map(JobVersion::outputs).toArray()));
            ps.setArray(7, c.createArrayOf("bigint", jobCurrent.keySet().toArray()));
            ps.setArray(8, c.createArrayOf("uuid", jobCurrent.values().toArray()));
            ps.setString(9, tenant);
            ps.setArray(10, c.createArrayOf("uuid", runVersion.keySet().toArray()));
            ps.setArray(11, c.createArrayOf("uuid", runVersion.values().toArray()));
            ps.setString(12, tenant);
            ps.executeUpdate();
        }
    }

    /**
     * A statement PostgreSQL plans for its parameters at every execution (an unnamed statement)
     * instead of caching a generic plan. Used for the lookups by key on tables that also have an
     * index on {@code tenant_id} alone: a generic plan made while the table was small (or never
     * analysed, as where autovacuum is off) can pick the tenant index and then filter the whole
     * tenant's rows on every event, so ingestion slowed down as the tables grew.
     */
    private static PreparedStatement planned(Connection c, String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
        return ps;
    }

    /**
     * The datasets as a JSON array of {namespace, name}, in that key order: the text the job
     * version's UUID is made of. (It was a list of {@code Map.of}, whose iteration order is chosen
     * at random when the JVM starts, so the same job shape got another version after a restart half
     * of the time.)
     */
    private String refsJson(TreeSet<DatasetRef> refs) {
        com.fasterxml.jackson.databind.node.ArrayNode out = mapper.createArrayNode();
        refs.forEach(r -> out.addObject().put("namespace", r.namespace).put("name", r.name));
        return out.toString();
    }

    private TreeSet<DatasetRef> datasetRefs(List<JsonNode> inputs, List<JsonNode> outputs) {
        TreeSet<DatasetRef> refs = new TreeSet<>();
        inputs.forEach(i -> refs.add(ref(i)));
        for (JsonNode o : outputs) {
            refs.add(ref(o));
            o.path("facets").path("columnLineage").path("fields").forEach(spec -> spec.path("inputFields").forEach(in -> {
                if (in.path("namespace").isTextual() && in.path("name").isTextual()) {
                    refs.add(new DatasetRef(in.path("namespace").asText(), in.path("name").asText()));
                }
            }));
        }
        return refs;
    }

    /** Facets about this read or write (inputFacets/outputFacets); dataset facets live on the dataset version. */
    private static String ioFacets(JsonNode d, String ioFacets) {
        return d.path(ioFacets).isObject() ? d.path(ioFacets).toString() : "{}";
    }

    private static String string(Object o) {
        return o == null ? null : o.toString();
    }

    private ObjectNode mergedFacets(JsonNode d, String ioFacets) {
        ObjectNode merged = mapper.createObjectNode();
        if (d.path("facets").isObject()) {
            merged.setAll((ObjectNode) d.path("facets"));
        }
        if (d.path(ioFacets).isObject()) {
            merged.setAll((ObjectNode) d.path(ioFacets));
        }
        return merged;
    }

    /** Schema fields of the schema facet as Marquez lists them: name, type, description, tags. */
    private String fields(JsonNode d) {
        JsonNode schema = d.path("facets").path("schema").path("fields");
        if (!schema.isArray() || schema.isEmpty()) {
            return "[]";
        }
        // Written straight to a generator: building a tree first (or a list of maps through
        // valueToTree, before that) and serialising it was a tenth of the writer's CPU.
        java.io.StringWriter out = new java.io.StringWriter(64 * schema.size());
        try (com.fasterxml.jackson.core.JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (JsonNode f : schema) {
                g.writeStartObject();
                g.writeStringField("name", f.path("name").asText());
                g.writeStringField("type", text(f.path("type"))); // null is written as null
                g.writeArrayFieldStart("tags");
                g.writeEndArray();
                g.writeStringField("description", text(f.path("description")));
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String versionLabel(JsonNode d) {
        return text(d.path("facets").path("version").path("datasetVersion"));
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(out::add);
        }
        return out;
    }

    private static List<JsonNode> sortedByName(List<JsonNode> datasets) {
        List<JsonNode> sorted = new ArrayList<>(datasets);
        sorted.sort((a, b) -> ref(a).compareTo(ref(b)));
        return sorted;
    }

    private static DatasetRef ref(JsonNode d) {
        return new DatasetRef(d.path("namespace").asText(), d.path("name").asText());
    }

    private static String text(JsonNode n) {
        return n.isValueNode() && !n.isNull() ? n.asText() : null;
    }

    private static UUID uuid(JsonNode n) {
        try {
            return n.isTextual() ? UUID.fromString(n.asText()) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static OffsetDateTime timestamp(JsonNode n) {
        try {
            return n.isTextual() ? OffsetDateTime.parse(n.asText()) : null;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** Creates the rows of {@code table} (jobs or datasets) a group names that do not exist yet, in one statement. */
    private static void insertMissing(Connection c, String table, String tenant, Array ns, Array names) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into " + table + " (tenant_id, namespace, name)"
                + " select ?, n, m from unnest(?::text[], ?::text[]) as t(n, m) on conflict do nothing")) {
            ps.setString(1, tenant);
            ps.setArray(2, ns);
            ps.setArray(3, names);
            ps.executeUpdate();
        }
    }
}
