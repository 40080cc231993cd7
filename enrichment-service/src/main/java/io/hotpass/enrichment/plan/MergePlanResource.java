package io.hotpass.enrichment.plan;

import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.idempotency.IdempotentRequests;
import io.hotpass.platform.tenancy.Tenanted;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /merge-plans}: find duplicate organisations in a dataset version and propose merges
 * as a plan, reviewed ({@code /plans/{id}/diff}, {@code PATCH /plans/{id}}) and committed
 * ({@code POST /plans/{id}/commit}) like an enrichment plan.
 */
@Path("/merge-plans")
@Tag(name = "plans")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MergePlanResource {

    /** Body of {@code POST /merge-plans}. */
    public record CreateMergePlanRequest(@Schema(description = "The ingest dataset") @NotNull UUID datasetId,
            @Schema(description = "The dataset version to resolve", examples = "3") @NotNull @Min(0) Integer version) {
    }

    @Inject
    CallerContext callerContext;

    @Inject
    IdempotentRequests idempotency;

    @Inject
    PlanService plans;

    @POST
    @Transactional
    @Tenanted
    @Operation(summary = "Start a merge plan (entity resolution)", description = "Computes in the background; each"
            + " duplicate row is a delete change and blank fields of the surviving row are filled from its"
            + " duplicates. Accepts Idempotency-Key.")
    @APIResponse(responseCode = "201", description = "Plan created (status running)")
    @APIResponse(responseCode = "400", description = "validation_failed")
    @APIResponse(responseCode = "404", description = "dataset_not_found, dataset_version_not_found")
    @APIResponse(responseCode = "422", description = "idempotency_key_reused")
    public Response create(@Valid @NotNull CreateMergePlanRequest body,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey) {
        return idempotency.execute(idempotencyKey, callerContext.tenant(), "POST /merge-plans", body, () -> {
            EnrichmentPlan p = plans.createMerge(body.datasetId(), body.version(), null);
            return Response.created(URI.create("/plans/" + p.id)).type(MediaType.APPLICATION_JSON)
                    .header(HttpHeaders.ETAG, p.etag()).entity(PlanView.of(p)).build();
        });
    }
}
