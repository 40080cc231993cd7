package io.hotpass.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpass.gateway.route.GatewayConfig;
import io.hotpass.gateway.token.InternalTokenIssuer;
import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's client of policy-service: API key verification and authorization decisions, both
 * cached briefly. Any failure to get an answer is "policy unavailable": the caller is denied, never
 * allowed by accident.
 */
@ApplicationScoped
public class PolicyClient {

    public static final String SERVICE_ROLE = "hotpass-service";

    /** A decision as policy-service gave it. */
    public record Decision(boolean allow, String reason, long policyVersion) {
    }

    @Inject
    Vertx vertx;

    @Inject
    GatewayConfig config;

    @Inject
    InternalTokenIssuer issuer;

    @Inject
    ObjectMapper mapper;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    private HttpClient client;
    private TtlCache<Caller> keys;
    private TtlCache<Decision> decisions;
    private volatile String serviceToken;
    private volatile Instant serviceTokenRenewAt = Instant.EPOCH;
    private io.micrometer.core.instrument.Timer decisionTimer;

    @PostConstruct
    void init() {
        decisionTimer = io.micrometer.core.instrument.Timer.builder("hotpass_gateway_policy_decision_seconds")
                .description("Time to get a decision from policy-service (cache misses)")
                .publishPercentileHistogram().register(registry);
        client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(64).setKeepAlive(true)
                .setConnectTimeout(2000));
        keys = new TtlCache<>(config.authCacheTtl(), 10_000);
        decisions = new TtlCache<>(config.authCacheTtl(), 50_000);
    }

    /** Verifies a tenant API key; fails with 401 {@code invalid_api_key} or 503 {@code policy_unavailable}. */
    public Future<Caller> verifyApiKey(String key) {
        String cacheKey = sha256(key);
        Caller cached = keys.get(cacheKey);
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        return post("/api-keys/verify", Map.of("key", key)).compose(res -> {
            if (res.status() == 200) {
                JsonNode b = res.body();
                Caller caller = new Caller(b.path("subject").asText(), b.path("tenant").asText(),
                        strings(b.path("roles")), strings(b.path("scopes")));
                keys.put(cacheKey, caller);
                return Future.succeededFuture(caller);
            }
            if (res.status() == 401) {
                return Future.failedFuture(new ProblemException(401, "invalid_api_key", "Invalid API key",
                        "The API key is unknown, revoked or expired"));
            }
            return Future.failedFuture(unavailable());
        });
    }

    /** One authorization decision (cached per subject, tenant, roles, action and resource). */
    public Future<Decision> decide(Caller caller, String tenant, String action, String resource) {
        String cacheKey = caller.subject() + '\0' + tenant + '\0' + String.join(",", new java.util.TreeSet<>(caller.roles()))
                + '\0' + action + '\0' + resource;
        Decision cached = decisions.get(cacheKey);
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        Map<String, Object> body = Map.of("subject", caller.subject(), "tenant", tenant, "roles", List.copyOf(caller.roles()),
                "action", action, "resource", resource);
        io.micrometer.core.instrument.Timer.Sample sample = io.micrometer.core.instrument.Timer.start(registry);
        return post("/decisions", body).onComplete(ar -> sample.stop(decisionTimer))
                .compose(res -> {
            if (res.status() != 200) {
                return Future.failedFuture(unavailable());
            }
            Decision d = new Decision(res.body().path("allow").asBoolean(false), res.body().path("reason").asText("unknown"),
                    res.body().path("policyVersion").asLong(-1));
            if (d.policyVersion() > knownPolicyVersion) {
                policyVersionSeen(d.policyVersion());
            }
            decisions.put(cacheKey, d);
            return Future.succeededFuture(d);
        });
    }

    /** Drops cached decisions and keys (a policy version change or a revocation). */
    public void invalidate() {
        keys.clear();
        decisions.clear();
    }

    private volatile long knownPolicyVersion = -1;

    /** The policy version the caches were filled under; -1 before policy-service first answered. */
    public long knownPolicyVersion() {
        return knownPolicyVersion;
    }

    /**
     * Watches policy-service's cheap version endpoint: when the version moves, every cached
     * decision and key is dropped at once, so a change is honoured within about a second rather
     * than when the cache entries expire.
     */
    @io.quarkus.scheduler.Scheduled(every = "${hotpass.gateway.policy-version-poll:1s}",
            concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    void watchPolicyVersion() {
        String base = config.upstreams().get("policy").url();
        client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(base + "/policy/version")
                        .setIdleTimeout(2000).putHeader("Authorization", "Bearer " + serviceToken()))
                .compose(req -> req.send())
                .compose(res -> res.statusCode() == 200 ? res.body() : Future.failedFuture("HTTP " + res.statusCode()))
                .onSuccess(buf -> policyVersionSeen(parse(buf).path("version").asLong(-1)));
    }

    void policyVersionSeen(long version) {
        if (version >= 0 && version != knownPolicyVersion) {
            if (knownPolicyVersion >= 0) {
                invalidate();
            }
            knownPolicyVersion = version;
        }
    }

    private record Answer(int status, JsonNode body) {
    }

    private Future<Answer> post(String path, Object body) {
        String base = config.upstreams().get("policy").url();
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(body);
        } catch (Exception e) {
            return Future.failedFuture(e);
        }
        RequestOptions opts = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(base + path)
                .setIdleTimeout(5000)
                .putHeader("Content-Type", "application/json")
                .putHeader("Authorization", "Bearer " + serviceToken());
        return client.request(opts)
                .compose(req -> req.send(Buffer.buffer(json)))
                .compose(res -> res.body().map(buf -> new Answer(res.statusCode(), parse(buf))))
                .recover(err -> Future.failedFuture(err instanceof ProblemException ? err : unavailable()));
    }

    private JsonNode parse(Buffer buf) {
        try {
            return buf.length() == 0 ? mapper.createObjectNode() : mapper.readTree(buf.getBytes());
        } catch (Exception e) {
            return mapper.createObjectNode();
        }
    }

    /** The gateway's own service identity towards policy-service, renewed before it expires. */
    private String serviceToken() {
        if (Instant.now().isAfter(serviceTokenRenewAt)) {
            serviceToken = issuer.mint(new Caller("svc:gateway", "platform", Set.of(SERVICE_ROLE), Set.of()), "service");
            serviceTokenRenewAt = Instant.now().plusSeconds(60);
        }
        return serviceToken;
    }

    private static ProblemException unavailable() {
        return new ProblemException(503, "policy_unavailable", "Policy service unavailable",
                "No authorization decision could be obtained; the request is denied").header("Retry-After", "5");
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** One digest per thread: MessageDigest.getInstance (a provider lookup) was a visible part of every request. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static String sha256(String s) {
        MessageDigest d = SHA256.get();
        d.reset();
        return HexFormat.of().formatHex(d.digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static ProblemException unauthenticated(String detail) {
        return new ProblemException(ErrorCode.UNAUTHENTICATED, detail).header("WWW-Authenticate", "Bearer, ApiKey");
    }
}
