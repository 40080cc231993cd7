package io.hotpass.enrichment.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.enrichment.client.IngestClient;
import io.hotpass.enrichment.crawl.WebsiteResearch;
import io.hotpass.enrichment.evidence.Candidate;
import io.hotpass.enrichment.evidence.ConfidenceModel;
import io.hotpass.enrichment.evidence.Evidence;
import io.hotpass.enrichment.resolution.NameNormaliser;
import io.hotpass.enrichment.resolution.OrgNormaliser;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.tenancy.TenantSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Computes one attempt of an enrichment or merge plan, as claimed from the run queue
 * ({@link io.hotpass.enrichment.runner.RunQueue}) by a launcher (in this process or in a Kubernetes
 * Job): indexes each registry's current version, streams the dataset version's rows, gathers
 * candidates per requested field from registries and (when enabled) the row's website, scores them
 * with {@link ConfidenceModel}, and stores a change wherever the best value differs from the
 * current one. Progress is written as it goes; a failure marks the plan failed with a code. Every
 * write is fenced by the attempt: once the run's lease was lost (and the plan claimed again) nothing
 * more of this attempt is stored ({@link LeaseLostException}).
 */
@ApplicationScoped
public class PlanRunner {

    private static final Logger LOG = Logger.getLogger(PlanRunner.class);
    private static final int BATCH = 500;

    /** A registry as a plan run uses it. */
    public record RegistrySource(String name, UUID datasetId, List<String> matchOn, double reliability) {
    }

    /** Everything a run needs: the plan, its sources and the attempt that fences its writes. */
    public record Job(UUID planId, String tenant, int attempt, UUID datasetId, int version, List<String> fields,
            List<RegistrySource> registries, boolean website, IngestClient.Credentials credentials) {
    }

    /** The run's lease was lost: the plan was claimed again, so this attempt stops and stores nothing. */
    public static final class LeaseLostException extends RuntimeException {
        public LeaseLostException(UUID planId, int attempt) {
            super("plan " + planId + ": attempt " + attempt + " no longer holds the run's lease");
        }

        LeaseLostException(String message) {
            super(message);
        }
    }

    /** Attempts asked to stop (their lease was lost); checked between rows. */
    private final java.util.Set<String> stopRequested = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Asks a running attempt to stop at its next row (an interrupt alone may be swallowed by a blocking read). */
    public void requestStop(UUID planId, int attempt) {
        stopRequested.add(planId + "/" + attempt);
    }

    /** Forgets a stop request once the attempt has ended. */
    public void clearStop(UUID planId, int attempt) {
        stopRequested.remove(planId + "/" + attempt);
    }

    /**
     * Between rows: an attempt asked to stop (its lease was lost, or the process is stopping) ends
     * here instead of reading the rest of the dataset; it records nothing.
     */
    private void checkStop(UUID planId, int attempt) {
        if (stopping || stopRequested.contains(planId + "/" + attempt) || Thread.currentThread().isInterrupted()) {
            throw new LeaseLostException("plan " + planId + ": attempt " + attempt + " was stopped (lease lost or"
                    + " shutdown)");
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    IngestClient ingest;

    @Inject
    WebsiteResearch website;

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "hotpass.enrichment.registry.max-rows", defaultValue = "500000")
    int registryMaxRows;

    @ConfigProperty(name = "hotpass.enrichment.phone-region", defaultValue = "ZA")
    String region;

    @ConfigProperty(name = "hotpass.enrichment.runners.lease", defaultValue = "PT60S")
    java.time.Duration lease;

    private final ConfidenceModel confidence = new ConfidenceModel();
    private volatile boolean stopping;

    /** The process is shutting down: runs end without recording a failure, so they are claimed again. */
    public void stopping() {
        stopping = true;
    }

    /** A merge plan run: entity resolution over one dataset version. */
    public record MergeJob(UUID planId, String tenant, int attempt, UUID datasetId, int version,
            IngestClient.Credentials credentials) {
    }

    @ConfigProperty(name = "hotpass.enrichment.resolution.max-rows", defaultValue = "1000000")
    int resolutionMaxRows;

    /** Fields a merge fills on the surviving row from its duplicates when the survivor lacks them. */
    static final List<String> MERGE_FIELDS = List.of("name", "email", "phone", "website", "street", "city", "province",
            "country", "registration_number");

    /**
     * Resolves the version's rows into clusters and proposes, per cluster, to keep the most complete
     * row (filling its blank fields from the others) and delete the rest. Two passes over the rows:
     * the first keeps only the compared fields, the second only the clustered rows.
     */
    public void runMerge(MergeJob job) {
        try {
            List<io.hotpass.enrichment.resolution.OrgRecord> records = orgRecords(job.datasetId(), job.version(),
                    job.credentials(), job.planId(), job.attempt());
            var result = new io.hotpass.enrichment.resolution.EntityResolver(
                    io.hotpass.enrichment.resolution.ResolutionSettings.defaults()).resolve(records);
            Map<String, Integer> clusterOf = new HashMap<>();
            for (int c = 0; c < result.clusters().size(); c++) {
                for (String id : result.clusters().get(c).recordIds()) {
                    clusterOf.put(id, c);
                }
            }
            Map<String, Map<String, Object>> rows = new HashMap<>();
            if (!clusterOf.isEmpty()) {
                ingest.rows(job.datasetId(), job.version(), job.credentials(), row -> {
                    checkStop(job.planId(), job.attempt());
                    String id = String.valueOf(row.get("_rowId"));
                    if (clusterOf.containsKey(id)) {
                        rows.put(id, row);
                    }
                });
            }
            List<Object[]> pending = new ArrayList<>();
            int seq = 0;
            for (var cluster : result.clusters()) {
                List<String> ids = cluster.recordIds();
                String survivor = ids.get(0);
                for (String id : ids) {
                    if (filled(rows.get(id)) > filled(rows.get(survivor))) {
                        survivor = id;
                    }
                }
                double confidence = cluster.links().stream().mapToDouble(l -> l.probability()).min().orElse(0);
                Map<String, Object> evidence = new java.util.LinkedHashMap<>();
                evidence.put("kind", "entity-resolution");
                evidence.put("cluster", ids);
                evidence.put("survivor", survivor);
                evidence.put("why", "kept the row with the most filled fields; links below, weights in bits");
                evidence.put("links", cluster.links());
                String evidenceJson = json(List.of(evidence));
                Map<String, Object> keep = rows.getOrDefault(survivor, Map.of());
                for (String field : MERGE_FIELDS) {
                    if (blank(keep.get(field))) {
                        for (String id : ids) {
                            Map<String, Object> other = rows.getOrDefault(id, Map.of());
                            Object v = other.get(field);
                            // A value ingest kept raw and flagged (e.g. an unparseable phone) is no fill.
                            if (!id.equals(survivor) && !blank(v) && !flagged(other, field)) {
                                pending.add(new Object[] {++seq, survivor, field, null, v.toString(), confidence,
                                        evidenceJson, "upsert"});
                                break;
                            }
                        }
                    }
                }
                for (String id : ids) {
                    if (!id.equals(survivor)) {
                        Object name = rows.getOrDefault(id, Map.of()).get("name");
                        pending.add(new Object[] {++seq, id, null, name == null ? null : name.toString(),
                                "merged into " + survivor, confidence, evidenceJson, "delete"});
                    }
                }
            }
            flush(job.planId(), job.tenant(), job.attempt(), pending, records.size(), "ready");
        } catch (LeaseLostException e) {
            LOG.warnf("merge plan %s: %s; stopped", job.planId(), e.getMessage());
        } catch (ProblemException e) {
            fail(job.planId(), job.tenant(), job.attempt(), e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "merge plan %s failed", job.planId());
            fail(job.planId(), job.tenant(), job.attempt(), "internal", "The merge plan could not be computed");
        }
    }

    /**
     * The compared fields of every row of a dataset version, as entity resolution reads them; at most
     * {@code hotpass.enrichment.resolution.max-rows} (else 422 {@code dataset_too_large}).
     */
    private List<io.hotpass.enrichment.resolution.OrgRecord> orgRecords(UUID datasetId, int version,
            IngestClient.Credentials credentials, UUID planId, int attempt) {
        List<io.hotpass.enrichment.resolution.OrgRecord> records = new ArrayList<>();
        ingest.rows(datasetId, version, credentials, row -> {
            checkStop(planId, attempt);
            if (records.size() >= resolutionMaxRows) {
                throw new ProblemException(422, "dataset_too_large", "Dataset too large",
                        "entity resolution holds at most " + resolutionMaxRows + " rows");
            }
            records.add(io.hotpass.enrichment.resolution.OrgRecord.fromRow(String.valueOf(row.get("_rowId")), row));
        });
        return records;
    }

    /** Whether ingest flagged this field of the row as kept raw ({@code _flags: ["phone:invalid_phone"]}). */
    static boolean flagged(Map<String, Object> row, String field) {
        Object flags = row.get("_flags");
        if (flags instanceof java.util.Collection<?> list) {
            for (Object f : list) {
                if (f != null && f.toString().startsWith(field + ":")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean blank(Object v) {
        return v == null || v.toString().isBlank();
    }

    private static int filled(Map<String, Object> row) {
        if (row == null) {
            return -1;
        }
        int n = 0;
        for (String f : MERGE_FIELDS) {
            if (!blank(row.get(f))) {
                n++;
            }
        }
        return n;
    }

    public void run(Job job) {
        try {
            List<Index> indexes = new ArrayList<>();
            for (RegistrySource r : job.registries()) {
                indexes.add(index(r, job.credentials()));
            }
            if (indexes.stream().anyMatch(Index::resolves)) {
                link(job, indexes);
            }
            Map<String, Double> reliability = new HashMap<>();
            for (RegistrySource r : job.registries()) {
                reliability.put("registry:" + r.name(), r.reliability());
            }
            List<Object[]> pending = new ArrayList<>();
            long[] rows = {0};
            int[] seq = {0};
            OrgNormaliser normaliser = new OrgNormaliser(region);
            ingest.rows(job.datasetId(), job.version(), job.credentials(), row -> {
                checkStop(job.planId(), job.attempt());
                String rowId = String.valueOf(row.get("_rowId"));
                List<Candidate> candidates = new ArrayList<>();
                for (Index idx : indexes) {
                    candidates.addAll(idx.candidates(row, job.fields(), normaliser));
                }
                if (job.website()) {
                    try {
                        Object site = row.get("website");
                        candidates.addAll(website.research(site == null ? null : site.toString()).candidates());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted");
                    }
                }
                for (String field : job.fields()) {
                    List<ConfidenceModel.ScoredValue> scored = confidence.score(field, candidates, reliability);
                    if (scored.isEmpty()) {
                        continue;
                    }
                    ConfidenceModel.ScoredValue best = scored.get(0);
                    Object old = row.get(field);
                    String oldValue = old == null ? null : old.toString();
                    if (oldValue != null && ConfidenceModel.key(field, oldValue).equals(ConfidenceModel.key(field,
                            best.value()))) {
                        continue;
                    }
                    pending.add(new Object[] {++seq[0], rowId, field, oldValue, best.value(), best.confidence(),
                            json(best.evidence()), "upsert"});
                }
                rows[0]++;
                if (pending.size() >= BATCH || rows[0] % 200 == 0) {
                    flush(job, pending, rows[0], null);
                }
            });
            flush(job, pending, rows[0], "ready");
        } catch (LeaseLostException e) {
            LOG.warnf("plan %s: %s; stopped", job.planId(), e.getMessage());
        } catch (ProblemException e) {
            fail(job, e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "plan %s failed", job.planId());
            fail(job, "internal", "The plan could not be computed");
        }
    }

    /** Writes pending changes and progress in one transaction; {@code status} ends the run. */
    private void flush(Job job, List<Object[]> pending, long rowsDone, String status) {
        flush(job.planId(), job.tenant(), job.attempt(), pending, rowsDone, status);
    }

    /**
     * Renews the run's lease for this attempt (and, with {@code done}, closes the run) inside the
     * caller's transaction; throws {@link LeaseLostException} when the attempt no longer holds it.
     */
    private void fence(Connection c, UUID planId, int attempt, boolean done) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update plan_run set lease_expires_at = now() + ?::interval,"
                + " state = case when ? then 'done' else state end, finished_at = case when ? then now() else"
                + " finished_at end where plan_id = ? and state = 'running' and attempts = ?")) {
            ps.setString(1, lease.toMillis() + " milliseconds");
            ps.setBoolean(2, done);
            ps.setBoolean(3, done);
            ps.setObject(4, planId);
            ps.setInt(5, attempt);
            if (ps.executeUpdate() == 0) {
                c.rollback();
                throw new LeaseLostException(planId, attempt);
            }
        }
    }

    private void flush(UUID planId, String tenant, int attempt, List<Object[]> pending, long rowsDone, String status) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            TenantSession.apply(c, tenant);
            fence(c, planId, attempt, status != null);
            try (PreparedStatement ps = c.prepareStatement("insert into plan_change (tenant_id, plan_id, seq, row_id,"
                    + " op, field, old_value, new_value, confidence, evidence) values (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?::jsonb)")) {
                for (Object[] p : pending) {
                    ps.setString(1, tenant);
                    ps.setObject(2, planId);
                    ps.setInt(3, (Integer) p[0]);
                    ps.setString(4, (String) p[1]);
                    ps.setString(5, (String) p[7]);
                    ps.setString(6, (String) p[2]);
                    ps.setString(7, (String) p[3]);
                    ps.setString(8, (String) p[4]);
                    ps.setDouble(9, Math.min(1.0, Math.round((Double) p[5] * 1000) / 1000.0));
                    ps.setString(10, (String) p[6]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("update enrichment_plan set rows_done = ?, changes_count ="
                    + " changes_count + ?, status = coalesce(?, status), rows_total = case when ? is null then"
                    + " rows_total else ? end, updated_at = now() where tenant_id = ? and id = ?")) {
                ps.setLong(1, rowsDone);
                ps.setInt(2, pending.size());
                ps.setString(3, status);
                ps.setString(4, status);
                ps.setLong(5, rowsDone);
                ps.setString(6, tenant);
                ps.setObject(7, planId);
                ps.executeUpdate();
            }
            c.commit();
            pending.clear();
        } catch (SQLException e) {
            throw new IllegalStateException("could not store plan progress", e);
        }
    }

    private void fail(Job job, String code, String detail) {
        fail(job.planId(), job.tenant(), job.attempt(), code, detail);
    }

    /** Fails the plan for this attempt, dropping the changes it had stored: a failed plan holds no half diff. */
    public void fail(UUID planId, String tenant, int attempt, String code, String detail) {
        if (stopping) {
            LOG.infof("plan %s: attempt %d stopped by shutdown (%s); not recorded as a failure", planId, attempt, code);
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            TenantSession.apply(c, tenant);
            fence(c, planId, attempt, true);
            try (PreparedStatement ps = c.prepareStatement("delete from plan_change where tenant_id = ? and plan_id = ?")) {
                ps.setString(1, tenant);
                ps.setObject(2, planId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("update enrichment_plan set status = 'failed', error_code = ?, changes_count = 0,"
                    + " error_detail = ?, updated_at = now() where tenant_id = ? and id = ?")) {
                ps.setString(1, code);
                ps.setString(2, detail);
                ps.setString(3, tenant);
                ps.setObject(4, planId);
                ps.executeUpdate();
            }
            c.commit();
        } catch (LeaseLostException e) {
            LOG.warnf("plan %s: %s; its failure (%s) is not recorded", planId, e.getMessage(), code);
        } catch (SQLException e) {
            LOG.errorf(e, "plan %s: could not record failure", planId);
        }
    }

    /** The plan's status as its tenant sees it (null when there is no such plan). */
    public String status(UUID planId, String tenant) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            TenantSession.apply(c, tenant);
            try (PreparedStatement ps = c.prepareStatement("select status from enrichment_plan where id = ?")) {
                ps.setObject(1, planId);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    String status = rs.next() ? rs.getString(1) : null;
                    c.commit();
                    return status;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read plan " + planId, e);
        }
    }

    private String json(Object o) {
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One registry's rows, indexed by each of its match keys (values matching more than one row are
     * ambiguous); a registry that matches on {@code resolved} also keeps its rows by id for record
     * linkage ({@link #link}).
     */
    private Index index(RegistrySource r, IngestClient.Credentials credentials) {
        IngestClient.Dataset d = ingest.dataset(r.datasetId(), credentials);
        Instant readAt = Instant.now();
        OrgNormaliser normaliser = new OrgNormaliser(region);
        Map<String, List<Map<String, Object>>> byKey = new HashMap<>();
        boolean resolves = r.matchOn().contains(RESOLVED);
        Map<String, Map<String, Object>> byId = resolves ? new HashMap<>() : null;
        long[] count = {0};
        ingest.rows(r.datasetId(), d.currentVersion(), credentials, row -> {
            if (++count[0] > registryMaxRows) {
                throw new ProblemException(422, "registry_too_large", "Registry too large",
                        "registry " + r.name() + " has more than " + registryMaxRows + " rows");
            }
            for (String key : r.matchOn()) {
                String k = matchKey(key, row.get(key), normaliser);
                if (k != null) {
                    byKey.computeIfAbsent(key + "\u0000" + k, x -> new ArrayList<>(1)).add(row);
                }
            }
            if (resolves) {
                byId.put(String.valueOf(row.get("_rowId")), row);
            }
        });
        return new Index(r, d.currentVersion(), readAt, byKey, byId);
    }

    /** The match key that links rows to a registry by entity resolution rather than one equal value. */
    public static final String RESOLVED = "resolved";

    /**
     * Record linkage for the registries that match on {@code resolved}: reads the dataset version's
     * compared fields once and links each row to at most one registry row with the Fellegi-Sunter
     * model of entity resolution, estimated on this dataset–registry pair
     * ({@link io.hotpass.enrichment.resolution.EntityResolver#link}).
     */
    private void link(Job job, List<Index> indexes) {
        List<io.hotpass.enrichment.resolution.OrgRecord> records = orgRecords(job.datasetId(), job.version(),
                job.credentials(), job.planId(), job.attempt());
        var settings = io.hotpass.enrichment.resolution.ResolutionSettings.defaults();
        for (Index idx : indexes) {
            if (idx.resolves()) {
                List<io.hotpass.enrichment.resolution.OrgRecord> reference = new ArrayList<>(idx.byId.size());
                idx.byId.forEach((id, row) -> reference.add(io.hotpass.enrichment.resolution.OrgRecord.fromRow(id, row)));
                var result = new io.hotpass.enrichment.resolution.EntityResolver(settings).link(records, reference);
                idx.links = result.links();
                LOG.infof("plan %s: registry %s linked %d of %d rows by entity resolution (%d pairs compared, %d"
                        + " ambiguous)", job.planId(), idx.source.name(), result.links().size(), records.size(),
                        result.pairsCompared(), result.ambiguous());
            }
        }
    }

    static String matchKey(String key, Object value, OrgNormaliser normaliser) {
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        String v = value.toString();
        return switch (key) {
            case "registration_number" -> OrgNormaliser.registration(v);
            case "name" -> NameNormaliser.normalise(v);
            case "email" -> v.strip().toLowerCase(Locale.ROOT);
            case "phone" -> normaliser.phone(v);
            case "website" -> OrgNormaliser.websiteHost(v);
            default -> null;
        };
    }

    private final class Index {
        final RegistrySource source;
        final int version;
        final Instant readAt;
        final Map<String, List<Map<String, Object>>> byKey;
        /** Registry rows by id, when the registry matches on {@code resolved}; otherwise null. */
        final Map<String, Map<String, Object>> byId;
        /** Dataset row id → the registry row linked to it by entity resolution. */
        Map<String, io.hotpass.enrichment.resolution.ResolutionResult.Link> links = Map.of();

        Index(RegistrySource source, int version, Instant readAt, Map<String, List<Map<String, Object>>> byKey,
                Map<String, Map<String, Object>> byId) {
            this.source = source;
            this.version = version;
            this.readAt = readAt;
            this.byKey = byKey;
            this.byId = byId;
        }

        boolean resolves() {
            return byId != null;
        }

        /** The registry row linked to this dataset row by entity resolution, and how strongly. */
        private Map<String, Object> linked(Map<String, Object> row, StringBuilder why) {
            var link = links.get(String.valueOf(row.get("_rowId")));
            if (link == null) {
                return null;
            }
            why.append(String.format(Locale.ROOT, " (linked by entity resolution: match probability %.4f, weight %.1f"
                    + " bits)", link.probability(), link.weight()));
            return byId.get(link.right());
        }

        /**
         * The registry row that matches this row on the first match key that matches exactly one
         * row — unless both carry a registration number and the numbers differ: then a name (or
         * email, phone, website) match is another organisation of a similar name, and not used. The
         * key {@code resolved} takes the registry row entity resolution linked to this row.
         */
        List<Candidate> candidates(Map<String, Object> row, List<String> fields, OrgNormaliser normaliser) {
            for (String key : source.matchOn()) {
                StringBuilder why = new StringBuilder();
                Map<String, Object> match;
                if (key.equals(RESOLVED)) {
                    match = linked(row, why);
                    if (match == null) {
                        continue;
                    }
                } else {
                    String k = matchKey(key, row.get(key), normaliser);
                    List<Map<String, Object>> hits = k == null ? null : byKey.get(key + "\u0000" + k);
                    if (hits == null || hits.size() != 1) {
                        continue;
                    }
                    match = hits.get(0);
                }
                // A resolved link has weighed a differing registration number already (strongly against);
                // what still links is most likely a mistyped number, which the registry's value corrects.
                if (!key.equals("registration_number") && !key.equals(RESOLVED)
                        && registrationsDisagree(row, match, normaliser)) {
                    continue;
                }
                String ref = "registry:" + source.name() + "@" + source.datasetId() + "/v" + version + "#"
                        + match.get("_rowId");
                String sha = sha256(json(match));
                List<Candidate> out = new ArrayList<>();
                for (String field : fields) {
                    Object v = match.get(field);
                    // A value ingest kept raw and flagged (an invalid phone) is no evidence for anything.
                    if (v != null && !v.toString().isBlank() && !flagged(match, field)) {
                        out.add(new Candidate(field, v.toString().strip(), new Evidence("registry", ref, readAt, sha,
                                "registry-" + key, field + " = " + v + why)));
                    }
                }
                return out;
            }
            return List.of();
        }
    }

    /** Both rows name a registration number, and they are not the same number. */
    static boolean registrationsDisagree(Map<String, Object> row, Map<String, Object> match, OrgNormaliser normaliser) {
        String mine = matchKey("registration_number", row.get("registration_number"), normaliser);
        String theirs = matchKey("registration_number", match.get("registration_number"), normaliser);
        return mine != null && theirs != null && !mine.equals(theirs);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
