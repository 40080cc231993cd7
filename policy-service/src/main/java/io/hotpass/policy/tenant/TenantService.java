package io.hotpass.policy.tenant;

import io.hotpass.platform.auth.Caller;
import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Onboards and reads tenants. Only platform administrators create tenants or read other tenants. */
@ApplicationScoped
public class TenantService {

    static final String PLATFORM_TENANT = "platform";

    @jakarta.inject.Inject
    io.hotpass.policy.keycloak.KeycloakOnboarding keycloak;
    static final String ACTIVE = "active";
    @jakarta.inject.Inject
    io.hotpass.policy.rules.PolicyChanges policyChanges;

    public Tenant create(Caller caller, CreateTenantRequest req) {
        if (!caller.isPlatformAdmin()) {
            throw new ProblemException(ErrorCode.FORBIDDEN, "Onboarding a tenant needs the platform-admin role");
        }
        if (Tenant.findById(req.id()) != null) {
            throw new ProblemException(409, "tenant_exists", "Tenant exists", "Tenant '" + req.id() + "' already exists");
        }
        if (keycloak.enabled()) {
            // Before the row: if Keycloak fails, nothing is recorded and the retry finishes the job.
            keycloak.onboard(req.id());
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

    /**
     * Suspends or resumes a tenant. A change of status publishes a new policy version in the same
     * transaction (the rules stay as they are), so every replica and every gateway cache sees the
     * suspension the way it sees any policy change; from then on every decision for a subject of
     * that tenant is {@code subject_disabled}. Setting the status it already has changes nothing.
     */
    @Transactional
    public Tenant setStatus(Caller caller, String id, String status) {
        if (!caller.isPlatformAdmin()) {
            throw new ProblemException(ErrorCode.FORBIDDEN, "Suspending a tenant needs the platform-admin role");
        }
        if (PLATFORM_TENANT.equals(id) && !ACTIVE.equals(status)) {
            throw new ProblemException(422, "tenant_protected", "Tenant protected",
                    "The platform tenant holds the administrators' own keys and cannot be suspended");
        }
        Tenant t = get(caller, id);
        if (t.status.equals(status)) {
            return t;
        }
        t.status = status;
        Tenant.getEntityManager().flush();
        policyChanges.publishUnchanged(caller.subject(), "tenant " + id + " " + status);
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
