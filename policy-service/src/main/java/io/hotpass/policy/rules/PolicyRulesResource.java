package io.hotpass.policy.rules;

import io.hotpass.platform.auth.CallerContext;
import io.hotpass.policy.decision.PolicyEngine;
import io.hotpass.policy.decision.PolicySnapshot;
import io.hotpass.policy.decision.PolicyVersionView;
import io.smallrye.mutiny.Multi;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The policy itself, for platform administrators: the rules in force, changes (each one new
 * version), history, bundles to export and import, diffs between versions, and a stream of version
 * numbers for caches that want to drop entries the moment a version moves.
 */
@Path("/policy")
@Tag(name = "policy")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PolicyRulesResource {

    @Inject
    PolicyChanges changes;

    @Inject
    PolicyEngine engine;

    @Inject
    CallerContext callerContext;

    public record RulesView(long version, List<RuleView> rules) {
    }

    @GET
    @Path("/version")
    @Operation(summary = "The policy version in force",
            description = "Cheap; gateways poll it and drop cached decisions when it changes. Any authenticated caller.")
    @APIResponse(responseCode = "200", description = "The version decisions are evaluated under")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @NonBlocking // one volatile read: answered on the event loop, as decisions are
    public PolicyVersionView version() {
        callerContext.caller();
        return new PolicyVersionView(engine.snapshot().version());
    }

    @GET
    @Path("/rules")
    @Operation(summary = "The rules in force", description = "With the version they belong to, also as ETag \"p<version>\""
            + " for If-Match on a change.")
    @APIResponse(responseCode = "200", description = "The version in force and its rules")
    @APIResponse(responseCode = "403", description = "forbidden: not a platform administrator")
    public Response rules() {
        PolicyChanges.requireAdmin(callerContext.caller());
        PolicySnapshot snapshot = engine.snapshot();
        List<RuleView> views = snapshot.rules().stream().map(RuleView::of).toList();
        return Response.ok(new RulesView(snapshot.version(), views))
                .header(HttpHeaders.ETAG, PolicyChanges.etag(snapshot.version())).build();
    }

    @POST
    @Path("/changes")
    @Operation(summary = "Change the policy", description = "Adds and removes rules as one new version, after validating"
            + " the whole result. If-Match with the ETag of GET /policy/rules makes the change conditional.")
    @APIResponse(responseCode = "201", description = "The new version and the ids of the added and removed rules")
    @APIResponse(responseCode = "400", description = "validation_failed, malformed_body")
    @APIResponse(responseCode = "403", description = "forbidden: not a platform administrator")
    @APIResponse(responseCode = "412", description = "precondition_failed: the policy changed since the ETag was read")
    @APIResponse(responseCode = "422", description = "invalid_rule (unknown role, malformed pattern, bad domain),"
            + " unknown_rule, duplicate_rule, empty_change, policy_lockout")
    public Response change(@Valid @NotNull PolicyChangeRequest body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        PublishedVersion v = changes.change(callerContext.caller(), ifMatch, body);
        return Response.status(201).header(HttpHeaders.ETAG, PolicyChanges.etag(v.version())).entity(v).build();
    }

    @GET
    @Path("/versions")
    @Operation(summary = "Policy history", description = "Published versions, newest first; page with before=<version>.")
    public List<PolicyVersionInfo> versions(@QueryParam("before") @DefaultValue("9223372036854775807") @Min(1) long before,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return changes.versions(callerContext.caller(), before, limit);
    }

    @GET
    @Path("/versions/{version}")
    @Operation(summary = "One version as a bundle")
    @APIResponse(responseCode = "404", description = "policy_version_not_found, policy_version_not_recorded")
    public PolicyBundle version(@PathParam("version") @Min(1) long version) {
        return changes.bundle(callerContext.caller(), version);
    }

    @GET
    @Path("/bundle")
    @Operation(summary = "Export the current policy", description = "A bundle that PUT /policy/bundle accepts as is.")
    public Response export() {
        PolicyBundle bundle = changes.bundle(callerContext.caller(), 0);
        return Response.ok(bundle).header(HttpHeaders.ETAG, PolicyChanges.etag(bundle.version()))
                .header("Content-Disposition", "attachment; filename=\"policy-v" + bundle.version() + ".json\"").build();
    }

    @PUT
    @Path("/bundle")
    @Operation(summary = "Import a policy", description = "Replaces every rule with the bundle's as one new version,"
            + " validated like any change. Rules already in force keep their ids.")
    @APIResponse(responseCode = "201", description = "The new version with the added and removed rule ids")
    @APIResponse(responseCode = "412", description = "precondition_failed")
    @APIResponse(responseCode = "422", description = "invalid_rule, duplicate_rule, policy_lockout")
    public Response importBundle(@Valid @NotNull PolicyBundle bundle, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        PublishedVersion v = changes.importBundle(callerContext.caller(), ifMatch, bundle);
        return Response.status(201).header(HttpHeaders.ETAG, PolicyChanges.etag(v.version())).entity(v).build();
    }

    @GET
    @Path("/diff")
    @Operation(summary = "What changed between two versions")
    @APIResponse(responseCode = "404", description = "policy_version_not_found, policy_version_not_recorded")
    public PolicyDiff diff(@QueryParam("from") @NotNull @Min(1) Long from, @QueryParam("to") @NotNull @Min(1) Long to) {
        return changes.diff(callerContext.caller(), from, to);
    }

    @GET
    @Path("/version/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Policy versions as they change (Server-Sent Events)",
            description = "Sends {\"version\":n} at once and then whenever the version in force on this replica"
                    + " changes (checked every 100 ms); a comment-free keep-alive repeats the version every 15 s."
                    + " Any authenticated caller.")
    public Multi<Map<String, Long>> stream() {
        callerContext.caller();
        long[] last = {-1};
        long[] sentAt = {0};
        return Multi.createFrom().ticks().every(Duration.ofMillis(100))
                .map(tick -> engine.snapshot().version())
                .filter(v -> {
                    long now = System.nanoTime();
                    if (v != last[0] || now - sentAt[0] > Duration.ofSeconds(15).toNanos()) {
                        last[0] = v;
                        sentAt[0] = now;
                        return true;
                    }
                    return false;
                })
                .map(v -> Map.of("version", v));
    }

}
