package io.hotpass.contracts.contract;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One semantic version of a tenant's data contract. Immutable once stored, except its state. */
@Entity
@Table(name = "contract_version")
public class ContractVersion extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "tenant_id", nullable = false)
    public String tenantId;
    @Column(nullable = false)
    public String name;
    @Column(nullable = false)
    public String version;
    public int major;
    public int minor;
    public int patch;
    @Column(nullable = false)
    public String dataset;
    public String owner;
    public String description;
    @Column(nullable = false)
    public String state;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb", nullable = false)
    public String spec;
    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
    @Column(name = "created_by", nullable = false)
    public String createdBy;
    /** The contract as submitted (YAML or JSON text). */
    public String source;
    @Column(name = "source_format", nullable = false)
    public String sourceFormat;
    @Column(name = "activated_at")
    public OffsetDateTime activatedAt;
    @Column(name = "deprecated_at")
    public OffsetDateTime deprecatedAt;
    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    /** Strong ETag: changes with every state change. */
    public String etag() {
        return "\"" + updatedAt.toInstant().toEpochMilli() + "-" + state + "\"";
    }
}
