package io.hotpass.ingest.dataset;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A tenant's dataset. Row-level security scopes every read and write to the transaction's tenant. */
@Entity
@Table(name = "dataset")
public class Dataset extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String profile;

    public String description;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "row_key", columnDefinition = "text[]")
    public String[] rowKey;

    @Column(name = "current_version", nullable = false)
    public int currentVersion;

    /** The version downstream consumers read by default; null until one is published. */
    @Column(name = "published_version")
    public Integer publishedVersion;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    /** The dataset's ETag: its current version (a version is immutable, so this is a strong tag). */
    public String etag() {
        return io.hotpass.platform.http.ETags.strong("v" + currentVersion);
    }
}
