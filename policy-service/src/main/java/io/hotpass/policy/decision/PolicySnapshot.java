package io.hotpass.policy.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.casbin.jcasbin.main.EnforceResult;
import org.casbin.jcasbin.main.Enforcer;

/**
 * One loaded, validated policy version and the jCasbin enforcer built from it. A decision is
 * evaluated entirely against one snapshot; a new version is a new snapshot swapped in whole, never
 * a change to this one. A snapshot without an enforcer stands for a missing or invalid policy and
 * denies everything with {@link ReasonCode#POLICY_INVALID}.
 */
public final class PolicySnapshot {

    private static final String TENANT_PREFIX = "tenant/";

    private final long version;
    /** Role → an enforcer of the '*' rules given to it, for tenants without rules of their own. */
    private final Map<String, Enforcer> shared;
    /** Per tenant with rules of its own: role → an enforcer of its and the '*' rules of the role (see PolicyLoader). */
    private final Map<String, Map<String, Enforcer>> tenantRules;
    private final RoleMembership membership;
    private final Map<List<String>, Long> ruleIds;
    private final List<PolicyRule> rules;
    private final Set<String> suspendedTenants;

    PolicySnapshot(long version, Map<String, Enforcer> shared, Map<String, Map<String, Enforcer>> tenantRules,
            RoleMembership membership,
            Map<List<String>, Long> ruleIds, List<PolicyRule> rules, Set<String> suspendedTenants) {
        this.tenantRules = Map.copyOf(tenantRules);
        this.suspendedTenants = Set.copyOf(suspendedTenants);
        this.version = version;
        this.shared = shared;
        this.membership = membership;
        this.ruleIds = Map.copyOf(ruleIds);
        this.rules = List.copyOf(rules);
    }

    /** A snapshot that fails closed: every decision is a deny with {@code policy_invalid}. */
    public static PolicySnapshot invalid(long version) {
        return new PolicySnapshot(version, null, Map.of(), null, Map.of(), List.of(), Set.of());
    }

    public long version() {
        return version;
    }

    public boolean valid() {
        return shared != null;
    }

    /** The rules of this version, in id order (empty for an invalid snapshot). */
    public List<PolicyRule> rules() {
        return rules;
    }

    public Decision decide(DecisionRequest request) {
        if (shared == null) {
            return Decision.deny(ReasonCode.POLICY_INVALID, version);
        }
        if (suspendedTenants.contains(request.tenant())) {
            // Every subject of a suspended tenant is refused, whatever its roles.
            return Decision.deny(ReasonCode.SUBJECT_DISABLED, version);
        }
        List<String> principals = principals(request);
        if (principals.isEmpty()) {
            return Decision.deny(ReasonCode.TENANT_MISMATCH, version);
        }
        Set<Long> allowedBy = new TreeSet<>();
        Set<Long> deniedBy = new TreeSet<>();
        Map<String, Enforcer> byRole = tenantRules.getOrDefault(request.tenant(), shared);
        try {
            for (String principal : principals) {
                // Only the enforcers of roles the principal is or holds: no other rule can match it.
                for (String role : membership.heldAmong(principal, byRole.keySet(), request.tenant())) {
                    EnforceResult r = byRole.get(role).enforceEx(principal, request.tenant(), request.action(),
                            request.resource());
                    Long rule = ruleIds.get(r.getExplain());
                    if (r.isAllow()) {
                        allowedBy.add(rule == null ? -1L : rule);
                    } else if (!r.getExplain().isEmpty()) {
                        deniedBy.add(rule == null ? -1L : rule);
                    }
                }
            }
        } catch (RuntimeException e) {
            // A policy that cannot be evaluated is as good as none: fail closed.
            return Decision.deny(ReasonCode.POLICY_INVALID, version);
        }
        if (!deniedBy.isEmpty()) {
            return new Decision(false, ReasonCode.DENIED_BY_RULE, ids(deniedBy), version);
        }
        if (!allowedBy.isEmpty()) {
            return new Decision(true, ReasonCode.ALLOWED_BY_ROLE, ids(allowedBy), version);
        }
        return Decision.deny(ReasonCode.NO_MATCHING_PERMISSION, version);
    }

    /**
     * Whom the rules are asked about: the request's roles and (for direct bindings) the subject
     * itself; only the platform roles when the resource belongs to another tenant. Empty means
     * the subject reaches into another tenant without a platform role.
     */
    private static List<String> principals(DecisionRequest request) {
        Set<String> roles = new TreeSet<>(request.roles()); // sorted: the same input evaluates the same way
        List<String> principals = new ArrayList<>();
        String owner = resourceTenant(request.resource());
        if (owner != null && !owner.equals(request.tenant())) {
            // A subject never acts in another tenant; only a platform role may, and then only what
            // the platform role's own rules allow (an explicit deny still wins).
            roles.stream().filter(KnownRoles::isPlatformRole).forEach(principals::add);
        } else {
            principals.addAll(roles);
            // Direct bindings (g rules) of the subject itself; a subject named like a role must not
            // pick up that role's rules by its name alone.
            if (!KnownRoles.isKnown(request.subject())) {
                principals.add(request.subject());
            }
        }
        return principals;
    }

    /**
     * The decision with its working shown, for administrators: the principals asked about, the
     * roles each holds in the request's tenant, and every permission rule of those roles with which
     * of its parts matched. Evaluated under this one version, like the decision it reports.
     */
    public Explanation explain(DecisionRequest request) {
        Decision decision = decide(request);
        List<String> principals = valid() ? principals(request) : List.of();
        Set<String> heldRoles = new TreeSet<>();
        for (String principal : principals) {
            // What decide() follows: the principal itself and every role it reaches in the tenant or
            // in '*', through role-to-role bindings too.
            heldRoles.add(principal);
            heldRoles.addAll(membership.rolesHeld(principal, request.tenant()));
        }
        List<Explanation.RuleCheck> checks = new ArrayList<>();
        for (PolicyRule r : rules) {
            if (!"p".equals(r.ptype()) || !heldRoles.contains(r.v0())) {
                continue;
            }
            boolean tenant = r.v1().equals(request.tenant()) || r.v1().equals("*");
            boolean action = WildcardPattern.matches(request.action(), r.v2());
            boolean resource = WildcardPattern.matches(request.resource(), r.v3());
            checks.add(new Explanation.RuleCheck(r.id(), r.v4(), r.v0(), r.v1(), r.v2(), r.v3(), tenant, action,
                    resource, tenant && action && resource));
        }
        return new Explanation(decision, principals, List.copyOf(heldRoles), checks);
    }

    /** {@code acme} for {@code tenant/acme/datasets} or {@code tenant/acme}; null when not a tenant resource. */
    static String resourceTenant(String resource) {
        if (!resource.startsWith(TENANT_PREFIX)) {
            return null;
        }
        int end = resource.indexOf('/', TENANT_PREFIX.length());
        return end < 0 ? resource.substring(TENANT_PREFIX.length()) : resource.substring(TENANT_PREFIX.length(), end);
    }

    private static List<String> ids(Set<Long> ids) {
        return ids.stream().map(String::valueOf).toList();
    }
}
