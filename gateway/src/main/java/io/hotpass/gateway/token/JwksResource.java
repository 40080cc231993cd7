package io.hotpass.gateway.token;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Publishes the public keys services use to verify internal tokens. */
@Path("/.well-known/jwks.json")
@Tag(name = "keys")
public class JwksResource {

    @Inject
    SigningKeys keys;

    @GET
    @PermitAll
    @Produces("application/jwk-set+json")
    @Operation(summary = "JSON Web Key Set of the internal token signing keys")
    public Response jwks() {
        CacheControl cc = new CacheControl();
        cc.setMaxAge(300);
        return Response.ok(keys.jwks()).cacheControl(cc).build();
    }
}
