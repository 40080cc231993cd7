package io.hotpass.contracts.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.platform.http.Cursors;
import io.hotpass.contracts.contract.ContractService;
import io.hotpass.contracts.contract.ContractVersion;
import io.hotpass.contracts.engine.ExpectationResult;
import io.hotpass.contracts.engine.ValidationReport;
import io.hotpass.contracts.spec.ContractDocument;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.outbox.Outbox;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.tenancy.Tenanted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * The transactional edges of a validation run: {@link #start} and {@link #finish}/{@link #fail} each
 * commit on their own, so no database transaction stays open while rows stream.
 */
@ApplicationScoped
public class ValidationStore {

    @Inject
    CallerContext callerContext;

    @Inject
    ContractService contracts;

    @Inject
    Outbox outbox;

    @Inject
    ObjectMapper mapper;

    @Inject
    ValidationQueue queue;

    /** A started (or, for a repeated Idempotency-Key, an earlier) run and the contract it checks. */
    public record Start(ValidationRun run, ContractDocument contract, boolean replayed) {
    }

    @Transactional
    @Tenanted
    public Start start(UUID datasetId, String datasetName, int version, String idemKey) {
        return start(datasetId, datasetName, version, idemKey, false);
    }

    /**
     * Records a run (or finds the earlier one of a repeated Idempotency-Key). {@code queued}: the run
     * is created {@code queued} and put in the run queue in the same transaction, for a runner to
     * validate (asynchronous mode); otherwise it is {@code running} and the caller validates it now.
     */
    @Transactional
    @Tenanted
    public Start start(UUID datasetId, String datasetName, int version, String idemKey, boolean queued) {
        String tenant = callerContext.tenant();
        if (idemKey != null) {
            ValidationRun earlier = ValidationRun.find("tenantId = ?1 and idemKey = ?2", tenant, idemKey).firstResult();
            if (earlier != null) {
                if (!earlier.datasetId.equals(datasetId) || earlier.datasetVersion != version) {
                    throw new ProblemException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                            "This Idempotency-Key was used with a different request body");
                }
                return new Start(earlier, null, true);
            }
        }
        ContractVersion c = requireActive(datasetName);
        ValidationRun run = new ValidationRun();
        run.id = UUID.randomUUID();
        run.tenantId = tenant;
        run.datasetId = datasetId;
        run.datasetName = datasetName;
        run.datasetVersion = version;
        run.contractId = c.id;
        run.contractName = c.name;
        run.contractVersion = c.version;
        run.status = queued ? "queued" : "running";
        run.idemKey = idemKey;
        run.startedAt = OffsetDateTime.now(ZoneOffset.UTC);
        run.createdBy = callerContext.subject();
        run.persist();
        if (queued) {
            run.rowsRead = 0L;
            queue.enqueue(run.id, tenant);
        }
        outbox.enqueue("lineage", "RunEvent", tenant, LineageEvents.start(run));
        return new Start(run, contracts.document(c), false);
    }

    /** The contract that applies to a dataset (its active one) with its header; nothing is recorded. */
    public record Applicable(ValidationView.Contract header, ContractDocument document) {
    }

    @Transactional
    @Tenanted
    public Applicable applicable(String datasetName) {
        ContractVersion c = requireActive(datasetName);
        return new Applicable(new ValidationView.Contract(c.id, c.name, c.version), contracts.document(c));
    }

    private ContractVersion requireActive(String datasetName) {
        ContractVersion c = contracts.activeForDataset(datasetName);
        if (c == null) {
            throw new ProblemException(422, "no_active_contract", "No active contract",
                    "Dataset '" + datasetName + "' has no active contract to validate against");
        }
        return c;
    }

    @Transactional
    @Tenanted
    public void finish(UUID id, ValidationReport report) {
        ValidationRun run = get(id);
        run.status = report.status();
        run.rowCount = report.rowCount();
        run.durationMs = report.durationMillis();
        try {
            run.result = mapper.writeValueAsString(report.expectations());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        run.finishedAt = OffsetDateTime.now(ZoneOffset.UTC);
        outbox.enqueue("lineage", "RunEvent", run.tenantId, LineageEvents.complete(run, report));
    }

    @Transactional
    @Tenanted
    public void fail(UUID id, String code, String error) {
        ValidationRun run = get(id);
        run.status = "error";
        run.errorCode = code;
        run.error = error;
        run.finishedAt = OffsetDateTime.now(ZoneOffset.UTC);
        outbox.enqueue("lineage", "RunEvent", run.tenantId, LineageEvents.fail(run, error));
    }

    @Transactional
    @Tenanted
    public ValidationView view(UUID id) {
        return view(get(id));
    }

    @Transactional
    @Tenanted
    public Page list(UUID datasetId, int limit, String cursor) {
        String tenant = callerContext.tenant();
        List<ValidationRun> rows;
        if (cursor == null) {
            rows = ValidationRun.find("tenantId = ?1 and datasetId = ?2 order by startedAt, id", tenant, datasetId)
                    .page(0, limit + 1).list();
        } else {
            String[] c = decode(cursor);
            OffsetDateTime at = OffsetDateTime.parse(c[0]);
            rows = ValidationRun.find("tenantId = ?1 and datasetId = ?2 and (startedAt > ?3 or (startedAt = ?3 and id > ?4))"
                    + " order by startedAt, id", tenant, datasetId, at, UUID.fromString(c[1])).page(0, limit + 1).list();
        }
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            ValidationRun last = rows.get(limit - 1);
            next = Cursors.encode(last.startedAt, last.id);
        }
        return new Page(rows.stream().map(r -> summary(r)).toList(), next);
    }

    /** The newest finished run of a dataset version, or null. */
    @Transactional
    @Tenanted
    public ValidationView latestFinished(UUID datasetId, int version) {
        ValidationRun r = ValidationRun.find("tenantId = ?1 and datasetId = ?2 and datasetVersion = ?3 and status not in ('queued', 'running')"
                + " order by startedAt desc", callerContext.tenant(), datasetId, version).firstResult();
        return r == null ? null : view(r);
    }

    public record Page(List<ValidationView> items, String nextCursor) {
    }

    private static String[] decode(String cursor) {
        return Cursors.decode(cursor, 2, p -> {
            OffsetDateTime.parse(p[0]);
            UUID.fromString(p[1]);
            return p;
        });
    }

    ValidationRun get(UUID id) {
        ValidationRun r = ValidationRun.find("tenantId = ?1 and id = ?2", callerContext.tenant(), id).firstResult();
        if (r == null) {
            throw ProblemException.notFound("validation_not_found", "No validation run " + id);
        }
        return r;
    }

    private ValidationView summary(ValidationRun r) {
        ValidationView full = view(r);
        return new ValidationView(full.id(), full.datasetId(), full.datasetName(), full.version(), full.contract(),
                full.status(), full.rowCount(), full.durationMs(), full.summary(), null, full.error(), full.startedAt(),
                full.finishedAt(), full.createdBy(), full.links(), full.errorCode(), full.progress());
    }

    public ValidationView view(ValidationRun r) {
        List<ExpectationResult> results = null;
        ValidationView.Summary summary = null;
        if (r.result != null) {
            try {
                results = mapper.readValue(r.result, new TypeReference<List<ExpectationResult>>() {
                });
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Stored validation result is not readable", e);
            }
            summary = ValidationView.Summary.of(results);
        }
        return new ValidationView(r.id, r.datasetId, r.datasetName, r.datasetVersion,
                new ValidationView.Contract(r.contractId, r.contractName, r.contractVersion), r.status, r.rowCount,
                r.durationMs, summary, results, r.error, r.startedAt, r.finishedAt, r.createdBy,
                new ValidationView.Links("/validations/" + r.id, "/validations/" + r.id + "/report.html"), r.errorCode,
                ("queued".equals(r.status) || ("running".equals(r.status) && r.rowsRead != null))
                        ? new ValidationView.Progress(r.rowsRead == null ? 0 : r.rowsRead) : null);
    }
}
