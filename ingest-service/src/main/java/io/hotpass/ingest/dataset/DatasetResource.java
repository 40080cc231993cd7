package io.hotpass.ingest.dataset;

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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /datasets}: create, list and read a tenant's datasets. */
@Path("/datasets")
@Tag(name = "datasets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DatasetResource {

    @Inject
    DatasetService datasets;

    @Inject
    IdempotentRequests idempotency;

    @Inject
    CallerContext callerContext;

    @POST
    @Transactional
    @Tenanted
    @Operation(summary = "Create a dataset", description = "Accepts Idempotency-Key; a retry returns the first response.")
    @APIResponse(responseCode = "201", description = "Created; Location and ETag set")
    @APIResponse(responseCode = "400", description = "validation_failed, malformed_body")
    @APIResponse(responseCode = "409", description = "dataset_exists")
    @APIResponse(responseCode = "422", description = "unknown_profile, idempotency_key_reused")
    public Response create(@Valid @NotNull CreateDatasetRequest body,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey) {
        return idempotency.execute(idempotencyKey, callerContext.tenant(), "POST /datasets", body, () -> {
            Dataset d = datasets.create(body);
            return Response.created(URI.create("/datasets/" + d.id)).tag(unquoted(d.etag()))
                    .type(MediaType.APPLICATION_JSON).entity(DatasetView.of(d)).build();
        });
    }

    @GET
    @Transactional
    @Tenanted
    @Operation(summary = "List datasets", description = "Cursor paged, oldest first.")
    public Page<DatasetView> list(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("cursor") String cursor) {
        return datasets.list(limit, cursor);
    }

    @GET
    @Path("/{id}")
    @Transactional
    @Tenanted
    @Operation(summary = "Get a dataset", description = "ETag is the current version.")
    @APIResponse(responseCode = "200", description = "The dataset")
    @APIResponse(responseCode = "404", description = "dataset_not_found (also for other tenants' datasets)")
    public Response get(@PathParam("id") UUID id) {
        Dataset d = datasets.get(id);
        return Response.ok(DatasetView.of(d)).tag(unquoted(d.etag())).build();
    }

    private static String unquoted(String etag) {
        return etag.substring(1, etag.length() - 1);
    }
}
