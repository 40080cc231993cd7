package io.hotpass.lineage.marquez;

import io.hotpass.lineage.marquez.MarquezViews.DatasetList;
import io.hotpass.lineage.marquez.MarquezViews.DatasetVersionList;
import io.hotpass.lineage.marquez.MarquezViews.DatasetView;
import io.hotpass.lineage.marquez.MarquezViews.JobList;
import io.hotpass.lineage.marquez.MarquezViews.JobVersionList;
import io.hotpass.lineage.marquez.MarquezViews.JobView;
import io.hotpass.lineage.marquez.MarquezViews.NamespaceList;
import io.hotpass.lineage.marquez.MarquezViews.NamespaceView;
import io.hotpass.lineage.marquez.MarquezViews.RunList;
import io.hotpass.lineage.marquez.MarquezViews.RunView;
import io.hotpass.lineage.marquez.MarquezViews.SearchResultList;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.tenancy.Tenanted;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Marquez's read API (paths, paging by limit/offset and response shapes as Marquez serves them),
 * scoped to the caller's tenant: a tenant sees its own namespaces only.
 */
@Path("/api/v1")
@Tag(name = "marquez")
@Produces(MediaType.APPLICATION_JSON)
@Transactional
@Tenanted
public class MarquezResource {

    @Inject
    MarquezReads reads;

    @Inject
    CallerContext callerContext;

    @GET
    @Path("/namespaces")
    @Operation(summary = "List the tenant's namespaces")
    @APIResponse(responseCode = "200", description = "{namespaces: [...]}")
    @APIResponse(responseCode = "400", description = "validation_failed (limit, offset)")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    public NamespaceList namespaces(@QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return reads.namespaces(callerContext.tenant(), limit, offset);
    }

    @GET
    @Path("/namespaces/{namespace}")
    @Operation(summary = "Get a namespace")
    @APIResponse(responseCode = "200", description = "The namespace")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "404", description = "namespace_not_found")
    public NamespaceView namespace(@PathParam("namespace") String namespace) {
        return reads.namespace(callerContext.tenant(), namespace);
    }

    @GET
    @Path("/namespaces/{namespace}/jobs")
    @Operation(summary = "List the jobs of a namespace")
    @APIResponse(responseCode = "200", description = "{jobs: [...], totalCount}")
    @APIResponse(responseCode = "400", description = "validation_failed (limit, offset)")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "404", description = "namespace_not_found")
    public JobList jobs(@PathParam("namespace") String namespace,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return reads.jobs(callerContext.tenant(), namespace, limit, offset);
    }

    @GET
    @Path("/namespaces/{namespace}/jobs/{job}")
    @Operation(summary = "Get a job with its inputs, outputs and latest run")
    @APIResponse(responseCode = "200", description = "The job")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "404", description = "job_not_found")
    public JobView job(@PathParam("namespace") String namespace, @PathParam("job") String job) {
        return reads.job(callerContext.tenant(), namespace, job);
    }

    @GET
    @Path("/namespaces/{namespace}/jobs/{job}/versions")
    @Operation(summary = "List the versions of a job")
    @APIResponse(responseCode = "200", description = "{versions: [...], totalCount}")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "404", description = "job_not_found")
    public JobVersionList jobVersions(@PathParam("namespace") String namespace, @PathParam("job") String job,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return reads.jobVersions(callerContext.tenant(), namespace, job, limit, offset);
    }

    @GET
    @Path("/namespaces/{namespace}/jobs/{job}/runs")
    @Operation(summary = "List the runs of a job, newest first")
    @APIResponse(responseCode = "200", description = "{runs: [...], totalCount}")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "404", description = "job_not_found")
    public RunList runs(@PathParam("namespace") String namespace, @PathParam("job") String job,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return reads.runs(callerContext.tenant(), namespace, job, limit, offset);
    }

    @GET
    @Path("/jobs/runs/{id}")
    @Operation(summary = "Get a run with its state, times, facets and dataset versions")
    @APIResponse(responseCode = "200", description = "The run")
    @APIResponse(responseCode = "400", description = "validation_failed: id is not a UUID")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "404", description = "run_not_found")
    public RunView run(@PathParam("id") String id) {
        return reads.run(callerContext.tenant(), uuid("id", id));
    }

    @GET
    @Path("/namespaces/{namespace}/datasets")
    @Operation(summary = "List the datasets of a namespace")
    @APIResponse(responseCode = "200", description = "{datasets: [...], totalCount}")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "404", description = "namespace_not_found")
    public DatasetList datasets(@PathParam("namespace") String namespace,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return reads.datasets(callerContext.tenant(), namespace, limit, offset);
    }

    @GET
    @Path("/namespaces/{namespace}/datasets/{dataset}")
    @Operation(summary = "Get a dataset with its current schema and facets")
    @APIResponse(responseCode = "200", description = "The dataset")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "404", description = "dataset_not_found")
    public DatasetView dataset(@PathParam("namespace") String namespace, @PathParam("dataset") String dataset) {
        return reads.dataset(callerContext.tenant(), namespace, dataset);
    }

    @GET
    @Path("/namespaces/{namespace}/datasets/{dataset}/versions")
    @Operation(summary = "List the versions of a dataset, newest first, each with the run that created it")
    @APIResponse(responseCode = "200", description = "{versions: [...], totalCount}")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "404", description = "dataset_not_found")
    public DatasetVersionList datasetVersions(@PathParam("namespace") String namespace, @PathParam("dataset") String dataset,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return reads.datasetVersions(callerContext.tenant(), namespace, dataset, limit, offset);
    }

    @GET
    @Path("/search")
    @Operation(summary = "Search jobs and datasets by name", description = "Case-insensitive substring match;"
            + " filter=dataset|job, sort=name|updated_at.")
    @APIResponse(responseCode = "200", description = "{totalCount, results: [{type, name, updatedAt, namespace, nodeId}]}")
    @APIResponse(responseCode = "400", description = "validation_failed (q, filter, limit)")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    public SearchResultList search(@QueryParam("q") String q, @QueryParam("filter") String filter,
            @QueryParam("sort") @DefaultValue("name") String sort,
            @QueryParam("limit") @DefaultValue("10") @Min(1) @Max(1000) int limit) {
        if (q == null || q.isBlank()) {
            throw ProblemException.badRequest("q", "is required");
        }
        if (filter != null && !filter.equalsIgnoreCase("dataset") && !filter.equalsIgnoreCase("job")) {
            throw ProblemException.badRequest("filter", "must be dataset or job");
        }
        return reads.search(callerContext.tenant(), q, filter, sort, limit);
    }

    static UUID uuid(String field, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(field, "must be a UUID");
        }
    }
}
