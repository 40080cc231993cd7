package io.hotpass.enrichment.plan;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
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

    /**
     * Set by a commit that overrode the dataset's contract, for its answer and lineage event. Not a
     * column (yet): the durable record is the commit's lineage event (facet {@code hotpass_plan}).
     */
    @jakarta.persistence.Transient
    public PlanView.ContractOverride contractOverride;

    public String etag() {
        return "\"r" + revision + "\"";
    }
}
