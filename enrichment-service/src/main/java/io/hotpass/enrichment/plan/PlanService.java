package io.hotpass.enrichment.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.platform.http.Cursors;
import io.hotpass.enrichment.client.ContractsClient;
import io.hotpass.enrichment.client.IngestClient;
import io.hotpass.enrichment.crawl.WebsiteResearch;
import io.hotpass.enrichment.registry.ReferenceRegistry;
import io.hotpass.enrichment.runner.RunDispatcher;
import io.hotpass.enrichment.runner.RunQueue;
import io.hotpass.enrichment.runner.RunSpec;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.http.ETags;
import io.hotpass.platform.outbox.Outbox;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/** Creates, reviews and commits plans. Callers run it inside a tenanted transaction. */
@ApplicationScoped
public class PlanService {

    private static final Logger LOG = Logger.getLogger(PlanService.class);

    static final String FIELD_PATTERN = "name|email|phone|website|street|city|province|country|registration_number";

    @Inject
    CallerContext callerContext;

    @Inject
    JsonWebToken jwt;

    @Inject
    IngestClient ingest;

    @Inject
    ContractsClient contracts;

    @Inject
    WebsiteResearch website;

    @Inject
    RunQueue runs;

    @Inject
    Event<RunDispatcher.Enqueued> enqueued;

    @Inject
    DataSource dataSource;

    @Inject
    Outbox outbox;

    @Inject
    ObjectMapper mapper;

    public EnrichmentPlan create(CreatePlanRequest req, UUID rebasedFrom) {
        String tenant = callerContext.tenant();
        List<PlanRunner.RegistrySource> registries = new ArrayList<>();
        boolean useWebsite = false;
        for (int i = 0; i < req.sources().size(); i++) {
            String s = req.sources().get(i);
            if (s.equals("website")) {
                if (!website.enabled()
                        || !io.hotpass.enrichment.setting.SettingsResource.networkResearch(dataSource, tenant)) {
                    throw new ProblemException(422, "network_research_disabled", "Network research is off",
                            "sources[" + i + "]: website research is switched off for this tenant or platform;"
                                    + " use registry sources")
                            .with("errors", List.of(Map.of("field", "sources[" + i + "]", "reason", "disabled")));
                }
                useWebsite = true;
                continue;
            }
            String name = s.substring("registry:".length());
            ReferenceRegistry r = ReferenceRegistry.find("tenantId = ?1 and name = ?2", tenant, name).firstResult();
            if (r == null) {
                throw new ProblemException(422, "unknown_registry", "Unknown registry",
                        "sources[" + i + "]: no registry named '" + name + "'")
                        .with("errors", List.of(Map.of("field", "sources[" + i + "]", "reason", "unknown registry")));
            }
            registries.add(new PlanRunner.RegistrySource(r.name, r.datasetId, List.of(r.matchOn),
                    r.reliability.doubleValue()));
        }
        ingest.requireVersion(req.datasetId(), req.version(), IngestClient.Credentials.bearer(jwt.getRawToken()));
        EnrichmentPlan p = new EnrichmentPlan();
        p.id = UUID.randomUUID();
        p.tenantId = tenant;
        p.kind = "enrichment";
        p.datasetId = req.datasetId();
        p.datasetVersion = req.version();
        p.fields = req.fields().stream().distinct().toArray(String[]::new);
        p.sources = req.sources().stream().distinct().toArray(String[]::new);
        p.status = "running";
        p.rebasedFrom = rebasedFrom;
        p.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        p.updatedAt = p.createdAt;
        p.createdBy = callerContext.subject();
        p.persist();
        p.flush(); // the run row references the plan row
        runs.enqueue(p.id, tenant, new RunSpec(registries, useWebsite));
        enqueued.fire(new RunDispatcher.Enqueued(p.id, jwt.getRawToken()));
        return p;
    }

    /** A merge plan: entity resolution over one dataset version, reviewed and committed like any plan. */
    public EnrichmentPlan createMerge(UUID datasetId, int version, UUID rebasedFrom) {
        String tenant = callerContext.tenant();
        ingest.requireVersion(datasetId, version, IngestClient.Credentials.bearer(jwt.getRawToken()));
        EnrichmentPlan p = new EnrichmentPlan();
        p.id = UUID.randomUUID();
        p.tenantId = tenant;
        p.kind = "merge";
        p.datasetId = datasetId;
        p.datasetVersion = version;
        p.fields = PlanRunner.MERGE_FIELDS.toArray(String[]::new);
        p.sources = new String[] {"entity-resolution"};
        p.status = "running";
        p.rebasedFrom = rebasedFrom;
        p.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        p.updatedAt = p.createdAt;
        p.createdBy = callerContext.subject();
        p.persist();
        p.flush(); // the run row references the plan row
        runs.enqueue(p.id, tenant, new RunSpec(List.of(), false));
        enqueued.fire(new RunDispatcher.Enqueued(p.id, jwt.getRawToken()));
        return p;
    }

    public int currentVersion(UUID datasetId) {
        return ingest.dataset(datasetId, IngestClient.Credentials.bearer(jwt.getRawToken())).currentVersion();
    }

    public EnrichmentPlan get(UUID id) {
        EnrichmentPlan p = EnrichmentPlan.find("tenantId = ?1 and id = ?2", callerContext.tenant(), id).firstResult();
        if (p == null) {
            throw ProblemException.notFound("plan_not_found", "No plan " + id);
        }
        return p;
    }

    /** Plan statuses a list may be filtered on. */
    static final java.util.Set<String> STATUSES = java.util.Set.of("running", "ready", "committed", "failed");

    /**
     * One page of the caller's tenant's plans, newest first, optionally of one dataset, status or
     * kind; the cursor is the last plan's creation time and id.
     */
    public List<EnrichmentPlan> list(UUID datasetId, String status, String kind, int limit, String cursor) {
        if (limit < 1 || limit > 200) {
            throw ProblemException.badRequest("limit", "must be between 1 and 200");
        }
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.badRequest("status", "must be one of " + new java.util.TreeSet<>(STATUSES));
        }
        if (kind != null && !kind.equals("enrichment") && !kind.equals("merge")) {
            throw ProblemException.badRequest("kind", "must be enrichment or merge");
        }
        StringBuilder q = new StringBuilder("tenantId = :tenant");
        Map<String, Object> params = new HashMap<>();
        params.put("tenant", callerContext.tenant());
        if (datasetId != null) {
            q.append(" and datasetId = :dataset");
            params.put("dataset", datasetId);
        }
        if (status != null) {
            q.append(" and status = :status");
            params.put("status", status);
        }
        if (kind != null) {
            q.append(" and kind = :kind");
            params.put("kind", kind);
        }
        if (cursor != null) {
            Object[] after = io.hotpass.platform.http.Cursors.decode(cursor, 2,
                    p -> new Object[] {OffsetDateTime.parse(p[0]), UUID.fromString(p[1])});
            q.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            params.put("at", after[0]);
            params.put("id", after[1]);
        }
        return EnrichmentPlan.<EnrichmentPlan>find(q.toString(),
                io.quarkus.panache.common.Sort.descending("createdAt", "id"), params).page(0, limit + 1).list();
    }

    private EnrichmentPlan lock(UUID id) {
        EnrichmentPlan p = EnrichmentPlan.find("tenantId = ?1 and id = ?2", callerContext.tenant(), id)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (p == null) {
            throw ProblemException.notFound("plan_not_found", "No plan " + id);
        }
        return p;
    }

    /** A page of the plan's changes in seq order. */
    public Map<String, Object> diff(UUID id, int limit, String cursor) {
        EnrichmentPlan p = get(id);
        int after = cursor == null ? 0 : decodeCursor(cursor);
        List<ChangeView> items = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select seq, row_id,"
                + " op, field, old_value, new_value, confidence, decision, evidence::text from plan_change"
                + " where tenant_id = ? and plan_id = ? and seq > ? order by seq limit ?")) {
            ps.setString(1, p.tenantId);
            ps.setObject(2, p.id);
            ps.setInt(3, after);
            ps.setInt(4, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(new ChangeView(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getBigDecimal(7), rs.getString(8),
                            mapper.readTree(rs.getString(9))));
                }
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("could not read the plan's changes", e);
        }
        String next = null;
        if (items.size() > limit) {
            items = items.subList(0, limit);
            next = Cursors.encode(items.get(limit - 1).seq());
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("plan", PlanView.of(p));
        page.put("items", items);
        page.put("nextCursor", next);
        return page;
    }

    private static int decodeCursor(String cursor) {
        return Cursors.decode(cursor, 1, p -> Integer.parseInt(p[0]));
    }

    /** Applies review decisions; the plan's ETag (revision) changes. */
    public EnrichmentPlan decide(UUID id, DecisionRequest req, String ifMatch) {
        EnrichmentPlan p = lock(id);
        ETags.checkIfMatch(ifMatch, p.etag(), false);
        requireReady(p);
        try (Connection c = dataSource.getConnection()) {
            if (req.decisions() != null) {
                try (PreparedStatement ps = c.prepareStatement("update plan_change set decision = ? where tenant_id = ?"
                        + " and plan_id = ? and seq = ?")) {
                    for (int i = 0; i < req.decisions().size(); i++) {
                        DecisionRequest.Decision d = req.decisions().get(i);
                        ps.setString(1, d.decision());
                        ps.setString(2, p.tenantId);
                        ps.setObject(3, p.id);
                        ps.setInt(4, d.seq());
                        if (ps.executeUpdate() == 0) {
                            throw ProblemException.badRequest("decisions[" + i + "].seq", "no change " + d.seq()
                                    + " in this plan");
                        }
                    }
                }
            }
            threshold(c, p, req.approveAbove(), "approved", ">=");
            threshold(c, p, req.rejectBelow(), "rejected", "<");
        } catch (SQLException e) {
            throw new IllegalStateException("could not record decisions", e);
        }
        p.revision++;
        p.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
        return p;
    }

    private static void threshold(Connection c, EnrichmentPlan p, BigDecimal t, String decision, String op)
            throws SQLException {
        if (t == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("update plan_change set decision = ? where tenant_id = ? and"
                + " plan_id = ? and decision = 'pending' and confidence " + op + " ?")) {
            ps.setString(1, decision);
            ps.setString(2, p.tenantId);
            ps.setObject(3, p.id);
            ps.setBigDecimal(4, t);
            ps.executeUpdate();
        }
    }

    private static void requireReady(EnrichmentPlan p) {
        switch (p.status) {
            case "ready" -> {
            }
            case "committed" -> throw new ProblemException(409, "plan_already_committed", "Plan already committed",
                    "Plan " + p.id + " was committed as version " + p.committedVersion)
                    .with("committedVersion", p.committedVersion);
            case "failed" -> throw new ProblemException(409, "plan_failed", "Plan failed",
                    "Plan " + p.id + " failed: " + p.errorCode);
            default -> throw new ProblemException(409, "plan_not_ready", "Plan not ready",
                    "Plan " + p.id + " is still being computed").header("Retry-After", "2");
        }
    }

    /** The approved changes of a plan: field values per row id (in seq order) and rows to delete. */
    record Approved(Map<String, Map<String, String>> upserts, List<String> deletes) {

        boolean isEmpty() {
            return upserts.isEmpty() && deletes.isEmpty();
        }

        /**
         * As ingest change-set items with only the approved fields: what contracts-service's what-if
         * takes. Upserts merge into the row there as at ingest, so this means the same as the
         * whole-row change set {@link #commit} sends.
         */
        List<Map<String, Object>> asChanges() {
            List<Map<String, Object>> changes = new ArrayList<>();
            upserts.forEach((rowId, values) -> changes.add(Map.of("op", "upsert", "rowId", rowId, "values", values)));
            deletes.forEach(rowId -> changes.add(Map.of("op", "delete", "rowId", rowId)));
            return changes;
        }
    }

    private Approved approved(EnrichmentPlan p) {
        Map<String, Map<String, String>> upserts = new LinkedHashMap<>();
        List<String> deletes = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select row_id, op,"
                + " field, new_value from plan_change where tenant_id = ? and plan_id = ? and decision = 'approved'"
                + " order by seq")) {
            ps.setString(1, p.tenantId);
            ps.setObject(2, p.id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(2).equals("delete")) {
                        deletes.add(rs.getString(1));
                    } else {
                        upserts.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(3),
                                rs.getString(4));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read approved changes", e);
        }
        return new Approved(upserts, deletes);
    }

    /**
     * The what-if of a plan's approved changes: the report contracts-service gives the plan's dataset
     * version with them applied, against the dataset's active contract. Nothing is committed or
     * recorded. {@code contractApplies} is false when the dataset has no active contract.
     */
    public Map<String, Object> whatIf(UUID id) {
        EnrichmentPlan p = get(id);
        requireReady(p);
        Approved approved = approved(p);
        ContractsClient.WhatIf w = contracts.whatIf(p.datasetId, p.datasetVersion, approved.asChanges(),
                IngestClient.Credentials.bearer(jwt.getRawToken()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("plan", PlanView.of(p));
        out.put("approvedChanges", approved.asChanges().size());
        out.put("contractApplies", w.applies());
        out.put("wouldBreakContract", w.breaksContract());
        out.put("failedErrors", w.failedErrors());
        out.put("failedWarnings", w.failedWarnings());
        out.put("report", w.report());
        return out;
    }

    /**
     * The failing error-severity expectations as the what-if's report has them, without samples (row
     * values stay behind GET /plans/{id}/what-if): id, kind, columns, failingCount, evaluated,
     * failingFraction and observed, where the report gives them.
     */
    static List<Map<String, Object>> failingErrors(ContractsClient.WhatIf verdict) {
        List<Map<String, Object>> out = new ArrayList<>();
        com.fasterxml.jackson.databind.JsonNode report = verdict.report();
        if (report == null) {
            return out;
        }
        for (com.fasterxml.jackson.databind.JsonNode e : report.path("expectations")) {
            if (e.path("success").asBoolean(true) || !"error".equals(e.path("severity").asText())) {
                continue;
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", e.path("id").asText());
            for (String k : List.of("kind", "columns", "failingCount", "evaluated", "failingFraction", "observed")) {
                if (e.hasNonNull(k)) {
                    one.put(k, e.get(k));
                }
            }
            out.add(one);
        }
        return out;
    }

    /**
     * Sends the approved changes to ingest-service as one change set with {@code If-Match} on the
     * plan's dataset version. The plan row stays locked throughout, so one plan commits at most once;
     * ingest's own precondition makes a retry after a lost answer a 412, never a second version.
     *
     * <p>First the approved changes are checked by contracts-service's what-if validation. When an
     * error-severity expectation of the dataset's contract would fail, the commit is refused (422
     * {@code would_break_contract}) unless {@code override} is set; an override is recorded (who,
     * when, which expectations) on the commit's lineage event and in the answer. No contract: the
     * commit goes ahead. No verdict (contracts-service unreachable): 503, nothing is committed.
     */
    public EnrichmentPlan commit(UUID id, String ifMatch, boolean override) {
        EnrichmentPlan p = lock(id);
        requireReady(p);
        String planEtag = ETags.strong("v" + p.datasetVersion);
        ETags.checkIfMatch(ifMatch, planEtag, true);
        Approved approved = approved(p);
        Map<String, Map<String, String>> upserts = approved.upserts();
        List<String> deletes = approved.deletes();
        if (approved.isEmpty()) {
            throw new ProblemException(422, "no_approved_changes", "Nothing to commit",
                    "Approve at least one change (PATCH /plans/" + id + ") before committing");
        }
        IngestClient.Credentials caller = IngestClient.Credentials.bearer(jwt.getRawToken());
        ContractsClient.WhatIf verdict = contracts.whatIf(p.datasetId, p.datasetVersion, approved.asChanges(), caller);
        if (verdict.breaksContract()) {
            if (!override) {
                throw new ProblemException(422, "would_break_contract", "Would break the dataset's contract",
                        "Committing plan " + id + " would fail " + verdict.failedErrors().size()
                                + " error-severity expectation(s) of contract '" + verdict.contractName() + "' "
                                + verdict.contractVersion() + ": " + String.join(", ", verdict.failedErrors())
                                + ". See GET /plans/" + id + "/what-if; fix the approvals, or commit with"
                                + " ?override=true to commit anyway")
                        .with("expectations", verdict.failedErrors())
                        .with("failing", failingErrors(verdict))
                        .with("contract", Map.of("name", String.valueOf(verdict.contractName()), "version",
                                String.valueOf(verdict.contractVersion())));
            }
            p.overrideContract(new PlanView.ContractOverride(callerContext.subject(),
                    OffsetDateTime.now(ZoneOffset.UTC), verdict.contractName(), verdict.contractVersion(),
                    verdict.failedErrors()));
            LOG.warnf("Plan %s committed over contract '%s' %s by %s; failing: %s", p.id, verdict.contractName(),
                    verdict.contractVersion(), callerContext.subject(), verdict.failedErrors());
        }
        // Upserts carry the whole row (current values overlaid with the approved changes), so the
        // change set means the same whether ingest merges or replaces a row's values.
        Map<String, Map<String, Object>> full = new LinkedHashMap<>();
        ingest.rows(p.datasetId, p.datasetVersion, caller, row -> {
            String rowId = String.valueOf(row.get("_rowId"));
            Map<String, String> changed = upserts.get(rowId);
            if (changed != null) {
                Map<String, Object> values = new LinkedHashMap<>(row);
                // Keys starting with '_' are ingest's own (_rowId, _flags), not profile fields.
                values.keySet().removeIf(k -> k.startsWith("_"));
                values.putAll(changed);
                full.put(rowId, values);
            }
        });
        List<Map<String, Object>> changes = new ArrayList<>();
        full.forEach((rowId, values) -> changes.add(Map.of("op", "upsert", "rowId", rowId, "values", values)));
        deletes.forEach(rowId -> changes.add(Map.of("op", "delete", "rowId", rowId)));
        Map<String, Object> changeSet = Map.of("changes", changes,
                "source", Map.of("kind", p.kind.equals("merge") ? "merge-plan" : "enrichment-plan", "ref",
                        p.id.toString()));
        IngestClient.CommitResult result = ingest.commit(p.datasetId, planEtag, changeSet, caller);
        if (result.preconditionFailed()) {
            throw new ProblemException(412, "precondition_failed", "Precondition failed",
                    "Dataset " + p.datasetId + " moved on since version " + p.datasetVersion
                            + "; rebase the plan (POST /plans/" + id + "/rebase) and review it again")
                    .with("currentEtag", result.currentEtag() == null ? "unknown" : result.currentEtag());
        }
        p.status = "committed";
        p.committedVersion = result.newVersion();
        p.revision++;
        p.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
        String datasetName = ingest.dataset(p.datasetId, caller).name();
        outbox.enqueue("lineage", "RunEvent", p.tenantId, LineageEvents.planCommitted(p, datasetName, changes.size(),
                p.contractOverride()));
        return p;
    }
}
