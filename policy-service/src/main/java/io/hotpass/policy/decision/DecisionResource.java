package io.hotpass.policy.decision;

import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.auth.CallerContext;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.QueryParam;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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

/**
 * The decision API the gateway (policy enforcement point) asks on every request, and the policy
 * version it caches decisions under.
 */
@Path("/")
@Tag(name = "decisions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DecisionResource {

    @Inject
    PolicyEngine engine;

    @Inject
    CallerContext callerContext;

    @Inject
    DecisionMetrics metrics;

    @Inject
    Validator validator;

    @POST
    @Path("/decisions")
    @Operation(summary = "Decide one request",
            description = "Allow or deny, a reason code (allowed_by_role, denied_by_rule, no_matching_permission,"
                    + " tenant_mismatch, policy_invalid, subject_disabled), the ids of the deciding rules and the"
                    + " policy version used. Explicit deny beats allow; no matching allow is deny; no valid policy"
                    + " is deny. Callers need the hotpass-service or platform-admin role.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "steward creates a dataset", value = """
            {"subject":"user-7f3a","tenant":"acme","roles":["steward"],"action":"ingest:dataset:create",\
            "resource":"tenant/acme/datasets"}""")))
    @APIResponse(responseCode = "200", description = "The decision (a deny is a 200 too)")
    @APIResponse(responseCode = "400", description = "validation_failed, malformed_body")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "403", description = "forbidden: caller holds neither hotpass-service nor platform-admin")
    // Answered on the event loop: a decision is a few microseconds in memory (no I/O, no locks), and
    // handing each one to a worker thread and back cost more CPU than everything else a call does
    // (bench/policy/README.md). The batch endpoint stays on a worker: 1000 decisions may take ms.
    @NonBlocking
    public Decision decide(@Valid @NotNull DecisionRequest body) {
        requireDecisionCaller();
        long started = System.nanoTime();
        Decision decision = engine.decide(body);
        metrics.singleCall(decision, started);
        return decision;
    }

    @POST
    @Path("/decisions/batch")
    @Operation(summary = "Decide up to 1000 requests",
            description = "Answers in request order, all under one policy version. Same semantics and roles as"
                    + " POST /decisions.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "two requests", value = """
            {"requests":[{"subject":"user-7f3a","tenant":"acme","roles":["viewer"],\
            "action":"ingest:dataset:read","resource":"tenant/acme/datasets/42"},\
            {"subject":"user-7f3a","tenant":"acme","roles":["viewer"],"action":"ingest:dataset:delete",\
            "resource":"tenant/acme/datasets/42"}]}""")))
    @APIResponse(responseCode = "200", description = "The decisions, in request order")
    @APIResponse(responseCode = "400", description = "validation_failed (e.g. more than 1000 requests), malformed_body")
    @APIResponse(responseCode = "401", description = "unauthenticated")
    @APIResponse(responseCode = "403", description = "forbidden: caller holds neither hotpass-service nor platform-admin")
    public BatchDecisionResponse decideBatch(@Valid @NotNull BatchDecisionRequest body) {
        requireDecisionCaller();
        long started = System.nanoTime();
        List<Decision> decisions = engine.decideAll(body.requests());
        metrics.batchCall(decisions, started);
        return new BatchDecisionResponse(decisions);
    }

    @GET
    @Path("/decisions/explain")
    @Operation(summary = "Explain a decision (platform administrators)",
            description = "The decision for the request given as query parameters, with the principals asked about,"
                    + " the roles they hold in the tenant and every permission rule of those roles showing which"
                    + " parts (tenant, action, resource) matched. roles is comma-separated.")
    @APIResponse(responseCode = "200", description = "The decision and its working")
    @APIResponse(responseCode = "400", description = "validation_failed: a parameter is missing or malformed")
    @APIResponse(responseCode = "403", description = "forbidden: caller is not a platform administrator")
    public Explanation explain(@QueryParam("subject") String subject, @QueryParam("tenant") String tenant,
            @QueryParam("roles") String roles, @QueryParam("action") String action,
            @QueryParam("resource") String resource) {
        if (!callerContext.caller().isPlatformAdmin()) {
            throw new ProblemException(ErrorCode.FORBIDDEN, "Explanations are for platform administrators");
        }
        List<String> roleList = roles == null || roles.isBlank() ? List.of()
                : Arrays.stream(roles.split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList();
        DecisionRequest request = new DecisionRequest(subject, tenant, roleList, action, resource);
        Set<ConstraintViolation<DecisionRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return engine.snapshot().explain(request);
    }

    private void requireDecisionCaller() {
        Caller caller = callerContext.caller();
        if (!caller.hasRole(KnownRoles.HOTPASS_SERVICE) && !caller.isPlatformAdmin()) {
            throw new ProblemException(ErrorCode.FORBIDDEN, "Decisions are for the gateway and platform administrators");
        }
    }
}
