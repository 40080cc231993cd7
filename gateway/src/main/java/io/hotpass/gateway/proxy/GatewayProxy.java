package io.hotpass.gateway.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.gateway.auth.Authenticator;
import io.hotpass.gateway.auth.PolicyClient;
import io.hotpass.gateway.limit.RateLimitStore;
import io.hotpass.gateway.limit.RateLimiter;
import io.hotpass.gateway.route.GatewayConfig;
import io.hotpass.gateway.route.RouteTable;
import io.hotpass.gateway.token.InternalTokenIssuer;
import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.Problem;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.problem.Problems;
import io.hotpass.platform.tenancy.TenantId;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The one door. For every request under {@code /api/} or {@code /marquez/}: match the route table
 * (404/405 otherwise), refuse oversized bodies before reading them (413), authenticate the caller,
 * settle the tenant, ask policy-service for a decision (deny by default, 503 when it cannot be
 * asked), replace the caller's credential with a freshly minted internal JWT and stream the request
 * and the response through without buffering them.
 */
@ApplicationScoped
public class GatewayProxy {

    private static final Logger LOG = Logger.getLogger(GatewayProxy.class);
    static final String TRACEPARENT = "traceparent";
    static final String CALLER = "hotpass.caller";

    /** Headers never forwarded upstream: hop-by-hop ones and the caller's credentials. */
    static final Set<String> DROP_UPSTREAM = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "upgrade", "host", "authorization", "x-api-key", "cookie", "x-csrf-token", "x-tenant",
            "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto");
    /** Headers never passed back to the client. */
    static final Set<String> DROP_DOWNSTREAM = Set.of("connection", "keep-alive", "proxy-authenticate", "te", "trailer",
            "upgrade", "server", "transfer-encoding");

    @Inject
    Vertx vertx;

    @Inject
    GatewayConfig config;

    @Inject
    Authenticator authenticator;

    @Inject
    PolicyClient policy;

    @Inject
    InternalTokenIssuer issuer;

    @Inject
    ObjectMapper mapper;

    @Inject
    RateLimiter rateLimiter;

    @Inject
    UpstreamBreakers breakers;

    @Inject
    Cors cors;

    @Inject
    AuditTrail audit;

    private RouteTable table;
    private HttpClient client;
    private long defaultMaxBody;

    @PostConstruct
    void init() {
        table = loadTable();
        for (String upstream : table.upstreamNames()) {
            if (!config.upstreams().containsKey(upstream)) {
                throw new IllegalStateException("No URL for upstream '" + upstream + "': set hotpass.gateway.upstreams."
                        + upstream + ".url");
            }
        }
        defaultMaxBody = RouteTable.parseSize(config.defaultMaxBody(), 10L << 20);
        client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(200).setKeepAlive(true)
                .setConnectTimeout(3000).setTryUseCompression(false));
    }

    public RouteTable table() {
        return table;
    }

    void register(@Observes Router router) {
        router.route().pathRegex("^/(api|marquez)/.*").order(-10).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        HttpServerRequest req = rc.request();
        req.pause();
        rc.put(TRACEPARENT, Traceparent.of(io.opentelemetry.api.trace.Span.current().getSpanContext(),
                req.getHeader(TRACEPARENT)));
        rc.response().headers().set(TRACEPARENT, (String) rc.get(TRACEPARENT));
        String origin = req.getHeader("Origin");
        boolean corsAllowed = origin != null && cors.allows(origin);
        if (corsAllowed) {
            cors.decorate(rc.response(), origin);
        }
        if (req.headers().size() > config.maxHeaderCount()) {
            problem(rc, new ProblemException(431, "request_header_fields_too_large", "Request header fields too large",
                    "The request has " + req.headers().size() + " header fields; at most " + config.maxHeaderCount()
                            + " are accepted").with("limit", config.maxHeaderCount()));
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> h : req.headers()) {
            headerBytes += h.getKey().length() + h.getValue().length() + 4; // "name: value\r\n"
        }
        if (headerBytes > config.maxHeaderBytes()) {
            problem(rc, new ProblemException(431, "request_header_fields_too_large", "Request header fields too large",
                    "The request's header fields take " + headerBytes + " bytes; at most " + config.maxHeaderBytes()
                            + " are accepted").with("limit", config.maxHeaderBytes()));
            return;
        }
        String lookupMethod = req.method() == HttpMethod.HEAD ? "GET" : req.method().name();
        RouteTable.Lookup lookup = table.lookup(lookupMethod, req.path());
        if (req.method() == HttpMethod.OPTIONS && req.getHeader("Access-Control-Request-Method") != null) {
            preflight(rc, origin, corsAllowed, lookup);
            return;
        }
        if (lookup.match().isEmpty()) {
            if (lookup.allowedMethods().isEmpty()) {
                problem(rc, new ProblemException(ErrorCode.NOT_FOUND, "No route for " + req.method() + " " + req.path()));
            } else if (req.method() == HttpMethod.OPTIONS) {
                req.response().setStatusCode(204).putHeader("Allow", allow(lookup)).end();
            } else {
                problem(rc, new ProblemException(ErrorCode.METHOD_NOT_ALLOWED, "Allowed: " + allow(lookup))
                        .header("Allow", allow(lookup)));
            }
            return;
        }
        RouteTable.Match match = lookup.match().get();
        long max = RouteTable.parseSize(match.route().maxBody(), defaultMaxBody);
        String contentLength = req.getHeader("Content-Length");
        if (contentLength != null && parseLong(contentLength) > max) {
            problem(rc, new ProblemException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The body exceeds this route's limit of " + max + " bytes").with("limit", max));
            return;
        }
        authenticator.authenticate(req)
                .compose(caller -> {
                    rc.put(CALLER, caller);
                    return authorize(req, match, caller);
                })
                .compose(caller -> rateLimiter.check(caller, caller.tenant()).map(outcome -> {
                    rateLimiter.headers(rc.response(), outcome);
                    return caller;
                }))
                .onSuccess(caller -> {
                    rc.put(CALLER, caller);
                    UpstreamBreakers.Permit permit;
                    try {
                        permit = breakers.acquire(match.route().upstream());
                    } catch (ProblemException e) {
                        problem(rc, e);
                        return;
                    }
                    forward(rc, match, caller, max, permit);
                })
                .onFailure(err -> problem(rc, err));
    }

    private void preflight(RoutingContext rc, String origin, boolean corsAllowed, RouteTable.Lookup lookup) {
        String wanted = rc.request().getHeader("Access-Control-Request-Method");
        boolean routeAllows = lookup.match().isPresent() || lookup.allowedMethods().contains(wanted.toUpperCase(Locale.ROOT));
        if (!corsAllowed || !routeAllows) {
            problem(rc, new ProblemException(403, "cors_origin_denied", "CORS request denied",
                    origin == null ? "Preflight without Origin" : "Origin " + origin + " may not call " + wanted + " here"));
            return;
        }
        cors.preflight(rc.response(), allow(lookup.match().isPresent()
                ? new RouteTable.Lookup(java.util.Optional.empty(), Set.of(lookup.match().get().route().method().toUpperCase()))
                : lookup));
        rc.response().setStatusCode(204).end();
    }

    private Future<Caller> authorize(HttpServerRequest req, RouteTable.Match match, Caller caller) {
        String tenant;
        try {
            tenant = effectiveTenant(caller, req.getHeader("X-Tenant"));
        } catch (ProblemException e) {
            return Future.failedFuture(e);
        }
        Caller effective = new Caller(caller.subject(), tenant, caller.roles(), caller.scopes());
        return policy.decide(effective, tenant, match.route().action(), match.resource(tenant)).compose(d -> d.allow()
                ? Future.succeededFuture(effective)
                : Future.failedFuture(new ProblemException(ErrorCode.FORBIDDEN,
                        "Not allowed to " + match.route().action()).with("reason", d.reason())
                        .with("policyVersion", d.policyVersion())));
    }

    /** {@code X-Tenant} may select another tenant only for platform administrators and platform services. */
    static String effectiveTenant(Caller caller, String requested) {
        if (requested == null || requested.isBlank() || requested.equals(caller.tenant())) {
            return caller.tenant();
        }
        if (caller.isPlatformAdmin() || caller.hasRole(PolicyClient.SERVICE_ROLE)) {
            return TenantId.parse(requested).value();
        }
        throw new ProblemException(ErrorCode.TENANT_MISMATCH, "X-Tenant names a tenant this credential does not belong to");
    }

    private void forward(RoutingContext rc, RouteTable.Match match, Caller caller, long maxBody, UpstreamBreakers.Permit permit) {
        HttpServerRequest req = rc.request();
        String base = config.upstreams().get(match.route().upstream()).url();
        String uri = base + match.upstreamPath() + (req.query() == null ? "" : "?" + req.query());
        long timeout = match.route().timeout() == null ? config.defaultTimeout().toMillis()
                : java.time.Duration.parse(match.route().timeout()).toMillis();
        RequestOptions options = new RequestOptions().setMethod(req.method()).setAbsoluteURI(uri).setIdleTimeout(timeout);
        String token = issuer.mint(caller, caller.subject().startsWith("apikey:") ? "api_key" : "user");
        boolean hasBody = req.getHeader("Content-Length") != null && parseLong(req.getHeader("Content-Length")) > 0
                || req.getHeader("Transfer-Encoding") != null;
        client.request(options).compose(creq -> {
            copyUpstreamHeaders(req, creq.headers());
            creq.putHeader("Authorization", "Bearer " + token);
            creq.putHeader(TRACEPARENT, (String) rc.get(TRACEPARENT));
            creq.putHeader("X-Forwarded-For", req.remoteAddress() == null ? "unknown" : req.remoteAddress().hostAddress());
            creq.putHeader("X-Forwarded-Proto", req.scheme());
            if (req.authority() != null) {
                creq.putHeader("X-Forwarded-Host", req.authority().toString());
            }
            if (!hasBody) {
                return creq.send();
            }
            if (req.getHeader("Content-Length") != null) {
                return creq.send(req);
            }
            // Chunked: no length to refuse up front, so count while forwarding and stop at the limit.
            creq.setChunked(true);
            return creq.send(new BodyLimit(req, maxBody, () -> {
                // Answer first: the reset fails the upstream request at once, and that failure
                // must find the 413 already sent rather than answer 502.
                problem(rc, new ProblemException(ErrorCode.PAYLOAD_TOO_LARGE,
                        "The body exceeds this route's limit of " + maxBody + " bytes").with("limit", maxBody));
                creq.reset();
            }));
        }).onSuccess(cres -> {
            if (cres.statusCode() == 502 || cres.statusCode() == 503 || cres.statusCode() == 504) {
                permit.failure();
            } else {
                permit.success();
            }
            respond(rc, match, cres);
        }).onFailure(err -> {
            if (rc.response().ended()) {
                permit.release();
                return; // answered already (413 on a chunked body past the limit): not the upstream's fault
            }
            permit.failure();
            problem(rc, upstreamProblem(match, err));
        });
    }

    private void respond(RoutingContext rc, RouteTable.Match match, HttpClientResponse cres) {
        HttpServerResponse res = rc.response();
        if (AuditTrail.isMutating(rc.request().method())) {
            Caller caller = rc.get(CALLER);
            audit.record(caller, match.route().action(), match.resource(caller.tenant()), rc.request(), cres.statusCode(),
                    "allowed", null, traceId(rc));
        }
        res.setStatusCode(cres.statusCode());
        cres.headers().forEach((name, value) -> {
            if (!DROP_DOWNSTREAM.contains(name.toLowerCase(Locale.ROOT))) {
                res.headers().add(name, "location".equalsIgnoreCase(name) ? publicLocation(match, value) : value);
            }
        });
        if (cres.getHeader("Content-Length") == null) {
            res.setChunked(true);
        }
        cres.pipeTo(res).onFailure(err -> LOG.debugf("Response stream from %s ended early: %s",
                match.route().upstream(), err.getMessage()));
    }

    /** An upstream's relative Location becomes the public path of the same resource. */
    private String publicLocation(RouteTable.Match match, String location) {
        String base = config.upstreams().get(match.route().upstream()).url();
        String path = location.startsWith(base) ? location.substring(base.length()) : location;
        if (path.startsWith("/")) {
            return table.upstream(match.route().upstream()).prefix() + path;
        }
        return location;
    }

    private static void copyUpstreamHeaders(HttpServerRequest req, MultiMap target) {
        req.headers().forEach((name, value) -> {
            if (!DROP_UPSTREAM.contains(name.toLowerCase(Locale.ROOT))) {
                target.add(name, value);
            }
        });
    }

    private static ProblemException upstreamProblem(RouteTable.Match match, Throwable err) {
        String upstream = match.route().upstream();
        if (err instanceof TimeoutException || err.getClass().getSimpleName().contains("Timeout")
                || String.valueOf(err.getMessage()).toLowerCase(Locale.ROOT).contains("timeout")) {
            return new ProblemException(ErrorCode.UPSTREAM_TIMEOUT, upstream + " did not answer in time");
        }
        if (!(err instanceof ConnectException) && !(err.getCause() instanceof ConnectException)) {
            LOG.warnf("Upstream %s failed: %s", upstream, err.toString());
        }
        return new ProblemException(ErrorCode.UPSTREAM_UNAVAILABLE, upstream + " is unavailable").header("Retry-After", "5");
    }

    /** Answers {@code err} as problem+json (a non-problem error is a 500 with a trace id). */
    public void problem(RoutingContext rc, Throwable err) {
        HttpServerResponse res = rc.response();
        if (res.headWritten()) {
            res.reset();
            return;
        }
        ProblemException p;
        if (err instanceof ProblemException pe) {
            p = pe;
        } else {
            String traceId = Problems.currentTraceId();
            LOG.errorf(err, "Gateway error on %s (traceId=%s)", rc.request().path(), traceId);
            p = new ProblemException(ErrorCode.INTERNAL, "An internal error occurred; quote the trace id when reporting it");
        }
        if (rc.get(CALLER) != null && (p.status() == 403 || AuditTrail.isMutating(rc.request().method()))) {
            // Every denial, and every change the gateway refused or could not deliver, is audited
            // like the ones it forwarded (the caller is known: a 401 has no one to name).
            Caller caller = rc.get(CALLER);
            RouteTable.Lookup l = table.lookup(rc.request().method() == HttpMethod.HEAD ? "GET" : rc.request().method().name(),
                    rc.request().path());
            String action = l.match().map(m -> m.route().action()).orElse("unknown");
            String resource = l.match().map(m -> m.resource(caller.tenant())).orElse(rc.request().path());
            String decision = p.status() == 403 ? "denied" : p.status() >= 500 ? "failed" : "refused";
            audit.record(caller, action, resource, rc.request(), p.status(), decision, p.code(), traceId(rc));
        }
        Problem body = new Problem(Problem.typeFor(p.code()), p.title(), p.status(), p.getMessage(), p.code(),
                rc.request().path(), traceId(rc), p.extensions());
        res.setStatusCode(p.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        p.headers().forEach(res::putHeader);
        boolean unreadBody = !rc.request().isEnded() && (rc.request().getHeader("Content-Length") != null
                || rc.request().getHeader("Transfer-Encoding") != null);
        if (unreadBody) {
            // The body was never read: close the connection rather than drain what may be gigabytes.
            res.putHeader("Connection", "close");
            res.endHandler(v -> rc.request().connection().close());
        }
        try {
            res.end(mapper.writeValueAsString(body));
        } catch (IOException e) {
            res.end();
        }
    }

    private static String traceId(RoutingContext rc) {
        String tp = rc.get(TRACEPARENT);
        return tp == null ? Problems.currentTraceId() : Traceparent.traceId(tp);
    }

    private static String allow(RouteTable.Lookup lookup) {
        java.util.Set<String> methods = new java.util.TreeSet<>(lookup.allowedMethods());
        methods.add("OPTIONS");
        return String.join(", ", methods);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new ProblemException(ErrorCode.BAD_REQUEST, "Content-Length is not a number");
        }
    }

    private RouteTable loadTable() {
        try (InputStream in = config.routesLocation().isPresent()
                ? Files.newInputStream(Path.of(config.routesLocation().get()))
                : GatewayProxy.class.getClassLoader().getResourceAsStream("routes.yaml")) {
            if (in == null) {
                throw new IllegalStateException("routes.yaml missing from the gateway");
            }
            return RouteTable.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
