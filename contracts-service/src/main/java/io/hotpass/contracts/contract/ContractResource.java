package io.hotpass.contracts.contract;

import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.idempotency.IdempotentRequests;
import io.hotpass.platform.tenancy.Tenanted;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /contracts}: the tenant's data contract registry. */
@Path("/contracts")
@Tag(name = "contracts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ContractResource {

    @Inject
    ContractService contracts;

    @Inject
    CallerContext callerContext;

    @Inject
    IdempotentRequests idempotency;

    @POST
    @Transactional
    @Tenanted
    @Operation(summary = "Register a contract version", description = "Stored as a draft. Accepts Idempotency-Key.")
    @APIResponse(responseCode = "201", description = "Registered")
    @APIResponse(responseCode = "400", description = "validation_failed (e.g. version is not MAJOR.MINOR.PATCH)")
    @APIResponse(responseCode = "409", description = "contract_version_exists")
    public Response register(@Valid @NotNull RegisterContractRequest body,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey) {
        return idempotency.execute(idempotencyKey, callerContext.tenant(), "POST /contracts", body, () -> {
            ContractVersion c = contracts.register(body);
            return Response.created(URI.create("/contracts/" + c.id)).type(MediaType.APPLICATION_JSON)
                    .entity(contracts.view(c)).build();
        });
    }

    @GET
    @Transactional
    @Tenanted
    @Operation(summary = "List the versions of a contract", description = "Newest version first.")
    public List<ContractView> versions(@QueryParam("name") @NotNull String name) {
        return contracts.versions(name).stream().map(contracts::view).toList();
    }

    @GET
    @Path("/{id}")
    @Transactional
    @Tenanted
    @Operation(summary = "Get a contract version")
    @APIResponse(responseCode = "404", description = "contract_not_found")
    public ContractView get(@PathParam("id") UUID id) {
        return contracts.view(contracts.get(id));
    }
}
