package io.hotpass.policy.tenant;

import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Onboards and reads tenants. Only platform administrators create tenants or read other tenants. */
@ApplicationScoped
public class TenantService {

    public Tenant create(Caller caller, CreateTenantRequest req) {
        if (!caller.isPlatformAdmin()) {
            throw new ProblemException(ErrorCode.FORBIDDEN, "Onboarding a tenant needs the platform-admin role");
        }
        if (Tenant.findById(req.id()) != null) {
            throw new ProblemException(409, "tenant_exists", "Tenant exists", "Tenant '" + req.id() + "' already exists");
        }
        Tenant t = new Tenant();
        t.id = req.id();
        t.displayName = req.displayName();
        t.status = "active";
        t.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        t.createdBy = caller.subject();
        t.persist();
        return t;
    }

    public Tenant get(Caller caller, String id) {
        // Another tenant's id answers 404 exactly like a missing one, so existence does not leak.
        if (!caller.isPlatformAdmin() && !caller.tenant().equals(id)) {
            throw ProblemException.notFound("tenant_not_found", "No tenant " + id);
        }
        Tenant t = Tenant.findById(id);
        if (t == null) {
            throw ProblemException.notFound("tenant_not_found", "No tenant " + id);
        }
        return t;
    }
}
