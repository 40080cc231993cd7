package io.hotpass.lineage.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotpass.lineage.event.IngestLimits;
import io.hotpass.lineage.event.LineageEventParser;
import io.hotpass.lineage.event.LineageEventStore;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.tenancy.TenantSession;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records an OpenLineage event: validates it against the spec and the limits, stores the raw event
 * once, and projects it onto the lineage model in the same transaction. A batch records each event
 * in a transaction of its own, so one bad event does not refuse the others.
 */
@ApplicationScoped
public class LineageIngestion {

    private static final Logger LOG = Logger.getLogger(LineageIngestion.class);

    @Inject
    LineageEventStore store;

    @Inject
    LineageModelWriter writer;

    @Inject
    IngestLimits limits;

    @Inject
    TenantSession tenantSession;

    /** Records one event on the current (tenanted) transaction; false when it was recorded before. */
    public boolean record(String tenant, JsonNode event, UUID outboxEventId) {
        String canonical = store.canonicalJson(event);
        LineageEventParser.ParsedEvent parsed = LineageEventParser.parse(event, limits.maxFacetBytes(), limits.maxDatasets(),
                canonical.length() * 3L); // chars to an upper bound of UTF-8 bytes
        if (!store.store(tenant, canonical, parsed, outboxEventId)) {
            return false;
        }
        writer.write(tenant, event, parsed);
        return true;
    }

    public record FailedEvent(int index, String code, String reason, boolean retriable) {
    }

    public record BatchResult(String status, Map<String, Integer> summary, List<FailedEvent> failedEvents) {
    }

    /** Records each event of a batch in its own transaction and reports which ones failed. */
    public BatchResult recordBatch(String tenant, JsonNode events) {
        List<FailedEvent> failed = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    tenantSession.apply(tenant);
                    record(tenant, event, null);
                });
            } catch (ProblemException e) {
                failed.add(new FailedEvent(i, e.code(), e.getMessage(), false));
            } catch (RuntimeException e) {
                // A database hiccup (serialisation, connection) may succeed when the client retries.
                LOG.warnf(e, "Could not record event %d of a batch", i);
                failed.add(new FailedEvent(i, "internal", "The event could not be stored; retry it", true));
            }
        }
        Map<String, Integer> summary = new LinkedHashMap<>();
        summary.put("received", events.size());
        summary.put("successful", events.size() - failed.size());
        summary.put("failed", failed.size());
        String status = failed.isEmpty() ? "SUCCESS" : failed.size() == events.size() ? "FAILURE" : "PARTIAL_SUCCESS";
        return new BatchResult(status, summary, failed);
    }
}
