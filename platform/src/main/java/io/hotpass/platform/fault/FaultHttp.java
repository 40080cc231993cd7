package io.hotpass.platform.fault;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.Problem;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.problem.Problems;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The switch over HTTP, on a service's own router (plain Vert.x, so it is neither a JAX-RS
 * resource in the service's OpenAPI document nor subject to its tenancy):
 * <ul>
 * <li>a filter before every route except {@code /q/*} and {@code /admin/faults}: a request matching
 * an active fault waits its latency (a timer, never a blocked thread), then is answered the
 * fault's error status as problem+json {@code fault_injected} at its error rate, or passes on;</li>
 * <li>{@code GET /admin/faults}, {@code POST /admin/faults} (201 with the fault),
 * {@code DELETE /admin/faults} and {@code DELETE /admin/faults/{id}} (204), each only for a
 * caller {@code admin} accepts: 401 without a credential, 403 without the platform-admin role.</li>
 * </ul>
 */
public final class FaultHttp {

    public static final String PATH = "/admin/faults";
    /** Names the fault behind an injected answer, so nobody mistakes a drill for an incident. */
    public static final String HEADER = "Hotpass-Fault-Injected";
    /** The effect: before everything of the service's own, authentication (order -200) and CORS (-300) included. */
    static final int FILTER_ORDER = -900;
    /**
     * The control routes: after Quarkus's authentication filter (priority 200, route order -200),
     * which puts the deferred identity of the internal JWT on the request, and before its
     * authorization filter (-100) and the service's own routes (Quarkus REST, order 10000 and up).
     */
    static final int CONTROL_ORDER = -120;
    /** How often a delayed request looks whether its fault is still on. */
    static final long WAIT_STEP_MS = 200;

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private FaultHttp() {
    }

    /** Health and metrics stay honest (a probe must see the process as it is); the switch itself can always be turned off. */
    public static boolean exempt(String path) {
        return path == null || path.equals("/q") || path.startsWith("/q/") || path.equals(PATH) || path.startsWith(PATH + "/");
    }

    /**
     * Installs the filter and the control routes. {@code admin}: the subject of a caller allowed to
     * set faults, or a failed future carrying the {@link ProblemException} to answer (401/403).
     */
    public static void install(Router router, FaultSwitch faults, Function<RoutingContext, Future<String>> admin) {
        router.route().order(FILTER_ORDER).handler(rc -> filter(rc, faults));
        router.route(PATH).order(CONTROL_ORDER).method(HttpMethod.POST).handler(BodyHandler.create().setBodyLimit(8192));
        router.route(PATH).order(CONTROL_ORDER + 1).handler(rc -> control(rc, faults, admin, null));
        router.route(PATH + "/:id").order(CONTROL_ORDER + 1).handler(rc -> control(rc, faults, admin, rc.pathParam("id")));
    }

    static void filter(RoutingContext rc, FaultSwitch faults) {
        Optional<FaultSwitch.Effect> effect = faults.effectFor(rc.request().method().name(), rc.normalizedPath());
        if (effect.isEmpty()) {
            rc.next();
            return;
        }
        FaultSwitch.Effect e = effect.get();
        Runnable then = () -> {
            if (e.errorStatus().isPresent()) {
                int status = e.errorStatus().get();
                ProblemException p = new ProblemException(status, "fault_injected", "Injected fault",
                        "A fault injected for a chaos drill answered this request (fault " + e.fault().id() + ")");
                if (status == 429 || status == 503) {
                    p.header("Retry-After", "1");
                }
                rc.response().putHeader(HEADER, e.fault().id());
                problem(rc, p);
            } else {
                rc.response().putHeader(HEADER, e.fault().id());
                rc.next();
            }
        };
        if (e.latency().isZero()) {
            then.run();
            return;
        }
        // Wait in short steps, so a fault cleared (or expired) meanwhile releases the requests it holds at once:
        // a rollback ends the slowness, not only for the requests that arrive after it.
        long until = System.nanoTime() + e.latency().toNanos();
        String id = e.fault().id();
        rc.vertx().setPeriodic(Math.max(1, Math.min(WAIT_STEP_MS, e.latency().toMillis())), timer -> {
            if (rc.response().closed() || rc.response().ended()) {
                rc.vertx().cancelTimer(timer);
            } else if (!faults.isActive(id)) {
                rc.vertx().cancelTimer(timer);
                rc.response().putHeader(HEADER, id);
                rc.next();
            } else if (System.nanoTime() >= until) {
                rc.vertx().cancelTimer(timer);
                then.run();
            }
        });
    }

    static void control(RoutingContext rc, FaultSwitch faults, Function<RoutingContext, Future<String>> admin, String id) {
        HttpMethod m = rc.request().method();
        boolean known = id == null ? m == HttpMethod.GET || m == HttpMethod.POST || m == HttpMethod.DELETE : m == HttpMethod.DELETE;
        if (!known) {
            problem(rc, new ProblemException(ErrorCode.METHOD_NOT_ALLOWED, "Allowed: " + (id == null ? "GET, POST, DELETE" : "DELETE"))
                    .header("Allow", id == null ? "GET, POST, DELETE" : "DELETE"));
            return;
        }
        admin.apply(rc).onFailure(err -> problem(rc, err)).onSuccess(subject -> {
            try {
                if (m == HttpMethod.GET) {
                    json(rc, 200, Map.of("faults", faults.active().stream().map(Fault::view).toList()));
                } else if (m == HttpMethod.POST) {
                    FaultRequest req = parse(rc);
                    List<Map<String, String>> errors = req.problems(faults.config());
                    if (!errors.isEmpty()) {
                        throw new ProblemException(ErrorCode.VALIDATION_FAILED, String.join("; ",
                                errors.stream().map(x -> x.get("field") + ": " + x.get("reason")).toList())).with("errors", errors);
                    }
                    Fault f = faults.set(req, subject);
                    rc.response().putHeader("Location", PATH + "/" + f.id());
                    json(rc, 201, f.view());
                } else if (id == null) {
                    faults.clearAll(subject);
                    rc.response().setStatusCode(204).end();
                } else if (faults.clear(id, subject)) {
                    rc.response().setStatusCode(204).end();
                } else {
                    throw ProblemException.notFound("fault_not_found", "No active fault " + id);
                }
            } catch (FaultSwitch.TooManyFaults e) {
                problem(rc, new ProblemException(ErrorCode.CONFLICT, e.getMessage()));
            } catch (RuntimeException e) {
                problem(rc, e);
            }
        });
    }

    private static FaultRequest parse(RoutingContext rc) {
        String body = rc.body() == null ? null : rc.body().asString();
        if (body == null || body.isBlank()) {
            throw new ProblemException(ErrorCode.MALFORMED_BODY, "A JSON object is required: {\"pathPrefix\": \"/datasets\", \"latencyMs\": 5000}");
        }
        try {
            FaultRequest r = JSON.readValue(body, FaultRequest.class);
            if (r == null) {
                throw new ProblemException(ErrorCode.MALFORMED_BODY, "A JSON object is required");
            }
            return r;
        } catch (JacksonException e) {
            throw new ProblemException(ErrorCode.MALFORMED_BODY, "Not a fault: " + e.getOriginalMessage());
        }
    }

    private static void json(RoutingContext rc, int status, Object body) {
        try {
            rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(JSON.writeValueAsString(body));
        } catch (JacksonException e) {
            problem(rc, e);
        }
    }

    /** Answers {@code err} as problem+json: a {@link ProblemException} as it is, anything else as 500 internal. */
    static void problem(RoutingContext rc, Throwable err) {
        ProblemException p = err instanceof ProblemException pe ? pe : new ProblemException(ErrorCode.INTERNAL, "The fault switch failed");
        if (!(err instanceof ProblemException)) {
            org.jboss.logging.Logger.getLogger(FaultHttp.class).warn("Fault switch request failed", err);
        }
        Problem body = Problems.body(p.status(), p.code(), p.title(), p.getMessage(), rc.request().path(), p.extensions());
        p.headers().forEach((k, v) -> rc.response().putHeader(k, v));
        try {
            rc.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.MEDIA_TYPE).end(JSON.writeValueAsString(body));
        } catch (JacksonException e) {
            rc.response().setStatusCode(500).end();
        }
    }
}
