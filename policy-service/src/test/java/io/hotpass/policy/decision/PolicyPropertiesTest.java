package io.hotpass.policy.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Properties of decisions over random policies and requests, checked against a plain-Java
 * statement of the rules. Plain JUnit with a seeded generator rather than jqwik: see the note in
 * docs/adr/0005-jcasbin-not-cedar.md.
 */
class PolicyPropertiesTest {

    static final List<String> TENANTS = List.of("acme", "globex", "initech");
    static final List<String> TENANT_ROLES = List.of("tenant-admin", "steward", "viewer", "auditor");
    static final List<String> ACTIONS = List.of("ingest:dataset:read", "ingest:dataset:create", "contracts:contract:list",
            "policy:audit:query", "lineage:graph:read");
    static final List<String> ACTION_PATTERNS = List.of("*", "ingest:*", "*:read", "*:list", "contracts:*",
            "policy:audit:*", "ingest:dataset:create", "*:dataset:*");
    static final List<String> RESOURCE_PATTERNS = List.of("*", "tenant/*", "tenant/*/datasets*", "tenant/acme/*",
            "tenant/*/audit");

    /** Random policies and requests from a fixed seed, so a failure names a case that can be replayed. */
    static final long SEED = Long.getLong("hotpass.properties.seed", 20261126L);

    static <T> T pick(java.util.Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }

    static List<PolicyRule> policy(java.util.Random r) {
        int n = r.nextInt(26);
        List<PolicyRule> rules = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rules.add(new PolicyRule(i + 1, "p", pick(r, TENANT_ROLES), pick(r, List.of("*", "acme", "globex")),
                    pick(r, ACTION_PATTERNS), pick(r, RESOURCE_PATTERNS), pick(r, List.of("allow", "allow", "deny"))));
        }
        return rules;
    }

    static DecisionRequest request(java.util.Random r) {
        java.util.Set<String> roles = new java.util.LinkedHashSet<>();
        int k = r.nextInt(4);
        for (int i = 0; i < k; i++) {
            roles.add(pick(r, TENANT_ROLES));
        }
        return new DecisionRequest("user-x", pick(r, TENANTS), List.copyOf(roles), pick(r, ACTIONS),
                "tenant/" + pick(r, TENANTS) + "/" + pick(r, List.of("datasets", "datasets/1", "audit", "contracts")));
    }

    /** Runs {@code property} over {@code tries} random (policy, request) cases. */
    static void forAll(int tries, java.util.function.BiConsumer<List<PolicyRule>, DecisionRequest> property) {
        java.util.Random r = new java.util.Random(SEED);
        for (int i = 0; i < tries; i++) {
            List<PolicyRule> rules = policy(r);
            DecisionRequest req = request(r);
            try {
                property.accept(rules, req);
            } catch (AssertionError e) {
                throw new AssertionError("case " + i + " of seed " + SEED + ": " + e.getMessage(), e);
            }
        }
    }

    static PolicySnapshot load(List<PolicyRule> rules) {
        try {
            return PolicyLoader.load(1, rules);
        } catch (InvalidPolicyException e) {
            throw new AssertionError(e);
        }
    }

    /** What the semantics say, computed without jCasbin. */
    static boolean expected(List<PolicyRule> rules, DecisionRequest r) {
        if (!PolicySnapshot.resourceTenant(r.resource()).equals(r.tenant())) {
            return false;
        }
        boolean allow = false;
        for (PolicyRule p : rules) {
            boolean matches = r.roles().contains(p.v0()) && (p.v1().equals("*") || p.v1().equals(r.tenant()))
                    && WildcardPattern.matches(r.action(), p.v2()) && WildcardPattern.matches(r.resource(), p.v3());
            if (matches && p.v4().equals("deny")) {
                return false;
            }
            allow |= matches;
        }
        return allow;
    }

    @Test
    void decisionsFollowDenyOverridesAndDefaultDeny() {
        forAll(1000, PolicyPropertiesTest::denyOverridesAndDefaultDeny);
    }

    static void denyOverridesAndDefaultDeny(List<PolicyRule> rules, DecisionRequest request) {
        Decision d = load(rules).decide(request);
        assertEquals(expected(rules, request), d.allow(), () -> rules + " / " + request + " -> " + d);
        if (!d.allow() && d.reason() == ReasonCode.DENIED_BY_RULE) {
            for (String id : d.matchedRules()) {
                assertEquals("deny", rules.get(Integer.parseInt(id) - 1).v4());
            }
        }
    }

    /**
     * With bindings: subjects bound to roles in a tenant or in every tenant, and roles bound to
     * roles. A principal (a token role, or the subject itself) counts as every role it reaches over
     * the bindings of one domain, the request's tenant or {@code *}.
     */
    @Test
    void bindingsGiveSubjectsAndRolesTheRolesTheyReach() {
        java.util.Random r = new java.util.Random(SEED + 1);
        for (int i = 0; i < 1000; i++) {
            List<PolicyRule> rules = new ArrayList<>(policy(r));
            int n = r.nextInt(8);
            for (int k = 0; k < n; k++) {
                String sub = r.nextInt(5) == 0 ? pick(r, TENANT_ROLES) : pick(r, List.of("user-x", "user-y"));
                rules.add(PolicyRule.binding(rules.size() + 1, sub, pick(r, TENANT_ROLES), pick(r, List.of("*", "acme", "globex"))));
            }
            DecisionRequest base = request(r);
            DecisionRequest req = new DecisionRequest(pick(r, List.of("user-x", "user-y", "user-z")), base.tenant(),
                    r.nextBoolean() ? List.of() : base.roles(), base.action(), base.resource());
            Decision d = load(rules).decide(req);
            int c = i;
            assertEquals(expectedWithBindings(rules, req), d.allow(), () -> "case " + c + ": " + rules + " / " + req + " -> " + d);
        }
    }

    static boolean expectedWithBindings(List<PolicyRule> rules, DecisionRequest r) {
        if (!PolicySnapshot.resourceTenant(r.resource()).equals(r.tenant())) {
            return false;
        }
        java.util.Set<String> held = new java.util.HashSet<>();
        List<String> principals = new ArrayList<>(r.roles());
        principals.add(r.subject());
        for (String principal : principals) {
            held.add(principal);
            for (String domain : List.of(r.tenant(), "*")) {
                java.util.Set<String> reached = new java.util.HashSet<>(List.of(principal));
                boolean grew = true;
                while (grew) {
                    grew = false;
                    for (PolicyRule g : rules) {
                        if ("g".equals(g.ptype()) && g.v2().equals(domain) && reached.contains(g.v0())) {
                            grew |= reached.add(g.v1());
                        }
                    }
                }
                held.addAll(reached);
            }
        }
        boolean allow = false;
        for (PolicyRule p : rules) {
            boolean matches = "p".equals(p.ptype()) && held.contains(p.v0()) && (p.v1().equals("*") || p.v1().equals(r.tenant()))
                    && WildcardPattern.matches(r.action(), p.v2()) && WildcardPattern.matches(r.resource(), p.v3());
            if (matches && p.v4().equals("deny")) {
                return false;
            }
            allow |= matches;
        }
        return allow;
    }

    @Test
    void sameInputSameAnswer() {
        forAll(500, PolicyPropertiesTest::deterministic);
    }

    static void deterministic(List<PolicyRule> rules, DecisionRequest request) {
        Decision first = load(rules).decide(request);
        Decision again = load(rules).decide(request);
        List<String> reversed = new ArrayList<>(request.roles());
        java.util.Collections.reverse(reversed);
        Decision reordered = load(rules).decide(new DecisionRequest(request.subject(), request.tenant(), reversed,
                request.action(), request.resource()));
        assertEquals(first, again);
        assertEquals(first, reordered);
    }

    @Test
    void addingADenyNeverTurnsADenyIntoAnAllow() {
        forAll(500, PolicyPropertiesTest::denyIsMonotonic);
    }

    static void denyIsMonotonic(List<PolicyRule> rules, DecisionRequest request) {
        Decision before = load(rules).decide(request);
        List<PolicyRule> more = new ArrayList<>(rules);
        more.add(new PolicyRule(rules.size() + 1, "p", "viewer", "*", "*", "*", "deny"));
        Decision after = load(more).decide(request);
        if (!before.allow()) {
            assertFalse(after.allow());
        }
        if (request.roles().contains("viewer") && PolicySnapshot.resourceTenant(request.resource()).equals(request.tenant())) {
            assertFalse(after.allow());
        }
    }
}
