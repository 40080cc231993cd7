package io.hotpass.contracts.gate;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The publish gate ({@code /gates}), contract coverage ({@code /coverage}) and exemptions ({@code /exemptions}). */
@Path("/")
@Tag(name = "gates")
@Produces(MediaType.APPLICATION_JSON)
public class GateResource {

    @Inject
    GateService gates;

    public record ExemptRequest(@Schema(examples = "legacy import, contract pending") @NotBlank @Size(max = 500) String reason) {
    }

    @GET
    @Path("gates/{datasetId}/{version}")
    @Operation(summary = "May this dataset version be published?",
            description = "pass when the newest finished validation of the version against the dataset's active contract"
                    + " passed or only warned. Reasons: no_contract, exempt, not_validated, contract_changed,"
                    + " validation_error, expectation_failed, expectation_warned.")
    @APIResponse(responseCode = "200", description = "{pass, reasons:[{code, detail}]}")
    @APIResponse(responseCode = "404", description = "dataset_not_found, dataset_version_not_found")
    @APIResponse(responseCode = "502", description = "upstream_unavailable")
    public GateService.Gate gate(@PathParam("datasetId") UUID datasetId, @PathParam("version") @Min(0) int version) {
        return gates.gate(datasetId, version);
    }

    @GET
    @Path("coverage")
    @Operation(summary = "Which of the tenant's datasets have an active contract", description = "With the percentage covered.")
    @APIResponse(responseCode = "502", description = "upstream_unavailable")
    public GateService.Coverage coverage() {
        return gates.coverage();
    }

    @GET
    @Path("exemptions")
    @Operation(summary = "Datasets that may publish without a contract")
    public List<GateService.Exemption> exemptions() {
        return gates.exemptions();
    }

    @PUT
    @Path("exemptions/{dataset}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Exempt a dataset (by name) from needing a contract to publish", description = "Idempotent (PUT).")
    @APIResponse(responseCode = "200", description = "The exemption")
    @APIResponse(responseCode = "400", description = "validation_failed (reason)")
    public GateService.Exemption exempt(@PathParam("dataset") String dataset, @Valid @NotNull ExemptRequest body) {
        return gates.exempt(dataset, body.reason());
    }

    @DELETE
    @Path("exemptions/{dataset}")
    @Operation(summary = "Withdraw an exemption")
    @APIResponse(responseCode = "204", description = "Withdrawn")
    @APIResponse(responseCode = "404", description = "exemption_not_found")
    public Response unexempt(@PathParam("dataset") String dataset) {
        gates.unexempt(dataset);
        return Response.noContent().build();
    }
}
