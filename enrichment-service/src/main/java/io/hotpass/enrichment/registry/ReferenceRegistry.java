package io.hotpass.enrichment.registry;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A tenant dataset that enrichment treats as an authoritative reference source. */
@Entity
@Table(name = "reference_registry")
public class ReferenceRegistry extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "tenant_id", nullable = false)
    public String tenantId;
    @Column(nullable = false)
    public String name;
    @Column(name = "dataset_id", nullable = false)
    public UUID datasetId;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "match_on", columnDefinition = "text[]", nullable = false)
    public String[] matchOn;
    @Column(nullable = false)
    public BigDecimal reliability;
    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
    @Column(name = "created_by", nullable = false)
    public String createdBy;
}
