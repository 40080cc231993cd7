package io.hotpass.policy.audit;

import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.outbox.HttpOutboxTransport;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.policy.decision.KnownRoles;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
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
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /audit}: the gateway and services append (through their outboxes); auditors of a tenant
 * read and verify that tenant's chain, and nobody else does.
 */
@Path("/audit")
@Tag(name = "audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    @Inject
    AuditLog log;

    @Inject
    CallerContext callerContext;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Append an audit entry (platform services only)",
            description = "De-duplicated by eventId: a redelivery answers the entry already stored.")
    @APIResponse(responseCode = "201", description = "Appended (or already present), with its seq and hash")
    @APIResponse(responseCode = "400", description = "validation_failed, malformed_body")
    @APIResponse(responseCode = "403", description = "forbidden: caller is not a platform service")
    public Response append(@Valid @NotNull AuditEntryRequest body,
            @HeaderParam(HttpOutboxTransport.EVENT_ID_HEADER) String eventIdHeader) {
        if (!callerContext.caller().hasRole(KnownRoles.HOTPASS_SERVICE)) {
            throw new ProblemException(ErrorCode.FORBIDDEN, "Only platform services append to the audit log");
        }
        if (eventIdHeader != null && !eventIdHeader.equals(body.eventId().toString())) {
            throw ProblemException.badRequest("eventId", "differs from the " + HttpOutboxTransport.EVENT_ID_HEADER + " header");
        }
        return Response.status(201).entity(log.append(body)).build();
    }

    @GET
    @Operation(summary = "Read the tenant's audit log", description = "Auditors of the tenant only. Chain order, cursor paged.")
    @APIResponse(responseCode = "200", description = "Entries and nextCursor")
    @APIResponse(responseCode = "403", description = "forbidden: caller is not an auditor of this tenant")
    @APIResponse(responseCode = "404", description = "tenant_not_found: another tenant")
    public Map<String, Object> query(@QueryParam("tenant") String tenant, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("actor") String actor, @QueryParam("action") String action,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit, @QueryParam("cursor") String cursor) {
        String t = auditorTenant(tenant);
        long after = 0;
        if (cursor != null) {
            try {
                after = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("cursor", "is not a cursor this API returned");
            }
        }
        List<AuditEntryView> entries = log.query(t, time("from", from), time("to", to), actor, action, after, limit + 1);
        String next = null;
        if (entries.size() > limit) {
            entries = entries.subList(0, limit);
            next = Long.toString(entries.get(limit - 1).seq());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", entries);
        body.put("nextCursor", next);
        return body;
    }

    @GET
    @Path("/verify")
    @Operation(summary = "Verify the tenant's audit chain",
            description = "Recomputes every link from the latest retention checkpoint and names the first broken one.")
    @APIResponse(responseCode = "200", description = "valid, or the first broken seq and why")
    @APIResponse(responseCode = "403", description = "forbidden: caller is not an auditor of this tenant")
    public ChainVerification verify(@QueryParam("tenant") String tenant) {
        return log.verify(auditorTenant(tenant));
    }

    /** The tenant whose log the caller may read: its own, and only with the auditor role. */
    private String auditorTenant(String requested) {
        Caller caller = callerContext.caller();
        String tenant = requested == null ? caller.tenant() : requested;
        if (!tenant.equals(caller.tenant())) {
            throw ProblemException.notFound("tenant_not_found", "No tenant " + tenant);
        }
        if (!caller.hasRole(KnownRoles.AUDITOR)) {
            throw new ProblemException(ErrorCode.FORBIDDEN, "Reading the audit log needs the auditor role");
        }
        return tenant;
    }

    private static OffsetDateTime time(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(field, "must be an ISO 8601 date-time with offset");
        }
    }
}
