package io.hotpass.ingest.publish;

import io.hotpass.ingest.lineage.LineageEvents;
import io.hotpass.ingest.run.RunService;
import io.hotpass.platform.outbox.Outbox;
import io.hotpass.ingest.version.DatasetRef;
import io.hotpass.ingest.version.RowService;
import io.hotpass.ingest.version.VersionStore;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Publishing a version: both gates must pass — the contract (the version validated against the
 * dataset's active contract, or the dataset is exempt) and lineage (a completed run wrote the
 * version) — and then the dataset's published version moves to it. Blocked is 409
 * {@code publish_blocked} with every reason; a gate that cannot be asked is 503 and nothing changes.
 * Publishing an older version is allowed (it is how a bad publish is rolled back).
 */
@ApplicationScoped
public class PublishService {

    public record Published(UUID datasetId, int version, Integer previous, OffsetDateTime publishedAt,
            String publishedBy, List<GateClient.Answer> gates) {
    }

    @Inject
    RunService runs;

    @Inject
    VersionStore versions;

    @Inject
    RowService rows;

    @Inject
    GateClient gates;

    @Inject
    Outbox outbox;

    public Published publish(String tenant, String subject, String bearer, UUID datasetId, int n) {
        DatasetRef d = runs.inTenant(tenant, c -> versions.dataset(c, tenant, datasetId, false));
        rows.version(tenant, datasetId, n); // 404 version_not_found before any gate is asked
        GateClient.Answer contract = gates.contracts(datasetId, n, bearer);
        GateClient.Answer lineage = gates.lineage(tenant, d.name(), n, bearer);
        List<GateClient.Answer> answers = List.of(contract, lineage);
        if (!contract.pass() || !lineage.pass()) {
            List<GateClient.Reason> reasons = new ArrayList<>();
            answers.stream().filter(a -> !a.pass()).forEach(a -> reasons.addAll(a.reasons()));
            throw new ProblemException(409, "publish_blocked", "Publish blocked", "Version " + n + " of " + d.name()
                    + " cannot be published: " + reasons.stream().map(r -> r.gate() + " " + r.code()).toList())
                    .with("reasons", reasons).with("gates", answers);
        }
        return runs.inTenant(tenant, c -> {
            versions.dataset(c, tenant, datasetId, true); // lock: publishes of one dataset apply one at a time
            Integer previous;
            try (PreparedStatement ps = c.prepareStatement("select published_version from dataset where tenant_id = ?"
                    + " and id = ?")) {
                ps.setString(1, tenant);
                ps.setObject(2, datasetId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    previous = (Integer) rs.getObject(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update dataset set published_version = ?, updated_at = now()"
                    + " where tenant_id = ? and id = ?")) {
                ps.setInt(1, n);
                ps.setString(2, tenant);
                ps.setObject(3, datasetId);
                ps.executeUpdate();
            }
            OffsetDateTime at;
            try (PreparedStatement ps = c.prepareStatement("update dataset_version set published_at = now(),"
                    + " published_by = ? where tenant_id = ? and dataset_id = ? and number = ? returning published_at")) {
                ps.setString(1, subject);
                ps.setString(2, tenant);
                ps.setObject(3, datasetId);
                ps.setInt(4, n);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    at = rs.getObject(1, OffsetDateTime.class);
                }
            }
            // The publish is part of the dataset's story: a run in its lineage, sent with the change.
            outbox.enqueue(c, UUID.randomUUID(), "lineage", "RunEvent", tenant,
                    LineageEvents.publishEvent(UUID.randomUUID(), tenant, d.name(), n, previous));
            return new Published(datasetId, n, previous, at, subject, answers);
        });
    }
}
