package io.hotpass.lineage.export;

import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.tenancy.Tenanted;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.riot.RDFDataMgr;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** RDF exports of the lineage: W3C PROV-O and a DCAT 3 catalogue, as Turtle or JSON-LD. */
@Path("/api/v1/export")
@Tag(name = "export")
public class ExportResource {

    @Inject
    ProvExport prov;

    @Inject
    DcatExport dcat;

    @Inject
    CallerContext callerContext;

    @GET
    @Path("/prov")
    @Produces({"text/turtle", "application/ld+json"})
    @Transactional
    @Tenanted
    @Operation(summary = "PROV-O of a run, of a dataset's or job's ancestry, or of a namespace",
            description = "Give nodeId (run:<uuid>, dataset:<ns>:<name>, job:<ns>:<name>) or namespace.")
    @APIResponse(responseCode = "200", description = "Turtle or JSON-LD")
    @APIResponse(responseCode = "400", description = "validation_failed (nodeId, format, depth)")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "404", description = "run_not_found, dataset_not_found, job_not_found, namespace_not_found")
    public Response prov(@Parameter(example = "dataset:acme:organisations") @QueryParam("nodeId") String nodeId,
            @QueryParam("namespace") String namespace, @QueryParam("depth") @DefaultValue("20") int depth,
            @QueryParam("format") @DefaultValue("turtle") String format) {
        RdfFormat f = RdfFormat.parse(format);
        if (depth < 0 || depth > 100) {
            throw io.hotpass.platform.problem.ProblemException.badRequest("depth", "must be between 0 and 100");
        }
        return rdf(prov.export(callerContext.tenant(), nodeId, namespace, depth), f);
    }

    @GET
    @Path("/dcat")
    @Produces({"text/turtle", "application/ld+json"})
    @Transactional
    @Tenanted
    @Operation(summary = "DCAT 3 catalogue of the tenant's datasets", description = "Each dataset with distributions"
            + " (Marquez record, PROV exports) and dct:conformsTo its contract schema.")
    @APIResponse(responseCode = "200", description = "Turtle or JSON-LD")
    @APIResponse(responseCode = "400", description = "validation_failed (format)")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    public Response dcat(@QueryParam("namespace") String namespace, @QueryParam("format") @DefaultValue("turtle") String format) {
        RdfFormat f = RdfFormat.parse(format);
        return rdf(dcat.catalogue(callerContext.tenant(), namespace), f);
    }

    private static Response rdf(Model model, RdfFormat f) {
        StreamingOutput body = out -> RDFDataMgr.write(out, model, f.format);
        return Response.ok(body, f.mediaType).build();
    }
}
