package io.hotpass.lineage.graph;

import io.hotpass.lineage.graph.GraphViews.Graph;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.tenancy.Tenanted;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Marquez's lineage graph reads: job/dataset/run lineage and column lineage. */
@Path("/api/v1")
@Tag(name = "lineage")
@Produces(MediaType.APPLICATION_JSON)
public class LineageGraphResource {

    @Inject
    LineageGraph graph;

    @Inject
    CallerContext callerContext;

    @GET
    @Path("/lineage")
    @Transactional
    @Tenanted
    @Operation(summary = "Lineage graph around a node", description = "Upstream and downstream of a dataset, job or run"
            + " to a depth counted in jobs (Marquez's default 20). Nodes are DATASET, JOB and RUN.")
    @APIResponse(responseCode = "200", description = "{graph: [{id, type, data, inEdges, outEdges}]}")
    @APIResponse(responseCode = "400", description = "validation_failed (nodeId, depth)")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "404", description = "dataset_not_found, job_not_found, run_not_found")
    public Graph lineage(
            @Parameter(example = "dataset:acme:organisations") @QueryParam("nodeId") String nodeId,
            @QueryParam("depth") @DefaultValue("20") int depth) {
        return graph.lineage(callerContext.tenant(), nodeId, depth);
    }

    @GET
    @Path("/column-lineage")
    @Transactional
    @Tenanted
    @Operation(summary = "Column lineage around a field or a dataset's fields", description = "Upstream fields always,"
            + " downstream when withDownstream=true. Nodes are DATASET_FIELD.")
    @APIResponse(responseCode = "200", description = "{graph: [{id, type: DATASET_FIELD, data, inEdges, outEdges}]}")
    @APIResponse(responseCode = "400", description = "validation_failed (nodeId, depth)")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "404", description = "dataset_not_found")
    public Graph columnLineage(
            @Parameter(example = "datasetField:acme:organisations:email") @QueryParam("nodeId") String nodeId,
            @QueryParam("depth") @DefaultValue("20") int depth,
            @QueryParam("withDownstream") @DefaultValue("false") boolean withDownstream) {
        return graph.columnLineage(callerContext.tenant(), nodeId, depth, withDownstream);
    }
}
