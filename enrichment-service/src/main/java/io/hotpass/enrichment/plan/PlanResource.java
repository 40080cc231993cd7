package io.hotpass.enrichment.plan;

import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.idempotency.IdempotentRequests;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.tenancy.Tenanted;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /plans}: enrichment plans, computed from a dataset version, reviewed as a diff and committed once. */
@Path("/plans")
@Tag(name = "plans")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PlanResource {

    @Inject
    CallerContext callerContext;

    @Inject
    IdempotentRequests idempotency;

    @Inject
    PlanService plans;

    /** Body of {@code POST /plans/{id}/rebase}. */
    public record RebaseRequest(Integer version) {
    }

    @POST
    @Transactional
    @Tenanted
    @Operation(summary = "Start an enrichment plan", description = "Computes in the background; poll GET /plans/{id}"
            + " for progress. Accepts Idempotency-Key.")
    @APIResponse(responseCode = "201", description = "Plan created (status running)")
    @APIResponse(responseCode = "400", description = "validation_failed")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "404", description = "dataset_not_found, dataset_version_not_found")
    @APIResponse(responseCode = "422", description = "unknown_registry, network_research_disabled, idempotency_key_reused")
    @APIResponse(responseCode = "502", description = "upstream_unavailable")
    public Response create(@Valid @NotNull CreatePlanRequest body,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey) {
        return idempotency.execute(idempotencyKey, callerContext.tenant(), "POST /plans", body,
                () -> created(plans.create(body, null)));
    }

    @GET
    @Transactional
    @Tenanted
    @Operation(summary = "The tenant's plans, newest first",
            description = "Filter by datasetId, status (running, ready, committed, failed) and kind (enrichment, merge);"
                    + " page with limit (1-200, default 50) and the nextCursor of the previous page.")
    @APIResponse(responseCode = "200", description = "{items: [plan], nextCursor}")
    @APIResponse(responseCode = "400", description = "validation_failed (limit, status, kind, cursor)")
    public Map<String, Object> list(@QueryParam("datasetId") UUID datasetId, @QueryParam("status") String status,
            @QueryParam("kind") String kind, @QueryParam("limit") @DefaultValue("50") int limit,
            @QueryParam("cursor") String cursor) {
        List<EnrichmentPlan> page = plans.list(datasetId, status, kind, limit, cursor);
        List<PlanView> items = page.stream().limit(limit).map(PlanView::of).toList();
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("items", items);
        EnrichmentPlan last = page.size() > limit ? page.get(limit - 1) : null;
        out.put("nextCursor", last == null ? null
                : io.hotpass.platform.http.Cursors.encode(last.createdAt.toString(), last.id));
        return out;
    }

    @GET
    @Path("/{id}")
    @Transactional
    @Tenanted
    @Operation(summary = "A plan with its status and progress")
    @APIResponse(responseCode = "200", description = "The plan; ETag is its review revision")
    @APIResponse(responseCode = "404", description = "plan_not_found")
    public Response get(@PathParam("id") UUID id) {
        EnrichmentPlan p = plans.get(id);
        return Response.ok(PlanView.of(p)).header(HttpHeaders.ETAG, p.etag()).build();
    }

    @GET
    @Path("/{id}/diff")
    @Transactional
    @Tenanted
    @Operation(summary = "The plan's proposed changes: old value, proposed value, confidence, evidence, decision")
    @APIResponse(responseCode = "200", description = "A page of changes in seq order")
    @APIResponse(responseCode = "400", description = "validation_failed (limit, cursor)")
    @APIResponse(responseCode = "404", description = "plan_not_found")
    public Map<String, Object> diff(@PathParam("id") UUID id, @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("cursor") String cursor) {
        if (limit < 1 || limit > 1000) {
            throw ProblemException.badRequest("limit", "must be 1-1000");
        }
        return plans.diff(id, limit, cursor);
    }

    @GET
    @Path("/{id}/what-if")
    @Transactional
    @Tenanted
    @Operation(summary = "Preview: which expectations of the dataset's contract the approved changes would fail",
            description = "Asks contracts-service for the what-if validation of the plan's approved changes on its"
                    + " dataset version. Nothing is committed or recorded. contractApplies is false when the dataset has"
                    + " no active contract; wouldBreakContract is true when an error-severity expectation would fail"
                    + " (a commit then needs override=true).")
    @APIResponse(responseCode = "200", description = "{plan, approvedChanges, contractApplies, wouldBreakContract,"
            + " failedErrors, failedWarnings, report}")
    @APIResponse(responseCode = "403", description = "forbidden: the caller may not run a what-if at contracts-service")
    @APIResponse(responseCode = "404", description = "plan_not_found, dataset_not_found, dataset_version_not_found")
    @APIResponse(responseCode = "409", description = "plan_not_ready, plan_already_committed, plan_failed")
    @APIResponse(responseCode = "503", description = "contracts_unavailable")
    public Map<String, Object> whatIf(@PathParam("id") UUID id) {
        return plans.whatIf(id);
    }

    @PATCH
    @Path("/{id}")
    @Transactional
    @Tenanted
    @Operation(summary = "Approve or reject changes", description = "Per change by seq, and/or every pending change"
            + " at or above approveAbove / below rejectBelow. If-Match with the plan's ETag is optional.")
    @APIResponse(responseCode = "200", description = "Decisions recorded; new ETag")
    @APIResponse(responseCode = "400", description = "validation_failed")
    @APIResponse(responseCode = "404", description = "plan_not_found")
    @APIResponse(responseCode = "409", description = "plan_not_ready, plan_already_committed, plan_failed")
    @APIResponse(responseCode = "412", description = "precondition_failed")
    public Response decide(@PathParam("id") UUID id, @Valid @NotNull DecisionRequest body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        EnrichmentPlan p = plans.decide(id, body, ifMatch);
        return Response.ok(PlanView.of(p)).header(HttpHeaders.ETAG, p.etag()).build();
    }

    @POST
    @Path("/{id}/commit")
    @Consumes(MediaType.WILDCARD)
    @Transactional
    @Tenanted
    @Operation(summary = "Commit the approved changes as a new dataset version", description = "Requires If-Match"
            + " with the dataset version ETag the plan was computed from (\"v<n>\"). Accepts Idempotency-Key.")
    @APIResponse(responseCode = "200", description = "Committed; committedVersion is the new dataset version")
    @APIResponse(responseCode = "404", description = "plan_not_found, dataset_not_found")
    @APIResponse(responseCode = "409", description = "plan_not_ready, plan_already_committed, plan_failed")
    @APIResponse(responseCode = "412", description = "precondition_failed: the dataset moved on; rebase the plan")
    @APIResponse(responseCode = "422", description = "no_approved_changes, would_break_contract (expectations: the"
            + " error-severity expectations the new version would fail; repeat with override=true to commit anyway),"
            + " idempotency_key_reused")
    @APIResponse(responseCode = "428", description = "precondition_required")
    @APIResponse(responseCode = "502", description = "upstream_unavailable")
    @APIResponse(responseCode = "503", description = "contracts_unavailable: the what-if validation could not be run;"
            + " nothing was committed")
    public Response commit(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey,
            @QueryParam("override") @DefaultValue("false") boolean override) {
        // The fingerprint names override only when it is set, so keys stored before it existed still match.
        Map<String, String> fingerprint = override
                ? Map.of("ifMatch", ifMatch == null ? "" : ifMatch, "override", "true")
                : Map.of("ifMatch", ifMatch == null ? "" : ifMatch);
        return idempotency.execute(idempotencyKey, callerContext.tenant(), "POST /plans/" + id + "/commit",
                fingerprint, () -> {
                    EnrichmentPlan p = plans.commit(id, ifMatch, override);
                    return Response.ok(PlanView.of(p)).type(MediaType.APPLICATION_JSON)
                            .header(HttpHeaders.ETAG, p.etag()).build();
                });
    }

    @POST
    @Path("/{id}/rebase")
    @Transactional
    @Tenanted
    @Operation(summary = "Recompute a plan against another (by default the current) dataset version",
            description = "Creates a new plan with the same fields and sources; the old one is left as it was.")
    @APIResponse(responseCode = "201", description = "The new plan (status running)")
    @APIResponse(responseCode = "404", description = "plan_not_found, dataset_not_found, dataset_version_not_found")
    public Response rebase(@PathParam("id") UUID id, RebaseRequest body) {
        EnrichmentPlan old = plans.get(id);
        int version = body != null && body.version() != null ? body.version() : plans.currentVersion(old.datasetId);
        if (old.kind.equals("merge")) {
            return created(plans.createMerge(old.datasetId, version, old.id));
        }
        return created(plans.create(new CreatePlanRequest(old.datasetId, version, List.of(old.fields),
                List.of(old.sources)), old.id));
    }

    private static Response created(EnrichmentPlan p) {
        return Response.created(URI.create("/plans/" + p.id)).type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.ETAG, p.etag()).entity(PlanView.of(p)).build();
    }
}
