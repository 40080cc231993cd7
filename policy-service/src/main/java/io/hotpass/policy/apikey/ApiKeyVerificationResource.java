package io.hotpass.policy.apikey;

import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.policy.decision.KnownRoles;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /api-keys/verify}: the gateway exchanges a presented API key for the identity it stands for. */
@Path("/api-keys/verify")
@Tag(name = "api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiKeyVerificationResource {

    @Inject
    ApiKeyService keys;

    @Inject
    CallerContext callerContext;

    @POST
    @Operation(summary = "Verify an API key (gateway only)",
            description = "Callers need the hotpass-service role. A valid, unrevoked, unexpired key of an active tenant"
                    + " answers its tenant, subject (apikey:<id>), roles, scopes and expiry; anything else answers 401"
                    + " invalid_api_key, the same for every cause.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "a key", value = """
            {"key":"hp_k3x9w2m4p7q1_Vb8TqL2mZr5Xw0YcN4dHs7Jk1PfG6aRe"}""")))
    @APIResponse(responseCode = "200", description = "The key's identity")
    @APIResponse(responseCode = "400", description = "malformed_body, validation_failed")
    @APIResponse(responseCode = "401", description = "invalid_api_key; unauthenticated (no internal token)")
    @APIResponse(responseCode = "403", description = "forbidden: caller lacks the hotpass-service role")
    public VerifiedApiKey verify(@NotNull VerifyApiKeyRequest body) {
        if (!callerContext.caller().hasRole(KnownRoles.HOTPASS_SERVICE)) {
            throw new ProblemException(ErrorCode.FORBIDDEN, "Verifying API keys is for the gateway");
        }
        return keys.verify(body.key());
    }
}
