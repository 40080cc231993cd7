package io.hotpass.enrichment.registry;

import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.idempotency.IdempotentRequests;
import io.hotpass.platform.problem.ProblemException;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /registries}: mark tenant datasets as reference sources for enrichment. */
@Path("/registries")
@Tag(name = "registries")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RegistryResource {

    @Inject
    CallerContext callerContext;

    @Inject
    IdempotentRequests idempotency;

    @POST
    @Transactional
    @Tenanted
    @Operation(summary = "Register a reference registry", description = "Accepts Idempotency-Key.")
    @APIResponse(responseCode = "201", description = "Registered")
    @APIResponse(responseCode = "409", description = "registry_exists")
    public Response register(@Valid @NotNull RegisterRegistryRequest body,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey) {
        String tenant = callerContext.tenant();
        return idempotency.execute(idempotencyKey, tenant, "POST /registries", body, () -> {
            if (ReferenceRegistry.count("tenantId = ?1 and name = ?2", tenant, body.name()) > 0) {
                throw new ProblemException(409, "registry_exists", "Registry exists",
                        "A registry named '" + body.name() + "' already exists");
            }
            ReferenceRegistry r = new ReferenceRegistry();
            r.id = UUID.randomUUID();
            r.tenantId = tenant;
            r.name = body.name();
            r.datasetId = body.datasetId();
            r.matchOn = body.matchOn().stream().distinct().toArray(String[]::new);
            r.reliability = body.reliability() == null ? new BigDecimal("0.90") : body.reliability();
            r.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            r.createdBy = callerContext.subject();
            r.persist();
            return Response.created(URI.create("/registries/" + r.id)).type(MediaType.APPLICATION_JSON)
                    .entity(RegistryView.of(r)).build();
        });
    }

    @GET
    @Transactional
    @Tenanted
    @Operation(summary = "List reference registries")
    public List<RegistryView> list() {
        return ReferenceRegistry.<ReferenceRegistry>list("tenantId = ?1 order by name", callerContext.tenant())
                .stream().map(RegistryView::of).toList();
    }
}
