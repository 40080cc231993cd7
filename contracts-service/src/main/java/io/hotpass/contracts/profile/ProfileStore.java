package io.hotpass.contracts.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.contracts.spec.DriftSpec;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.tenancy.Tenanted;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Stores profiles, compares them with the baseline and records drift alerts. */
@Startup // registers its metrics at start: the dashboard shows zero, not "no data"
@ApplicationScoped
public class ProfileStore {

    @Inject
    EntityManager em;

    @Inject
    CallerContext callerContext;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry metrics;

    @PostConstruct
    void registerMetrics() {
        for (String kind : new String[] {"psi", "quantile_shift"}) {
            metrics.counter("hotpass_contracts_drift_alerts_total", "kind", kind);
        }
    }

    public record Profile(UUID runId, UUID datasetId, int version, long rowCount, List<ColumnProfile> columns,
            OffsetDateTime createdAt) {
    }

    public record Alert(UUID id, UUID datasetId, String dataset, int version, int baselineVersion, String column,
            String kind, double value, double threshold, UUID runId, OffsetDateTime createdAt) {
    }

    /** Saves the run's profile and raises an alert for each column whose drift exceeds the contract's thresholds. */
    @Transactional
    @Tenanted
    public List<Alert> save(UUID runId, UUID datasetId, String datasetName, int version, long rows,
            List<ColumnProfile> columns, DriftSpec drift) {
        return saveInTenant(callerContext.tenant(), runId, datasetId, datasetName, version, rows, columns, drift);
    }

    /**
     * As {@link #save}, for a run without a caller (a queued run's runner): inside a transaction the
     * caller opened, whose session is already {@code tenant}'s.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Alert> saveInTenant(String tenant, UUID runId, UUID datasetId, String datasetName, int version, long rows,
            List<ColumnProfile> columns, DriftSpec drift) {
        em.createNativeQuery("insert into dataset_profile (run_id, tenant_id, dataset_id, dataset_version, row_count, columns)"
                + " values (?1, ?2, ?3, ?4, ?5, cast(?6 as jsonb))").setParameter(1, runId).setParameter(2, tenant)
                .setParameter(3, datasetId).setParameter(4, version).setParameter(5, rows).setParameter(6, json(columns))
                .executeUpdate();
        Profile baseline = baseline(tenant, datasetId, version, drift);
        List<Alert> alerts = new ArrayList<>();
        if (baseline == null) {
            return alerts;
        }
        for (Drift.Measure m : Drift.compare(baseline.columns(), columns, drift.columns())) {
            double threshold = "psi".equals(m.kind()) ? drift.psi() : drift.quantileShift();
            if (m.value() > threshold) {
                Alert a = new Alert(UUID.randomUUID(), datasetId, datasetName, version, baseline.version(), m.column(),
                        m.kind(), m.value(), threshold, runId, OffsetDateTime.now(ZoneOffset.UTC));
                em.createNativeQuery("insert into drift_alert (id, tenant_id, dataset_id, dataset_name, dataset_version,"
                        + " baseline_version, column_name, kind, value, threshold, run_id, created_at)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")
                        .setParameter(1, a.id()).setParameter(2, tenant).setParameter(3, datasetId)
                        .setParameter(4, datasetName).setParameter(5, version).setParameter(6, a.baselineVersion())
                        .setParameter(7, a.column()).setParameter(8, a.kind()).setParameter(9, a.value())
                        .setParameter(10, a.threshold()).setParameter(11, runId).setParameter(12, a.createdAt())
                        .executeUpdate();
                metrics.counter("hotpass_contracts_drift_alerts_total", "kind", a.kind()).increment();
                alerts.add(a);
            }
        }
        return alerts;
    }

    /** The baseline: the contract's chosen version, else the newest profiled version before this one. */
    Profile baseline(String tenant, UUID datasetId, int version, DriftSpec drift) {
        String where = drift.baselineVersion() != null ? "dataset_version = ?3" : "dataset_version < ?3";
        int v = drift.baselineVersion() != null ? drift.baselineVersion() : version;
        if (drift.baselineVersion() != null && drift.baselineVersion() == version) {
            return null;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select run_id, dataset_version, row_count, cast(columns as text), created_at"
                + " from dataset_profile where tenant_id = ?1 and dataset_id = ?2 and " + where
                + " order by dataset_version desc, created_at desc limit 1")
                .setParameter(1, tenant).setParameter(2, datasetId).setParameter(3, v).getResultList();
        return rows.isEmpty() ? null : profile(rows.get(0), datasetId);
    }

    @Transactional
    @Tenanted
    public Profile latest(UUID datasetId, int version) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select run_id, dataset_version, row_count, cast(columns as text), created_at"
                + " from dataset_profile where tenant_id = ?1 and dataset_id = ?2 and dataset_version = ?3"
                + " order by created_at desc limit 1")
                .setParameter(1, callerContext.tenant()).setParameter(2, datasetId).setParameter(3, version).getResultList();
        if (rows.isEmpty()) {
            throw ProblemException.notFound("profile_not_found", "Version " + version + " of dataset " + datasetId
                    + " has no profile (profiles are made by validation runs)");
        }
        return profile(rows.get(0), datasetId);
    }

    @Transactional
    @Tenanted
    public List<Alert> alerts(UUID datasetId, int limit) {
        jakarta.persistence.Query q = em.createNativeQuery("select id, dataset_id, dataset_name, dataset_version,"
                + " baseline_version, column_name, kind, value, threshold, run_id, created_at from drift_alert"
                + " where tenant_id = ?1" + (datasetId == null ? "" : " and dataset_id = ?2")
                + " order by created_at desc, id limit " + limit).setParameter(1, callerContext.tenant());
        if (datasetId != null) {
            q.setParameter(2, datasetId);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        return rows.stream().map(r -> new Alert((UUID) r[0], (UUID) r[1], (String) r[2], ((Number) r[3]).intValue(),
                ((Number) r[4]).intValue(), (String) r[5], (String) r[6], ((Number) r[7]).doubleValue(),
                ((Number) r[8]).doubleValue(), (UUID) r[9], time(r[10]))).toList();
    }

    private Profile profile(Object[] r, UUID datasetId) {
        try {
            List<ColumnProfile> cols = mapper.readValue((String) r[3], new TypeReference<List<ColumnProfile>>() {
            });
            return new Profile((UUID) r[0], datasetId, ((Number) r[1]).intValue(), ((Number) r[2]).longValue(), cols, time(r[4]));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored profile is not readable", e);
        }
    }

    private String json(Object o) {
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static OffsetDateTime time(Object at) {
        return at instanceof OffsetDateTime o ? o : at instanceof java.time.Instant i ? i.atOffset(ZoneOffset.UTC)
                : at instanceof java.sql.Timestamp ts ? ts.toInstant().atOffset(ZoneOffset.UTC) : null;
    }
}
