package io.hotpass.lineage.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotpass.lineage.event.IngestLimits;
import io.hotpass.lineage.event.LineageEventParser;
import io.hotpass.lineage.event.LineageEventStore;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Records OpenLineage events: validates each against the spec and the limits on the request's
 * thread, then hands it to the {@link GroupCommit}, which stores the raw event once and projects it
 * onto the lineage model in the same transaction, and answers after that transaction commits. A
 * batch's events are recorded independently, so one bad event does not refuse the others.
 */
@ApplicationScoped
public class LineageIngestion {

    @Inject
    LineageEventStore store;

    @Inject
    GroupCommit groupCommit;

    @Inject
    IngestLimits limits;

    /** Validates the event (a ProblemException when it is bad) and makes it ready for the group commit. */
    public GroupCommit.Pending prepare(String tenant, JsonNode event, UUID outboxEventId) {
        String canonical = store.canonicalJson(event);
        LineageEventParser.ParsedEvent parsed = LineageEventParser.parse(event, limits.maxFacetBytes(), limits.maxDatasets(),
                canonical.length() * 3L); // chars to an upper bound of UTF-8 bytes
        return new GroupCommit.Pending(tenant, event, canonical, LineageEventStore.contentHash(canonical), parsed, outboxEventId);
    }

    /** Records one event durably; false when it was recorded before. */
    public boolean record(String tenant, JsonNode event, UUID outboxEventId) {
        return await(groupCommit.submit(prepare(tenant, event, outboxEventId)));
    }

    public record FailedEvent(int index, String code, String reason, boolean retriable) {
    }

    public record BatchResult(String status, Map<String, Integer> summary, List<FailedEvent> failedEvents) {
    }

    /** Records each event of a batch independently (in the same groups as other requests) and reports which ones failed. */
    public BatchResult recordBatch(String tenant, JsonNode events) {
        List<FailedEvent> failed = new ArrayList<>();
        Map<Integer, CompletableFuture<Boolean>> submitted = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            try {
                submitted.put(i, groupCommit.submit(prepare(tenant, events.get(i), null)));
            } catch (ProblemException e) {
                failed.add(new FailedEvent(i, e.code(), e.getMessage(), false));
            }
        }
        for (Map.Entry<Integer, CompletableFuture<Boolean>> s : submitted.entrySet()) {
            try {
                await(s.getValue());
            } catch (ProblemException e) {
                failed.add(new FailedEvent(s.getKey(), e.code(), e.getMessage(), e.status() >= 500));
            } catch (RuntimeException e) {
                // A database hiccup (connection, conflict) may succeed when the client retries.
                LOG.warnf(e, "Could not record event %d of a batch", s.getKey());
                failed.add(new FailedEvent(s.getKey(), "internal", "The event could not be stored; retry it", true));
            }
        }
        failed.sort(java.util.Comparator.comparingInt(FailedEvent::index));
        Map<String, Integer> summary = new LinkedHashMap<>();
        summary.put("received", events.size());
        summary.put("successful", events.size() - failed.size());
        summary.put("failed", failed.size());
        String status = failed.isEmpty() ? "SUCCESS" : failed.size() == events.size() ? "FAILURE" : "PARTIAL_SUCCESS";
        return new BatchResult(status, summary, failed);
    }

    /** Waits for the commit of the event's group; rethrows the event's own failure. */
    private boolean await(CompletableFuture<Boolean> result) {
        try {
            return result.get(limits.commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("Could not record the lineage event", e.getCause());
        } catch (TimeoutException e) {
            throw new ProblemException(ErrorCode.SERVICE_UNAVAILABLE, "The event was not stored within "
                    + limits.commitTimeout().toSeconds() + " s; retry it (a repeat is stored once)").header("Retry-After", "1");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ErrorCode.SERVICE_UNAVAILABLE, "interrupted");
        }
    }

    private static final Logger LOG = Logger.getLogger(LineageIngestion.class);
}
