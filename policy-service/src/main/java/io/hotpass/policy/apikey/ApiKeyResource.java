package io.hotpass.policy.apikey;

import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.idempotency.IdempotentRequests;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /tenants/{tenant}/api-keys}: a tenant's API keys, managed by its tenant administrators
 * and by platform administrators. Statements run under the path's tenant (row-level security),
 * which the service sets once it has authorized the caller.
 */
@Path("/tenants/{tenant}/api-keys")
@Tag(name = "api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

    @Inject
    ApiKeyService keys;

    @Inject
    CallerContext callerContext;

    @Inject
    IdempotentRequests idempotency;

    @POST
    @Transactional
    @Operation(summary = "Create an API key",
            description = "The full key is in this response only; store it now. A retry with the same Idempotency-Key"
                    + " replays this answer without the key (the secret is stored nowhere). Platform roles"
                    + " (platform-admin, hotpass-service) may be granted by platform administrators only.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "nightly import", value = """
            {"name":"nightly-import","roles":["steward"],"scopes":["ingest:write"],"expiresAt":"2027-01-01T00:00:00Z"}""")))
    @APIResponse(responseCode = "201", description = "Created; body has the key")
    @APIResponse(responseCode = "400", description = "validation_failed (e.g. expiresAt not in the future), malformed_body")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "403", description = "forbidden: not a tenant-admin of this tenant, or granting a platform role")
    @APIResponse(responseCode = "404", description = "tenant_not_found (also for another tenant)")
    @APIResponse(responseCode = "409", description = "idempotency_in_progress")
    @APIResponse(responseCode = "422", description = "unknown_role, idempotency_key_reused")
    public Response create(@PathParam("tenant") String tenant, @Valid @NotNull CreateApiKeyRequest body,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey) {
        Caller caller = callerContext.caller();
        keys.authorizeAdministration(caller, tenant);
        AtomicReference<CreatedApiKey> shownOnce = new AtomicReference<>();
        Response stored = idempotency.execute(idempotencyKey, tenant, "POST /tenants/" + tenant + "/api-keys", body,
                () -> {
                    ApiKeyService.IssuedApiKey issued = keys.create(caller, tenant, body);
                    shownOnce.set(CreatedApiKey.of(issued.key(), issued.plaintext()));
                    return created(tenant, CreatedApiKey.of(issued.key(), null)); // what a replay answers
                });
        return shownOnce.get() == null ? stored : created(tenant, shownOnce.get());
    }

    @GET
    @Transactional
    @Operation(summary = "List a tenant's API keys", description = "Without secrets, in key id order; cursor paginated.")
    @APIResponse(responseCode = "200", description = "A page of keys")
    @APIResponse(responseCode = "400", description = "validation_failed (limit, cursor)")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "403", description = "forbidden: not a tenant-admin of this tenant")
    @APIResponse(responseCode = "404", description = "tenant_not_found (also for another tenant)")
    public ApiKeyPage list(@PathParam("tenant") String tenant, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        keys.authorizeAdministration(callerContext.caller(), tenant);
        return keys.list(tenant, limit, cursor);
    }

    @GET
    @Path("/{id}")
    @Transactional
    @Operation(summary = "Get one API key", description = "Without its secret.")
    @APIResponse(responseCode = "200", description = "The key")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "403", description = "forbidden: not a tenant-admin of this tenant")
    @APIResponse(responseCode = "404", description = "tenant_not_found, api_key_not_found")
    public ApiKeyView get(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        keys.authorizeAdministration(callerContext.caller(), tenant);
        return ApiKeyView.of(keys.get(tenant, id));
    }

    @DELETE
    @Path("/{id}")
    @Transactional
    @Operation(summary = "Revoke an API key", description = "The key stops verifying at once. Revoking twice is a no-op.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "403", description = "forbidden: not a tenant-admin of this tenant")
    @APIResponse(responseCode = "404", description = "tenant_not_found, api_key_not_found")
    public Response revoke(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        keys.authorizeAdministration(callerContext.caller(), tenant);
        keys.revoke(tenant, id);
        return Response.noContent().build();
    }

    private static Response created(String tenant, CreatedApiKey body) {
        return Response.created(URI.create("/tenants/" + tenant + "/api-keys/" + body.id()))
                .type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
