package io.hotpass.platform.fault;

import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Puts the fault-injection switch on the service's router when, and only when,
 * {@code hotpass.fault-injection.enabled=true}. The caller is the internal JWT's (verified as for
 * every endpoint, against the gateway's JWKS); only the platform-admin role may look at or change
 * faults. Exports {@code hotpass_fault_injection_active} so an alert can say a fault is on.
 */
@ApplicationScoped
public class FaultInjectionRoutes {

    private static final Logger LOG = Logger.getLogger(FaultInjectionRoutes.class);

    @Inject
    FaultInjectionConfig config;

    @Inject
    FaultSwitch faults;

    @Inject
    IdentityProviderManager identities;

    @Inject
    MeterRegistry registry;

    void register(@Observes Router router) {
        if (!config.enabled()) {
            return;
        }
        LOG.warnf("Fault injection is ENABLED (hotpass.fault-injection.enabled): platform administrators can slow or fail this"
                + " service's routes through %s for up to %s at a time. Never enable it in production.", FaultHttp.PATH, config.maxTtl());
        registry.gauge("hotpass_fault_injection_active", faults, f -> f.active().size());
        FaultHttp.install(router, faults, this::platformAdmin);
    }

    /** The subject of a platform administrator's internal JWT; 401 without a valid one, 403 without the role. */
    Future<String> platformAdmin(RoutingContext rc) {
        Promise<String> p = Promise.promise();
        QuarkusHttpUser.getSecurityIdentity(rc, identities).subscribe().with(identity -> {
            if (identity == null || identity.isAnonymous()) {
                p.fail(new ProblemException(ErrorCode.UNAUTHENTICATED, "A platform administrator's credential is required")
                        .header("WWW-Authenticate", "Bearer"));
            } else if (!identity.hasRole(Caller.PLATFORM_ADMIN)) {
                p.fail(new ProblemException(ErrorCode.FORBIDDEN, "Setting faults needs the platform-admin role"));
            } else {
                p.complete(identity.getPrincipal().getName());
            }
        }, err -> p.fail(new ProblemException(ErrorCode.UNAUTHENTICATED, "The credential is not valid").header("WWW-Authenticate", "Bearer")));
        return p.future();
    }
}
