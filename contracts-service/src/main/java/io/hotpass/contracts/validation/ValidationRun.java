package io.hotpass.contracts.validation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One validation of a dataset version against the dataset's active contract. */
@Entity
@Table(name = "validation_run")
public class ValidationRun extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "tenant_id", nullable = false)
    public String tenantId;
    @Column(name = "dataset_id", nullable = false)
    public UUID datasetId;
    @Column(name = "dataset_name", nullable = false)
    public String datasetName;
    @Column(name = "dataset_version", nullable = false)
    public int datasetVersion;
    @Column(name = "contract_id", nullable = false)
    public UUID contractId;
    @Column(name = "contract_name", nullable = false)
    public String contractName;
    @Column(name = "contract_version", nullable = false)
    public String contractVersion;
    @Column(nullable = false)
    public String status;
    @Column(name = "row_count")
    public Long rowCount;
    @Column(name = "duration_ms")
    public Long durationMs;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String result;
    public String error;
    /** Why a run ended in error without a result, as a stable code (runner_failed, run_interrupted, ...). */
    @Column(name = "error_code")
    public String errorCode;
    /** Rows read so far by a queued (asynchronous) run; the row count once it finished. */
    @Column(name = "rows_read")
    public Long rowsRead;
    @Column(name = "idem_key")
    public String idemKey;
    @Column(name = "started_at", nullable = false)
    public OffsetDateTime startedAt;
    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;
    @Column(name = "created_by", nullable = false)
    public String createdBy;
}
