package io.hotpass.lineage.gate;

import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.tenancy.Tenanted;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The publish gate: does lineage exist for this dataset version? */
@Path("/api/v1/gates")
@Tag(name = "gates")
@Produces(MediaType.APPLICATION_JSON)
public class GateResource {

    @Inject
    LineageGate gate;

    @Inject
    CallerContext callerContext;

    @GET
    @Path("/{namespace}/{dataset}/{version}")
    @Transactional
    @Tenanted
    @Operation(summary = "Whether lineage is recorded for a dataset version", description = "pass is true when a"
            + " completed run wrote the version (named by its datasetVersion facet or lineage version UUID)."
            + " Reason codes: lineage_recorded, lineage_missing, run_not_completed, no_producing_run.")
    @APIResponse(responseCode = "200", description = "{pass, reasons: [{code, detail}]}; an unknown dataset or version"
            + " answers pass=false with lineage_missing, not 404")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    public LineageGate.GateAnswer check(@PathParam("namespace") String namespace, @PathParam("dataset") String dataset,
            @PathParam("version") String version) {
        return gate.check(callerContext.tenant(), namespace, dataset, version);
    }
}
