package io.hotpass.ingest.version;

import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.idempotency.IdempotentRequests;
import io.hotpass.platform.tenancy.Tenanted;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
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
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Versions made without a file: change sets, restores; and the diff between two versions. */
@Path("/datasets/{id}")
@Tag(name = "versions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ChangeResource {

    @Inject
    ChangeService changes;

    @Inject
    IdempotentRequests idempotency;

    @Inject
    CallerContext callerContext;

    @POST
    @Path("/versions")
    @Transactional
    @Tenanted
    @Operation(summary = "Commit a change set as a new version",
            description = "Upserts (values merged into the row, normalised per the profile) and deletes by row id."
                    + " Requires If-Match with the dataset's ETag. Accepts Idempotency-Key.")
    @APIResponse(responseCode = "201", description = "The new version; Location and ETag set")
    @APIResponse(responseCode = "400", description = "validation_failed (changes[i].op, rowId, values.<field>), malformed_body")
    @APIResponse(responseCode = "404", description = "dataset_not_found")
    @APIResponse(responseCode = "412", description = "precondition_failed: the dataset moved on (currentEtag in the body)")
    @APIResponse(responseCode = "422", description = "invalid_value, row_not_found, idempotency_key_reused")
    @APIResponse(responseCode = "428", description = "precondition_required: If-Match missing")
    public Response commit(@PathParam("id") UUID id, @Valid @NotNull ChangeSetRequest body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey) {
        return idempotency.execute(idempotencyKey, callerContext.tenant(), "POST /datasets/" + id + "/versions", body,
                () -> created(id, sql(() -> changes.apply(callerContext.tenant(), callerContext.subject(), id, ifMatch, body))));
    }

    @POST
    @Path("/restore")
    @Transactional
    @Tenanted
    @Operation(summary = "Restore an older version",
            description = "Makes a new version whose rows equal those of the named version; only differing rows are written."
                    + " If-Match optional. Accepts Idempotency-Key.")
    @APIResponse(responseCode = "201", description = "The new version")
    @APIResponse(responseCode = "400", description = "validation_failed (version)")
    @APIResponse(responseCode = "404", description = "dataset_not_found")
    @APIResponse(responseCode = "412", description = "precondition_failed")
    @APIResponse(responseCode = "422", description = "version_not_found, idempotency_key_reused")
    public Response restore(@PathParam("id") UUID id, @Valid @NotNull RestoreRequest body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey) {
        return idempotency.execute(idempotencyKey, callerContext.tenant(), "POST /datasets/" + id + "/restore", body,
                () -> created(id, sql(() -> changes.restore(callerContext.tenant(), callerContext.subject(), id, ifMatch,
                        body.version()))));
    }

    @GET
    @Path("/diff")
    @Transactional
    @Tenanted
    @Operation(summary = "Diff two versions", description = "Counts of rows added, removed and changed, and up to `limit`"
            + " rows ordered by row id with field-level changes. Version 0 is the empty dataset.")
    @APIResponse(responseCode = "200", description = "The diff")
    @APIResponse(responseCode = "400", description = "validation_failed (from, to, limit)")
    @APIResponse(responseCode = "404", description = "dataset_not_found, version_not_found")
    public Map<String, Object> diff(@PathParam("id") UUID id, @QueryParam("from") @NotNull @Min(0) Integer from,
            @QueryParam("to") @NotNull @Min(0) Integer to,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return sql(() -> changes.diff(callerContext.tenant(), id, from, to, limit));
    }

    private static Response created(UUID id, VersionView v) {
        return Response.created(URI.create("/datasets/" + id + "/versions/" + v.number())).tag("v" + v.number())
                .type(MediaType.APPLICATION_JSON).entity(v).build();
    }

    interface Sql<T> {
        T get() throws SQLException;
    }

    private static <T> T sql(Sql<T> s) {
        try {
            return s.get();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

}
