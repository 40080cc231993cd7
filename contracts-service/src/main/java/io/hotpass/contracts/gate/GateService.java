package io.hotpass.contracts.gate;

import io.hotpass.contracts.client.IngestClient;
import io.hotpass.contracts.contract.ContractService;
import io.hotpass.contracts.contract.ContractVersion;
import io.hotpass.contracts.engine.ExpectationResult;
import io.hotpass.contracts.validation.ValidationStore;
import io.hotpass.contracts.validation.ValidationView;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.tenancy.Tenanted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The publish gate, contract coverage and exemptions. */
@ApplicationScoped
public class GateService {

    @Inject
    IngestClient ingest;

    @Inject
    ValidationStore validations;

    @Inject
    ContractService contracts;

    @Inject
    CallerContext callerContext;

    @Inject
    EntityManager em;

    @Inject
    JsonWebToken jwt;

    public record Reason(String code, String detail) {
    }

    public record Gate(UUID datasetId, int version, boolean pass, List<Reason> reasons, UUID validationId) {
    }

    public record Exemption(String dataset, String reason, OffsetDateTime createdAt, String createdBy) {
    }

    public record CoverageItem(UUID datasetId, String dataset, boolean covered, boolean exempt, String contract,
            String contractVersion) {
    }

    public record Coverage(int datasets, int covered, int exempt, double percent, List<CoverageItem> items) {
    }

    /**
     * Whether a version may be published: the newest finished validation of that version passed (or
     * only warned) against the dataset's contract. Without a contract: {@code no_contract}, a fail
     * unless the dataset is exempt.
     */
    public Gate gate(UUID datasetId, int version) {
        String token = jwt.getRawToken();
        IngestClient.Dataset ds = ingest.dataset(datasetId, token);
        ingest.version(datasetId, version, token);
        return decide(ds, version);
    }

    @Transactional
    @Tenanted
    Gate decide(IngestClient.Dataset ds, int version) {
        List<Reason> reasons = new ArrayList<>();
        ContractVersion active = contracts.activeForDataset(ds.name());
        if (active == null) {
            Exemption ex = exemption(ds.name());
            if (ex != null) {
                reasons.add(new Reason("exempt", "dataset '" + ds.name() + "' is exempt from contracts: " + ex.reason()));
                return new Gate(ds.id(), version, true, reasons, null);
            }
            reasons.add(new Reason("no_contract", "dataset '" + ds.name() + "' has no active contract"));
            return new Gate(ds.id(), version, false, reasons, null);
        }
        ValidationView run = validations.latestFinished(ds.id(), version);
        if (run == null) {
            reasons.add(new Reason("not_validated", "version " + version + " has not been validated against contract '"
                    + active.name + "' " + active.version));
            return new Gate(ds.id(), version, false, reasons, null);
        }
        if (!run.contract().id().equals(active.id)) {
            reasons.add(new Reason("contract_changed", "the last validation used " + run.contract().name() + " "
                    + run.contract().version() + "; the active contract is now " + active.name + " " + active.version));
            return new Gate(ds.id(), version, false, reasons, run.id());
        }
        if ("error".equals(run.status())) {
            reasons.add(new Reason("validation_error", "the last validation did not finish: " + run.error()));
            return new Gate(ds.id(), version, false, reasons, run.id());
        }
        for (ExpectationResult r : run.expectations()) {
            if (!r.success()) {
                reasons.add(new Reason("error".equals(r.severity()) ? "expectation_failed" : "expectation_warned",
                        r.id() + ": " + r.detail()));
            }
        }
        return new Gate(ds.id(), version, !"failed".equals(run.status()), reasons, run.id());
    }

    public Coverage coverage() {
        List<IngestClient.Dataset> all = ingest.datasets(jwt.getRawToken());
        return coverage(all);
    }

    @Transactional
    @Tenanted
    Coverage coverage(List<IngestClient.Dataset> all) {
        Map<String, ContractVersion> active = new HashMap<>();
        for (ContractVersion c : contracts.active()) {
            active.put(c.dataset, c);
        }
        Map<String, Exemption> exempt = new HashMap<>();
        for (Exemption e : exemptions()) {
            exempt.put(e.dataset(), e);
        }
        List<CoverageItem> items = new ArrayList<>();
        int covered = 0;
        int exempted = 0;
        for (IngestClient.Dataset d : all) {
            ContractVersion c = active.get(d.name());
            boolean ex = exempt.containsKey(d.name());
            covered += c != null ? 1 : 0;
            exempted += c == null && ex ? 1 : 0;
            items.add(new CoverageItem(d.id(), d.name(), c != null, ex, c == null ? null : c.name, c == null ? null : c.version));
        }
        double pct = all.isEmpty() ? 100.0 : Math.round(covered * 10000.0 / all.size()) / 100.0;
        return new Coverage(all.size(), covered, exempted, pct, items);
    }

    @Transactional
    @Tenanted
    public Exemption exempt(String dataset, String reason) {
        em.createNativeQuery("insert into contract_exemption (tenant_id, dataset, reason, created_by) values (?1, ?2, ?3, ?4)"
                + " on conflict (tenant_id, dataset) do update set reason = excluded.reason")
                .setParameter(1, callerContext.tenant()).setParameter(2, dataset).setParameter(3, reason)
                .setParameter(4, callerContext.subject()).executeUpdate();
        return exemption(dataset);
    }

    @Transactional
    @Tenanted
    public void unexempt(String dataset) {
        int n = em.createNativeQuery("delete from contract_exemption where tenant_id = ?1 and dataset = ?2")
                .setParameter(1, callerContext.tenant()).setParameter(2, dataset).executeUpdate();
        if (n == 0) {
            throw ProblemException.notFound("exemption_not_found", "Dataset '" + dataset + "' is not exempt");
        }
    }

    @Transactional
    @Tenanted
    public List<Exemption> exemptions() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select dataset, reason, created_at, created_by from contract_exemption"
                + " where tenant_id = ?1 order by dataset").setParameter(1, callerContext.tenant()).getResultList();
        return rows.stream().map(GateService::exemption).toList();
    }

    private Exemption exemption(String dataset) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select dataset, reason, created_at, created_by from contract_exemption"
                + " where tenant_id = ?1 and dataset = ?2").setParameter(1, callerContext.tenant()).setParameter(2, dataset)
                .getResultList();
        return rows.isEmpty() ? null : exemption(rows.get(0));
    }

    private static Exemption exemption(Object[] r) {
        Object at = r[2];
        OffsetDateTime t = at instanceof OffsetDateTime o ? o : at instanceof java.time.Instant i
                ? i.atOffset(java.time.ZoneOffset.UTC) : at instanceof java.sql.Timestamp ts
                ? ts.toInstant().atOffset(java.time.ZoneOffset.UTC) : null;
        return new Exemption((String) r[0], (String) r[1], t, (String) r[3]);
    }
}
