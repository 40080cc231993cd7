package io.hotpass.policy.tenant;

import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.idempotency.IdempotentRequests;
import io.hotpass.platform.tenancy.Tenanted;
import io.hotpass.policy.decision.PolicyEngine;
import io.hotpass.policy.keycloak.KeycloakOnboarding;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /tenants}: tenant onboarding (platform administrators) and reads. */
@Path("/tenants")
@Tag(name = "tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TenantResource {

    @Inject
    TenantService tenants;

    @Inject
    CallerContext callerContext;

    @Inject
    IdempotentRequests idempotency;

    @Inject
    PolicyEngine engine;

    @Inject
    KeycloakOnboarding keycloak;

    public record ClientSecret(String clientId, String clientSecret) {
    }

    @POST
    @Path("/{id}/client-secret")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "A new secret for the tenant's Keycloak client",
            description = "The tenant's systems get tokens from Keycloak with client credentials of client tenant-<id>."
                    + " This rotates its secret and shows the new one once (the old one stops working)."
                    + " Platform administrators and the tenant's administrators.")
    @APIResponse(responseCode = "200", description = "{clientId, clientSecret}; Cache-Control: no-store")
    @APIResponse(responseCode = "403", description = "forbidden")
    @APIResponse(responseCode = "404", description = "tenant_not_found, keycloak_client_not_found")
    @APIResponse(responseCode = "409", description = "keycloak_disabled: this deployment has no Keycloak")
    @APIResponse(responseCode = "503", description = "keycloak_unavailable")
    @Transactional
    public Response rotateClientSecret(@PathParam("id") String id) {
        io.hotpass.platform.auth.Caller caller = callerContext.caller();
        tenants.get(caller, id); // 404 for other tenants and missing ones alike
        if (!caller.isPlatformAdmin() && !caller.hasRole("tenant-admin")) {
            throw new io.hotpass.platform.problem.ProblemException(io.hotpass.platform.problem.ErrorCode.FORBIDDEN,
                    "Rotating the client secret needs the tenant-admin role");
        }
        if (!keycloak.enabled()) {
            throw new io.hotpass.platform.problem.ProblemException(409, "keycloak_disabled", "Keycloak not configured",
                    "This deployment has no Keycloak; tenant systems use API keys");
        }
        return Response.ok(new ClientSecret("tenant-" + id, keycloak.rotateSecret(id)))
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Transactional
    @Tenanted
    @Operation(summary = "Onboard a tenant", description = "Platform administrators only. Accepts Idempotency-Key.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "403", description = "forbidden: caller is not a platform administrator")
    @APIResponse(responseCode = "409", description = "tenant_exists")
    public Response create(@Valid @NotNull CreateTenantRequest body,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey) {
        return idempotency.execute(idempotencyKey, callerContext.tenant(), "POST /tenants", body, () -> {
            Tenant t = tenants.create(callerContext.caller(), body);
            return Response.created(URI.create("/tenants/" + t.id)).type(MediaType.APPLICATION_JSON)
                    .entity(TenantView.of(t, keycloak.enabled() ? "tenant-" + t.id : null)).build();
        });
    }

    public record StatusChange(@NotNull @jakarta.validation.constraints.Pattern(regexp = "active|suspended",
            message = "must be active or suspended") String status) {
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Suspend or resume a tenant", description = "Platform administrators only. A suspended"
            + " tenant's API keys stop verifying and every decision for its subjects is subject_disabled, from the"
            + " policy version this publishes on.")
    @APIResponse(responseCode = "200", description = "The tenant with its new status")
    @APIResponse(responseCode = "403", description = "forbidden: caller is not a platform administrator")
    @APIResponse(responseCode = "404", description = "tenant_not_found")
    @APIResponse(responseCode = "422", description = "tenant_protected: the platform tenant cannot be suspended")
    public TenantView setStatus(@PathParam("id") String id, @Valid @NotNull StatusChange body) {
        TenantView view = TenantView.of(tenants.setStatus(callerContext.caller(), id, body.status()));
        engine.reload();
        return view;
    }

    @GET
    @Path("/{id}")
    @Transactional
    @Operation(summary = "Get a tenant", description = "A caller sees its own tenant; platform administrators any.")
    @APIResponse(responseCode = "404", description = "tenant_not_found")
    public TenantView get(@PathParam("id") String id) {
        return TenantView.of(tenants.get(callerContext.caller(), id));
    }
}
