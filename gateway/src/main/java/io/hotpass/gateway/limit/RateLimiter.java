package io.hotpass.gateway.limit;

import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.redis.client.RedisAPI;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Per-tenant and per-credential token buckets. A tenant's flood empties only its own buckets, so
 * other tenants keep their full rate. Answers carry {@code RateLimit-*} headers; a refusal is 429
 * {@code rate_limited} with {@code Retry-After}.
 */
@ApplicationScoped
public class RateLimiter {

    @Inject
    RateLimitConfig config;

    @Inject
    Instance<RedisAPI> redis;

    private RateLimitStore store;

    @PostConstruct
    void init() {
        InMemoryRateLimitStore memory = new InMemoryRateLimitStore();
        store = "redis".equalsIgnoreCase(config.store()) ? new RedisRateLimitStore(redis.get(), memory) : memory;
    }

    /** Takes a token from the tenant's and the caller's buckets; fails with 429 when either is empty. */
    public Future<RateLimitStore.Outcome> check(Caller caller, String tenant) {
        if (!config.enabled()) {
            return Future.succeededFuture(new RateLimitStore.Outcome(true, -1, 0));
        }
        return store.take("t:" + tenant, config.tenantRate(), config.tenantBurst()).compose(t -> {
            if (!t.allowed()) {
                return Future.failedFuture(limited(t, "tenant", config.tenantBurst()));
            }
            return store.take("s:" + caller.subject(), config.subjectRate(), config.subjectBurst()).compose(s -> s.allowed()
                    ? Future.succeededFuture(s.remaining() < t.remaining() ? s : t)
                    : Future.failedFuture(limited(s, "credential", config.subjectBurst())));
        });
    }

    public void headers(HttpServerResponse res, RateLimitStore.Outcome o) {
        if (o != null && o.remaining() >= 0) {
            res.headers().set("RateLimit-Limit", Integer.toString(Math.min(config.tenantBurst(), config.subjectBurst())));
            res.headers().set("RateLimit-Remaining", Long.toString(o.remaining()));
        }
    }

    private static ProblemException limited(RateLimitStore.Outcome o, String scope, int limit) {
        long seconds = Math.max(1, (o.retryAfterMillis() + 999) / 1000);
        return new ProblemException(ErrorCode.RATE_LIMITED, "Too many requests for this " + scope + "; retry after "
                + seconds + " s").with("scope", scope).header("Retry-After", Long.toString(seconds))
                .header("RateLimit-Limit", Integer.toString(limit)).header("RateLimit-Remaining", "0")
                .header("RateLimit-Reset", Long.toString(seconds));
    }
}
