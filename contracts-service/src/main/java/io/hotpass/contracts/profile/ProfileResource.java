package io.hotpass.contracts.profile;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Column profiles of validated versions ({@code /profiles}) and drift alerts ({@code /alerts}). */
@Path("/")
@Tag(name = "profiles")
@Produces(MediaType.APPLICATION_JSON)
public class ProfileResource {

    @Inject
    ProfileStore profiles;

    @GET
    @Path("profiles/{datasetId}/{version}")
    @Operation(summary = "Column profiles of a dataset version", description = "Made by the newest validation run of the version.")
    @APIResponse(responseCode = "404", description = "profile_not_found")
    public ProfileStore.Profile profile(@PathParam("datasetId") UUID datasetId, @PathParam("version") int version) {
        return profiles.latest(datasetId, version);
    }

    @GET
    @Path("alerts")
    @Operation(summary = "Drift alerts, newest first", description = "Optionally for one dataset.")
    @APIResponse(responseCode = "400", description = "validation_failed (limit)")
    public List<ProfileStore.Alert> alerts(@QueryParam("datasetId") UUID datasetId,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        return profiles.alerts(datasetId, limit);
    }
}
