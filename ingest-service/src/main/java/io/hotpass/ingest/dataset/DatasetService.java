package io.hotpass.ingest.dataset;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import io.hotpass.ingest.lineage.LineageEvents;
import io.hotpass.ingest.profile.Profile;
import io.hotpass.ingest.profile.Profiles;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.http.Cursors;
import io.hotpass.platform.outbox.Outbox;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Creates and reads datasets. Callers run it inside a tenanted transaction. */
@ApplicationScoped
public class DatasetService {

    /**
     * Dataset ids are time-ordered (UUID version 7, RFC 9562): a new dataset's rows sort after those of
     * every dataset made before it (random version 4 ids of older installations aside), so its first
     * upload appends at the right edge of {@code dataset_row}'s indexes instead of descending into
     * the middle for every row (ADR 0022). The generator is thread-safe and orders ids within a
     * millisecond too.
     */
    static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

    @Inject
    Profiles profiles;

    @Inject
    CallerContext callerContext;

    @Inject
    Outbox outbox;

    public Dataset create(CreateDatasetRequest req) {
        Profile profile = profiles.get(req.profile());
        if (req.rowKey() != null) {
            for (String k : req.rowKey()) {
                if (profile.field(k).isEmpty()) {
                    throw new ProblemException(422, "unknown_field", "Unknown field",
                            "rowKey: '" + k + "' is not a field of profile " + profile.name())
                            .with("errors", List.of(Map.of("field", "rowKey", "reason", "not a field of the profile")));
                }
            }
        }
        String tenant = callerContext.tenant();
        if (Dataset.count("tenantId = ?1 and name = ?2", tenant, req.name()) > 0) {
            throw new ProblemException(409, "dataset_exists", "Dataset exists",
                    "A dataset named '" + req.name() + "' already exists in this tenant");
        }
        Dataset d = new Dataset();
        d.id = IDS.generate();
        d.tenantId = tenant;
        d.name = req.name();
        d.profile = req.profile();
        d.description = req.description();
        d.rowKey = req.rowKey() == null ? new String[0] : req.rowKey().toArray(String[]::new);
        d.currentVersion = 0;
        d.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        d.updatedAt = d.createdAt;
        d.createdBy = callerContext.subject();
        d.persist();
        outbox.enqueue("lineage", "DatasetEvent", tenant,
                LineageEvents.datasetEvent(tenant, d.name, d.description, d.createdAt));
        return d;
    }

    public Dataset get(UUID id) {
        Dataset d = Dataset.find("tenantId = ?1 and id = ?2", callerContext.tenant(), id).firstResult();
        if (d == null) {
            throw ProblemException.notFound("dataset_not_found", "No dataset " + id);
        }
        return d;
    }

    public Page<DatasetView> list(int limit, String cursor) {
        List<Dataset> rows;
        if (cursor == null) {
            rows = Dataset.find("tenantId = ?1 order by createdAt, id", callerContext.tenant()).page(0, limit + 1).list();
        } else {
            Cursor c = Cursor.decode(cursor);
            rows = Dataset.find("tenantId = ?1 and (createdAt > ?2 or (createdAt = ?2 and id > ?3)) order by createdAt, id",
                    callerContext.tenant(), c.createdAt(), c.id())
                    .page(0, limit + 1).list();
        }
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            Dataset last = rows.get(limit - 1);
            next = new Cursor(last.createdAt, last.id).encode();
        }
        return new Page<>(rows.stream().map(DatasetView::of).toList(), next);
    }

    record Cursor(OffsetDateTime createdAt, UUID id) {
        String encode() {
            return Cursors.encode(createdAt, id);
        }

        static Cursor decode(String s) {
            return Cursors.decode(s, 2, p -> new Cursor(OffsetDateTime.parse(p[0]), UUID.fromString(p[1])));
        }
    }
}
