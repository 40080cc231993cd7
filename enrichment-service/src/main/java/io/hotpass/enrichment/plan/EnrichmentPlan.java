package io.hotpass.enrichment.plan;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A plan: proposed changes to one dataset version, with its review and commit state. */
@Entity
@Table(name = "enrichment_plan")
public class EnrichmentPlan extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "tenant_id", nullable = false)
    public String tenantId;
    @Column(nullable = false)
    public String kind;
    @Column(name = "dataset_id", nullable = false)
    public UUID datasetId;
    @Column(name = "dataset_version", nullable = false)
    public int datasetVersion;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]", nullable = false)
    public String[] fields;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]", nullable = false)
    public String[] sources;
    @Column(nullable = false)
    public String status;
    @Column(name = "rows_total")
    public Long rowsTotal;
    @Column(name = "rows_done", nullable = false)
    public long rowsDone;
    @Column(name = "changes_count", nullable = false)
    public int changesCount;
    @Column(nullable = false)
    public int revision;
    @Column(name = "committed_version")
    public Integer committedVersion;
    @Column(name = "error_code")
    public String errorCode;
    @Column(name = "error_detail")
    public String errorDetail;
    @Column(name = "rebased_from")
    public UUID rebasedFrom;
    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
    @Column(name = "created_by", nullable = false)
    public String createdBy;
    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    /** Set by a commit that overrode the dataset's contract (V5): who, when, and what it was committed over. */
    @Column(name = "override_by")
    public String overrideBy;
    @Column(name = "override_at")
    public OffsetDateTime overrideAt;
    @Column(name = "override_contract")
    public String overrideContract;
    @Column(name = "override_contract_version")
    public String overrideContractVersion;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "override_expectations", columnDefinition = "text[]")
    public String[] overrideExpectations;

    public PlanView.ContractOverride contractOverride() {
        return overrideBy == null ? null : new PlanView.ContractOverride(overrideBy, overrideAt, overrideContract,
                overrideContractVersion, overrideExpectations == null ? List.of() : List.of(overrideExpectations));
    }

    void overrideContract(PlanView.ContractOverride o) {
        overrideBy = o.by();
        overrideAt = o.at();
        overrideContract = o.contract();
        overrideContractVersion = o.contractVersion();
        overrideExpectations = o.expectations().toArray(String[]::new);
    }

    public String etag() {
        return "\"r" + revision + "\"";
    }
}
