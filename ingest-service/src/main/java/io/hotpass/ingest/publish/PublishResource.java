package io.hotpass.ingest.publish;

import io.hotpass.platform.auth.CallerContext;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /datasets/{id}/versions/{n}/publish}. */
@Path("/datasets/{id}/versions/{n}/publish")
@Tag(name = "versions")
public class PublishResource {

    @Inject
    PublishService publisher;

    @Inject
    CallerContext callerContext;

    @Inject
    JsonWebToken jwt;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish a version", description = "Asks contracts-service (the version passed its contract)"
            + " and lineage-service (a completed run wrote it) through the gateway, as the caller; when both pass the"
            + " dataset's publishedVersion moves to n. Publishing an older version rolls the published one back.")
    @APIResponse(responseCode = "200", description = "Published: the version, the previous published one and both gate answers")
    @APIResponse(responseCode = "403", description = "forbidden: the caller may not read a gate")
    @APIResponse(responseCode = "404", description = "dataset_not_found, version_not_found")
    @APIResponse(responseCode = "409", description = "publish_blocked, with reasons [{gate, code, detail}]")
    @APIResponse(responseCode = "503", description = "publish_gate_unavailable: a gate could not be asked; nothing changed")
    public PublishService.Published publish(@PathParam("id") UUID id, @PathParam("n") @Min(1) int n) {
        return publisher.publish(callerContext.tenant(), callerContext.subject(), jwt.getRawToken(), id, n);
    }
}
