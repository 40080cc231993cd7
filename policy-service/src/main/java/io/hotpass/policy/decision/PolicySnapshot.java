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
    private final Enforcer enforcer;
    private final Map<List<String>, Long> ruleIds;

    PolicySnapshot(long version, Enforcer enforcer, Map<List<String>, Long> ruleIds) {
        this.version = version;
        this.enforcer = enforcer;
        this.ruleIds = Map.copyOf(ruleIds);
    }

    /** A snapshot that fails closed: every decision is a deny with {@code policy_invalid}. */
    public static PolicySnapshot invalid(long version) {
        return new PolicySnapshot(version, null, Map.of());
    }

    public long version() {
        return version;
    }

    public boolean valid() {
        return enforcer != null;
    }

    public Decision decide(DecisionRequest request) {
        if (enforcer == null) {
            return Decision.deny(ReasonCode.POLICY_INVALID, version);
        }
        Set<String> roles = new TreeSet<>(request.roles()); // sorted: the same input evaluates the same way
        List<String> principals = new ArrayList<>();
        String owner = resourceTenant(request.resource());
        if (owner != null && !owner.equals(request.tenant())) {
            // A subject never acts in another tenant; only a platform role may, and then only what
            // the platform role's own rules allow (an explicit deny still wins).
            roles.stream().filter(KnownRoles::isPlatformRole).forEach(principals::add);
            if (principals.isEmpty()) {
                return Decision.deny(ReasonCode.TENANT_MISMATCH, version);
            }
        } else {
            principals.addAll(roles);
            // Direct bindings (g rules) of the subject itself; a subject named like a role must not
            // pick up that role's rules by its name alone.
            if (!KnownRoles.isKnown(request.subject())) {
                principals.add(request.subject());
            }
        }
        Set<Long> allowedBy = new TreeSet<>();
        Set<Long> deniedBy = new TreeSet<>();
        try {
            for (String principal : principals) {
                EnforceResult r = enforcer.enforceEx(principal, request.tenant(), request.action(), request.resource());
                Long rule = ruleIds.get(r.getExplain());
                if (r.isAllow()) {
                    allowedBy.add(rule == null ? -1L : rule);
                } else if (!r.getExplain().isEmpty()) {
                    deniedBy.add(rule == null ? -1L : rule);
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
