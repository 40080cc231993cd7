package io.hotpass.policy.decision;

import io.hotpass.platform.tenancy.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.casbin.jcasbin.main.CoreEnforcer;
import org.casbin.jcasbin.main.Enforcer;
import org.casbin.jcasbin.model.Model;
import org.casbin.jcasbin.persist.Adapter;

/**
 * Turns the rows of one policy version into a {@link PolicySnapshot}: validates every rule, builds
 * a fresh jCasbin enforcer (RBAC with domains, deny-overrides) and evaluates once so that its
 * lazily registered functions exist before any concurrent decision uses it. Anything wrong is an
 * {@link InvalidPolicyException}; the caller decides whether that means "keep the old version" or
 * "fail closed".
 */
public final class PolicyLoader {

    /**
     * The jCasbin model. Domains are tenants ({@code *} in a rule means every tenant); {@code g}
     * holds role bindings per tenant; the effect is deny-overrides. {@code wildcardMatch} and
     * {@code hasRole} are ours: see {@link WildcardPattern} and {@link RoleMembership} for why the
     * built-in {@code keyMatch} and {@code g} are not used. Cheap string comparisons come first so
     * that most rules are rejected before any function call.
     */
    static final String MODEL = """
            [request_definition]
            r = sub, dom, act, obj

            [policy_definition]
            p = sub, dom, act, obj, eft

            [role_definition]
            g = _, _, _

            [policy_effect]
            e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

            [matchers]
            m = (p.dom == r.dom || p.dom == "*") && wildcardMatch(r.act, p.act) && wildcardMatch(r.obj, p.obj) \
            && hasRole(r.sub, p.sub, r.dom)
            """;

    static final int MAX_VALUE_LENGTH = 1024;

    private PolicyLoader() {
    }

    public static PolicySnapshot load(long version, List<PolicyRule> rules) throws InvalidPolicyException {
        return load(version, rules, Set.of());
    }

    /** As {@link #load(long, List)}, with the tenants whose subjects are all refused ({@code subject_disabled}). */
    public static PolicySnapshot load(long version, List<PolicyRule> rules, Set<String> suspendedTenants)
            throws InvalidPolicyException {
        if (version <= 0) {
            throw new InvalidPolicyException("no policy version has been published");
        }
        Map<List<String>, Long> ids = new HashMap<>();
        for (PolicyRule rule : rules) {
            validate(rule, "rule " + rule.id() + ": ");
            ids.putIfAbsent(rule.values(), rule.id());
        }
        try {
            // jCasbin evaluates the matcher against every p rule it holds, and each evaluation builds
            // maps and an expression environment, so a decision costs time and garbage linear in the
            // rules of the enforcer asked. A rule can only match a principal that is, or holds, the
            // rule's role (hasRole) in the request's tenant, and only there or under '*'. So the rules
            // are split by (tenant, role): one enforcer per role for the '*' rules, and for each tenant
            // with rules of its own, one per role holding that tenant's and the '*' rules of the role
            // (a role without rules of the tenant's own shares the '*' one). A decision asks only the
            // enforcers of the roles its principals hold: the same rules can match, far fewer are tried.
            List<PolicyRule> global = new ArrayList<>();
            Map<String, List<PolicyRule>> byTenant = new HashMap<>();
            for (PolicyRule rule : rules) {
                if (!"p".equals(rule.ptype())) {
                    continue; // bindings are answered by RoleMembership, not held by enforcers
                }
                String domain = rule.v1();
                if (ANY_DOMAIN.equals(domain)) {
                    global.add(rule);
                } else {
                    byTenant.computeIfAbsent(domain, d -> new ArrayList<>()).add(rule);
                }
            }
            RoleMembership membership = RoleMembership.of(rules);
            Map<String, List<PolicyRule>> globalByRole = byRole(global);
            Map<String, Enforcer> shared = enforcersByRole(globalByRole, membership);
            Map<String, Map<String, Enforcer>> tenants = new HashMap<>();
            for (Map.Entry<String, List<PolicyRule>> e : byTenant.entrySet()) {
                Map<String, List<PolicyRule>> own = byRole(e.getValue());
                Map<String, Enforcer> enforcers = new HashMap<>(shared);
                for (Map.Entry<String, List<PolicyRule>> role : own.entrySet()) {
                    List<PolicyRule> roleRules = new ArrayList<>(globalByRole.getOrDefault(role.getKey(), List.of()));
                    roleRules.addAll(role.getValue());
                    enforcers.put(role.getKey(), enforcer(roleRules, membership));
                }
                tenants.put(e.getKey(), Map.copyOf(enforcers));
            }
            return new PolicySnapshot(version, shared, tenants, membership, ids, rules, suspendedTenants);
        } catch (RuntimeException e) {
            throw new InvalidPolicyException("jCasbin could not load the rules: " + e.getClass().getSimpleName(), e);
        }
    }

    private static final String ANY_DOMAIN = "*";

    /** Permission rules by the role they are given to, in their order. */
    private static Map<String, List<PolicyRule>> byRole(List<PolicyRule> permissionRules) {
        Map<String, List<PolicyRule>> byRole = new HashMap<>();
        for (PolicyRule rule : permissionRules) {
            byRole.computeIfAbsent(rule.v0(), r -> new ArrayList<>()).add(rule);
        }
        return byRole;
    }

    private static Map<String, Enforcer> enforcersByRole(Map<String, List<PolicyRule>> byRole, RoleMembership membership) {
        Map<String, Enforcer> enforcers = new HashMap<>();
        for (Map.Entry<String, List<PolicyRule>> e : byRole.entrySet()) {
            enforcers.put(e.getKey(), enforcer(e.getValue(), membership));
        }
        return Map.copyOf(enforcers);
    }

    /**
     * An enforcer over {@code rules} (permission rules of one role); {@code membership} answers
     * {@code hasRole} from every binding of the version (it only follows bindings of the request's
     * tenant and of {@code *}).
     */
    private static Enforcer enforcer(List<PolicyRule> rules, RoleMembership membership) {
        Model model = CoreEnforcer.newModel(MODEL);
        Enforcer enforcer = new Enforcer(model, new RuleListAdapter(rules), false);
        enforcer.addFunction(WildcardPattern.FUNCTION, new WildcardPattern());
        enforcer.addFunction(RoleMembership.FUNCTION, membership);
        enforcer.enforceEx(rules.isEmpty() ? KnownRoles.VIEWER : rules.get(0).v0(), "warm-up", "warm:up", "warm/up");
        return enforcer;
    }

    static void validate(PolicyRule rule) throws InvalidPolicyException {
        validate(rule, "rule " + rule.id() + ": ");
    }

    /** Checks one rule on its own; the message starts with {@code where} (e.g. {@code "add[2]: "}). */
    public static void validate(PolicyRule rule, String where) throws InvalidPolicyException {
        switch (rule.ptype() == null ? "" : rule.ptype()) {
            case "p" -> {
                if (!KnownRoles.isKnown(rule.v0())) {
                    throw new InvalidPolicyException(where + "unknown role");
                }
                domain(where, rule.v1());
                pattern(where + "action ", rule.v2());
                pattern(where + "resource ", rule.v3());
                if (!"allow".equals(rule.v4()) && !"deny".equals(rule.v4())) {
                    throw new InvalidPolicyException(where + "effect must be allow or deny");
                }
            }
            case "g" -> {
                pattern(where + "subject ", rule.v0());
                if (rule.v0().contains("*")) {
                    throw new InvalidPolicyException(where + "a binding names one subject, not a pattern");
                }
                if (!KnownRoles.isKnown(rule.v1())) {
                    throw new InvalidPolicyException(where + "unknown role");
                }
                domain(where, rule.v2());
                if (!isEmpty(rule.v3()) || !isEmpty(rule.v4())) {
                    throw new InvalidPolicyException(where + "a binding has exactly three values");
                }
            }
            default -> throw new InvalidPolicyException(where + "type must be p or g");
        }
    }

    private static void domain(String where, String domain) throws InvalidPolicyException {
        if (!"*".equals(domain) && !TenantId.isValid(domain)) {
            throw new InvalidPolicyException(where + "domain must be a tenant id or *");
        }
    }

    private static void pattern(String what, String value) throws InvalidPolicyException {
        if (value == null || value.isBlank()) {
            throw new InvalidPolicyException(what + "must not be empty");
        }
        if (value.length() > MAX_VALUE_LENGTH || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidPolicyException(what + "must be at most " + MAX_VALUE_LENGTH
                    + " visible ASCII characters");
        }
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    /** Hands jCasbin the rules already read (and validated) from PostgreSQL; it never writes. */
    private record RuleListAdapter(List<PolicyRule> rules) implements Adapter {
        @Override
        public void loadPolicy(Model model) {
            for (PolicyRule r : rules) {
                model.addPolicy(r.ptype(), r.ptype(), r.values());
            }
        }

        @Override
        public void savePolicy(Model model) {
            throw new UnsupportedOperationException("policies change through policy-service, not jCasbin");
        }

        @Override
        public void addPolicy(String sec, String ptype, List<String> rule) {
            throw new UnsupportedOperationException("policies change through policy-service, not jCasbin");
        }

        @Override
        public void removePolicy(String sec, String ptype, List<String> rule) {
            throw new UnsupportedOperationException("policies change through policy-service, not jCasbin");
        }

        @Override
        public void removeFilteredPolicy(String sec, String ptype, int fieldIndex, String... fieldValues) {
            throw new UnsupportedOperationException("policies change through policy-service, not jCasbin");
        }
    }
}
