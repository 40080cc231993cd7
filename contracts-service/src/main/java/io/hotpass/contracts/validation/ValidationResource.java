package io.hotpass.contracts.validation;

import io.hotpass.platform.idempotency.IdempotentRequests;
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

/** {@code /validations}: validate a dataset version against its dataset's active contract. */
@Path("/validations")
@Tag(name = "validations")
@Produces(MediaType.APPLICATION_JSON)
public class ValidationResource {

    @Inject
    ValidationService validations;

    @Inject
    ValidationStore store;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Validate a dataset version",
            description = "Streams the version's rows from ingest-service (through the gateway, with the caller's token) and"
                    + " evaluates every expectation of the dataset's active contract in one pass. Answers when the run has"
                    + " finished (mode sync, the default). With \"mode\": \"async\" the dataset and version are checked,"
                    + " the run is queued and the answer is 202 at once with the run (status queued) and its Location;"
                    + " a runner validates it with the service's own credentials for the caller's tenant, and"
                    + " GET /validations/{id} shows it queued or running with progress.rowsRead, then its result."
                    + " Idempotency-Key, in either mode: a repeat returns the first run (Idempotent-Replayed: true).")
    @APIResponse(responseCode = "201", description = "The finished run (status passed, warned or failed)")
    @APIResponse(responseCode = "202", description = "mode async: the run, queued (status queued, progress.rowsRead 0)")
    @APIResponse(responseCode = "400", description = "validation_failed (datasetId, version, mode), malformed_body")
    @APIResponse(responseCode = "404", description = "dataset_not_found, dataset_version_not_found")
    @APIResponse(responseCode = "422", description = "no_active_contract, idempotency_key_reused")
    @APIResponse(responseCode = "502", description = "upstream_unavailable (ingest unreachable or the stream broke off; run recorded as error)")
    public Response validate(@Valid @NotNull ValidateRequest body,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey) {
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7e]{1,255}")) {
            throw io.hotpass.platform.problem.ProblemException.badRequest(IdempotentRequests.HEADER,
                    "must be 1-255 visible ASCII characters");
        }
        ValidationService.Outcome o = validations.validate(body, idempotencyKey);
        URI location = URI.create("/validations/" + o.view().id());
        Response.ResponseBuilder b = body.async() ? Response.accepted(o.view()).location(location)
                : Response.created(location).entity(o.view());
        if (o.replayed()) {
            b.header(IdempotentRequests.REPLAYED_HEADER, "true");
        }
        return b.build();
    }

    @POST
    @Path("/what-if")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "What-if: validate a dataset version as it would be after a change set",
            description = "Applies the changes (the shape of ingest-service's change set: upsert merges values into the"
                    + " row of rowId, or adds the row when the version has none; delete removes it) to the version's rows"
                    + " as they stream and evaluates the active contract of the dataset over the result, with the same"
                    + " engine as POST /validations. Nothing is stored: no run, no profile, no drift alert, no lineage."
                    + " failedErrors names the error-severity expectations the changed version would fail.")
    @APIResponse(responseCode = "200", description = "The report the changed version would get")
    @APIResponse(responseCode = "400", description = "validation_failed (datasetId, version, changes), malformed_body")
    @APIResponse(responseCode = "404", description = "dataset_not_found, dataset_version_not_found")
    @APIResponse(responseCode = "422", description = "no_active_contract")
    @APIResponse(responseCode = "502", description = "upstream_unavailable (ingest unreachable or the stream broke off)")
    public WhatIfView whatIf(@Valid @NotNull WhatIfRequest body) {
        return validations.whatIf(body);
    }

    @GET
    @Operation(summary = "List the validation runs of a dataset", description = "Cursor paged, oldest first; without expectations.")
    @APIResponse(responseCode = "400", description = "validation_failed (datasetId, limit, cursor)")
    public ValidationStore.Page list(@QueryParam("datasetId") @NotNull UUID datasetId,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit, @QueryParam("cursor") String cursor) {
        return store.list(datasetId, limit, cursor);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a validation run with every expectation's result",
            description = "A queued (asynchronous) run shows status queued or running with progress.rowsRead until it"
                    + " finishes; a run that ended without a result is status error with error and errorCode"
                    + " (runner_failed, runner_lost, run_interrupted, runner_credentials_missing, upstream_unavailable, ...).")
    @APIResponse(responseCode = "404", description = "validation_not_found (also for other tenants' runs)")
    public ValidationView get(@PathParam("id") UUID id) {
        return store.view(id);
    }

    @GET
    @Path("/{id}/report.html")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The run as an HTML report (data docs)", description = "Summary first, then each expectation and failing samples.")
    @APIResponse(responseCode = "404", description = "validation_not_found")
    public Response report(@PathParam("id") UUID id) {
        return Response.ok(ReportHtml.render(store.view(id)), MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'").build();
    }
}
