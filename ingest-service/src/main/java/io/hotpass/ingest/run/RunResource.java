package io.hotpass.ingest.run;

import io.hotpass.platform.auth.CallerContext;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** {@code /runs/{id}}: an upload run's state and progress, as a snapshot or a Server-Sent Events stream. */
@Path("/runs/{id}")
@Tag(name = "runs")
public class RunResource {

    @Inject
    RunService runs;

    @Inject
    CallerContext callerContext;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Get a run", description = "State (received, parsing, mapped, committing, stored, failed) and progress.")
    @APIResponse(responseCode = "200", description = "The run")
    @APIResponse(responseCode = "404", description = "run_not_found (also for other tenants' runs)")
    public RunView get(@PathParam("id") UUID id) {
        return runs.view(callerContext.tenant(), id);
    }

    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Follow a run", description = "Server-Sent Events: the run's state and progress about twice a second;"
            + " the stream ends after the run is stored or failed.")
    @APIResponse(responseCode = "200", description = "An event stream of run snapshots")
    @APIResponse(responseCode = "404", description = "run_not_found")
    public Multi<RunView> events(@PathParam("id") UUID id) {
        String tenant = callerContext.tenant();
        RunView first = runs.view(tenant, id); // 404 before the stream starts
        if (first.finished()) {
            return Multi.createFrom().item(first);
        }
        AtomicBoolean done = new AtomicBoolean();
        // Emit snapshots up to and including the first final one, then complete.
        return Multi.createFrom().ticks().every(Duration.ofMillis(500)).onOverflow().drop()
                .onItem().transform(t -> runs.view(tenant, id))
                .select().first(v -> !done.getAndSet(v.finished()));
    }
}
