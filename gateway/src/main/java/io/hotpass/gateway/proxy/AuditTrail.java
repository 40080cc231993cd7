package io.hotpass.gateway.proxy;

import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.outbox.Outbox;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Sends every denied request and every mutating request to the audit log, through the gateway's
 * outbox (destination {@code audit}), so an audit entry is never lost while policy-service is down.
 * Entries name the actor, action, resource and outcome — never a token, key or request body.
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    static final Set<HttpMethod> MUTATING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    @Inject
    Outbox outbox;

    @Inject
    Vertx vertx;

    @Inject
    AuditSpool spool;

    static boolean isMutating(HttpMethod method) {
        return MUTATING.contains(method);
    }

    public void record(Caller caller, String action, String resource, HttpServerRequest req, int status, String decision,
            String reason, String traceId) {
        UUID id = UUID.randomUUID();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("eventId", id.toString());
        entry.put("occurredAt", Instant.now().toString());
        entry.put("tenant", caller.tenant());
        entry.put("actor", caller.subject());
        entry.put("action", action);
        entry.put("resource", resource);
        entry.put("method", req.method().name());
        entry.put("path", req.path());
        entry.put("status", status);
        entry.put("decision", decision);
        if (reason != null) {
            entry.put("reason", reason);
        }
        entry.put("traceId", traceId);
        vertx.executeBlocking(() -> {
            try {
                outbox.enqueue(id, "audit", "AuditEntry", caller.tenant(), entry);
            } catch (RuntimeException e) {
                // The gateway's database is away: the entry waits on disk and reaches the outbox later.
                if (spool.spool(id, caller.tenant(), entry)) {
                    LOG.warnf("Audit entry %s spooled to disk; the outbox is unavailable: %s", id, e.getMessage());
                } else {
                    throw e;
                }
            }
            return null;
        }, false).onFailure(err -> LOG.errorf("Audit entry %s was lost: neither the outbox nor the spool took it: %s",
                id, err.getMessage()));
    }
}
