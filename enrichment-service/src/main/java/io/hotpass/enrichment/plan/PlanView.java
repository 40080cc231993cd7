package io.hotpass.enrichment.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A plan as the API shows it. */
public record PlanView(UUID id, String kind, UUID datasetId, int version, List<String> fields, List<String> sources,
        String status, Progress progress, int changes, Integer committedVersion, UUID rebasedFrom, Error error,
        OffsetDateTime createdAt, String createdBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) ContractOverride contractOverride) {

    /**
     * A commit that went ahead although error-severity expectations would fail: who asked, when, the
     * contract and the expectations overridden. Shown in the commit's answer.
     */
    public record ContractOverride(String by, OffsetDateTime at, String contract, String contractVersion,
            List<String> expectations) {
    }

    public record Progress(long rowsDone, Long rowsTotal) {
    }

    public record Error(String code, String detail) {
    }

    static PlanView of(EnrichmentPlan p) {
        return new PlanView(p.id, p.kind, p.datasetId, p.datasetVersion, List.of(p.fields), List.of(p.sources), p.status,
                new Progress(p.rowsDone, p.rowsTotal), p.changesCount, p.committedVersion, p.rebasedFrom,
                p.errorCode == null ? null : new Error(p.errorCode, p.errorDetail), p.createdAt, p.createdBy,
                p.contractOverride());
    }
}
