package io.hotpass.contracts.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotpass.contracts.spec.AvroExport;
import io.hotpass.contracts.spec.ContractParser;
import io.hotpass.contracts.spec.JsonSchemaExport;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.idempotency.IdempotentRequests;
import io.hotpass.platform.tenancy.Tenanted;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
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
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /contracts}: the tenant's data contract registry, lifecycle and exports. */
@Path("/contracts")
@Tag(name = "contracts")
@Produces(MediaType.APPLICATION_JSON)
public class ContractResource {

    static final String YAML = "application/yaml";

    @Inject
    ContractService contracts;

    @Inject
    CallerContext callerContext;

    @Inject
    DatasetCheck datasets;

    @POST
    @Consumes({MediaType.APPLICATION_JSON, YAML, "application/x-yaml", "text/yaml"})
    @Operation(summary = "Register a contract version",
            description = "Body: the contract document (docs/reference/contract-format.md) as JSON or YAML. Stored as a draft."
                    + " A version of a contract with an active version is checked for compatibility against it; breaking"
                    + " changes need a major version bump. With dryRun=true the compatibility report is returned and"
                    + " nothing is saved. Accepts Idempotency-Key.")
    @APIResponse(responseCode = "201", description = "Registered; Location and ETag set")
    @APIResponse(responseCode = "200", description = "dryRun: the compatibility report")
    @APIResponse(responseCode = "400", description = "malformed_contract, validation_failed")
    @APIResponse(responseCode = "409", description = "contract_version_exists, incompatible_change (with breaks)")
    @APIResponse(responseCode = "422", description = "invalid_contract (errors name each path), unknown_dataset, idempotency_key_reused")
    @APIResponse(responseCode = "502", description = "upstream_unavailable (ingest-service unreachable to check the dataset)")
    public Response register(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @QueryParam("dryRun") @DefaultValue("false") boolean dryRun,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey) {
        boolean yaml = contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("yaml");
        ObjectNode tree = ContractParser.readTree(body, yaml);
        // Checked before any transaction opens: the dataset lives in ingest-service.
        datasets.requireDataset(contracts.parser().parse(tree).dataset());
        if (dryRun) {
            return Response.ok(contracts.dryRun(tree)).build();
        }
        return contracts.registerOnce(idempotencyKey, tree, body, yaml, c -> Response.created(URI.create("/contracts/" + c.id))
                .type(MediaType.APPLICATION_JSON).header(HttpHeaders.ETAG, c.etag()).entity(contracts.view(c)).build());
    }

    @GET
    @Transactional
    @Tenanted
    @Operation(summary = "List the versions of a contract", description = "Newest version first.")
    @APIResponse(responseCode = "400", description = "validation_failed (name missing)")
    public List<ContractView> versions(@QueryParam("name") @NotNull String name) {
        return contracts.versions(name).stream().map(contracts::view).toList();
    }

    @GET
    @Path("/{id}")
    @Transactional
    @Tenanted
    @Operation(summary = "Get a contract version", description = "ETag changes with every state change.")
    @APIResponse(responseCode = "404", description = "contract_not_found (also for other tenants' contracts)")
    public Response get(@PathParam("id") UUID id) {
        ContractVersion c = contracts.get(id);
        return Response.ok(contracts.view(c)).header(HttpHeaders.ETAG, c.etag()).build();
    }

    @POST
    @Path("/{id}/activate")
    @Transactional
    @Tenanted
    @Operation(summary = "Activate a contract version",
            description = "The previously active version of the contract becomes deprecated. Checked for compatibility"
                    + " against it. If-Match (the version's ETag) is honoured when sent.")
    @APIResponse(responseCode = "200", description = "Active")
    @APIResponse(responseCode = "404", description = "contract_not_found")
    @APIResponse(responseCode = "409", description = "incompatible_change, dataset_has_active_contract")
    @APIResponse(responseCode = "412", description = "precondition_failed")
    public Response activate(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        ContractVersion c = contracts.activate(id, ifMatch);
        return Response.ok(contracts.view(c)).header(HttpHeaders.ETAG, c.etag()).build();
    }

    @POST
    @Path("/{id}/deprecate")
    @Transactional
    @Tenanted
    @Operation(summary = "Deprecate a contract version", description = "If-Match is honoured when sent.")
    @APIResponse(responseCode = "200", description = "Deprecated")
    @APIResponse(responseCode = "404", description = "contract_not_found")
    @APIResponse(responseCode = "412", description = "precondition_failed")
    public Response deprecate(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        ContractVersion c = contracts.deprecate(id, ifMatch);
        return Response.ok(contracts.view(c)).header(HttpHeaders.ETAG, c.etag()).build();
    }

    @GET
    @Path("/{name}/versions/{version}")
    @Transactional
    @Tenanted
    @Operation(summary = "Get a contract version by name and version")
    @APIResponse(responseCode = "404", description = "contract_not_found")
    public Response byVersion(@PathParam("name") String name, @PathParam("version") String version) {
        ContractVersion c = contracts.byNameAndVersion(name, version);
        return Response.ok(contracts.view(c)).header(HttpHeaders.ETAG, c.etag()).build();
    }

    @GET
    @Path("/{name}/versions/{version}/schema.json")
    @Produces({"application/schema+json", MediaType.APPLICATION_JSON})
    @Transactional
    @Tenanted
    @Operation(summary = "JSON Schema (2020-12) of one row under this contract version",
            description = "Stable URI; a version's content never changes.")
    @APIResponse(responseCode = "404", description = "contract_not_found")
    public Response jsonSchema(@PathParam("name") String name, @PathParam("version") String version, @Context UriInfo uri) {
        ContractVersion c = contracts.byNameAndVersion(name, version);
        ObjectNode schema = JsonSchemaExport.of(contracts.document(c), "urn:hotpass:contract:" + c.tenantId + ":" + c.name
                + ":" + c.version);
        return Response.ok(schema, "application/schema+json").header("Cache-Control", "private, max-age=86400, immutable")
                .build();
    }

    @GET
    @Path("/{name}/versions/{version}/schema.avsc")
    @Produces({"application/vnd.apache.avro+json", MediaType.APPLICATION_JSON})
    @Transactional
    @Tenanted
    @Operation(summary = "Avro schema of this contract version", description = "Stable URI; a version's content never changes.")
    @APIResponse(responseCode = "404", description = "contract_not_found")
    public Response avro(@PathParam("name") String name, @PathParam("version") String version) {
        ContractVersion c = contracts.byNameAndVersion(name, version);
        return Response.ok(AvroExport.of(contracts.document(c)).toString(true), "application/vnd.apache.avro+json")
                .header("Cache-Control", "private, max-age=86400, immutable").build();
    }
}
