package io.hotpass.lineage.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotpass.platform.http.Cursors;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.outbox.HttpOutboxTransport;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.tenancy.Tenanted;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** OpenLineage ingestion at Marquez's path ({@code POST /api/v1/lineage}) and the raw event feed. */
@Path("/api/v1")
@Tag(name = "lineage")
@Produces(MediaType.APPLICATION_JSON)
public class LineageResource {

    @Inject
    LineageEventStore store;

    @Inject
    io.hotpass.lineage.ingest.LineageIngestion ingestion;

    @Inject
    IngestLimits limits;

    @Inject
    CallerContext callerContext;

    @POST
    @Path("/lineage")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record an OpenLineage event", description = "RunEvent, DatasetEvent or JobEvent (spec 2-0-2)."
            + " Answers 201 like Marquez, once the event and its lineage are committed; a repeated event is stored once.")
    @APIResponse(responseCode = "201", description = "Recorded (or already recorded)")
    @APIResponse(responseCode = "400", description = "validation_failed: a required field is missing or malformed;"
            + " malformed_body")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "413", description = "payload_too_large: the event's facets exceed the limit")
    @APIResponse(responseCode = "422", description = "unknown_event_type; too_many_datasets; unprocessable: a value"
            + " PostgreSQL cannot store (e.g. a NUL character)")
    @APIResponse(responseCode = "503", description = "service_unavailable: too many events waiting, or not committed in time;"
            + " retry (a repeat is stored once)")
    public Response record(
            @RequestBody(content = @Content(examples = @ExampleObject(name = "START", value = EXAMPLE))) JsonNode event,
            @HeaderParam(HttpOutboxTransport.EVENT_ID_HEADER) String outboxEventId) {
        UUID eventId = null;
        if (outboxEventId != null) {
            try {
                eventId = UUID.fromString(outboxEventId);
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest(HttpOutboxTransport.EVENT_ID_HEADER, "must be a UUID");
            }
        }
        ingestion.record(callerContext.tenant(), event, eventId);
        return Response.status(201).build();
    }

    static final String EXAMPLE = "{\"eventType\":\"START\",\"eventTime\":\"2026-11-26T10:00:00Z\","
            + "\"producer\":\"https://example.com/etl\",\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\","
            + "\"run\":{\"runId\":\"0190a4c2-7b1e-7c3a-9d2e-2f1b3c4d5e6f\"},\"job\":{\"namespace\":\"acme\",\"name\":\"load_orgs\"},"
            + "\"inputs\":[{\"namespace\":\"acme\",\"name\":\"raw_orgs\"}],\"outputs\":[{\"namespace\":\"acme\",\"name\":\"orgs\"}]}";

    @POST
    @Path("/lineage/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record a batch of OpenLineage events", description = "A JSON array of events (or {\"events\": [...]})."
            + " Each event is recorded on its own: the answer says which failed and whether a retry may help.")
    @APIResponse(responseCode = "200", description = "status SUCCESS, PARTIAL_SUCCESS or FAILURE; summary; failed_events")
    @APIResponse(responseCode = "400", description = "validation_failed: the body is not an array of events; malformed_body")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "413", description = "payload_too_large: more events than the batch limit")
    public Map<String, Object> recordBatch(JsonNode body) {
        JsonNode events = body != null && body.isObject() ? body.path("events") : body;
        if (events == null || !events.isArray()) {
            throw ProblemException.badRequest("events", "must be an array of OpenLineage events");
        }
        if (events.size() > limits.maxBatchEvents()) {
            throw new ProblemException(io.hotpass.platform.problem.ErrorCode.PAYLOAD_TOO_LARGE, events.size()
                    + " events in one batch; at most " + limits.maxBatchEvents());
        }
        var result = ingestion.recordBatch(callerContext.tenant(), events);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", result.status());
        out.put("summary", result.summary());
        out.put("failed_events", result.failedEvents());
        return out;
    }

    @GET
    @Path("/events/lineage")
    @Transactional
    @Tenanted
    @Operation(summary = "Page through raw lineage events", description = "Oldest first, cursor paged.")
    public Map<String, Object> events(@QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @QueryParam("cursor") String cursor) {
        OffsetDateTime afterTime = null;
        UUID afterId = null;
        if (cursor != null) {
            Object[] position = Cursors.decode(cursor, 2, p -> new Object[] {OffsetDateTime.parse(p[0]), UUID.fromString(p[1])});
            afterTime = (OffsetDateTime) position[0];
            afterId = (UUID) position[1];
        }
        List<LineageEventStore.StoredEvent> page = store.page(callerContext.tenant(), limit + 1, afterTime, afterId);
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            LineageEventStore.StoredEvent last = page.get(limit - 1);
            next = Cursors.encode(last.receivedAt(), last.id());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", page.stream().map(LineageEventStore.StoredEvent::event).toList());
        body.put("nextCursor", next);
        return body;
    }
}
