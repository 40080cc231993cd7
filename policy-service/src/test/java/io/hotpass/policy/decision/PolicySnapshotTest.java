package io.hotpass.policy.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicySnapshotTest {

    static final List<PolicyRule> DEFAULTS = List.of(
            PolicyRule.allow(1, "tenant-admin", "*", "*", "tenant/*"),
            PolicyRule.allow(2, "steward", "*", "ingest:*", "tenant/*"),
            PolicyRule.allow(3, "steward", "*", "contracts:*", "tenant/*"),
            PolicyRule.allow(4, "steward", "*", "enrichment:*", "tenant/*"),
            PolicyRule.allow(5, "steward", "*", "lineage:*", "tenant/*"),
            PolicyRule.allow(6, "viewer", "*", "*:read", "tenant/*"),
            PolicyRule.allow(7, "viewer", "*", "*:list", "tenant/*"),
            PolicyRule.allow(8, "auditor", "*", "policy:audit:*", "tenant/*"),
            PolicyRule.allow(9, "platform-admin", "*", "*", "*"),
            PolicyRule.allow(10, "hotpass-service", "*", "*", "*"));

    static DecisionRequest req(String tenant, List<String> roles, String action, String resource) {
        return new DecisionRequest("user-1", tenant, roles, action, resource);
    }

    static PolicySnapshot load(List<PolicyRule> rules) {
        try {
            return PolicyLoader.load(7, rules);
        } catch (InvalidPolicyException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void invalidRulesAreRejectedAndAnInvalidSnapshotDeniesEverything() {
        List<List<PolicyRule>> invalid = List.of(
                List.of(new PolicyRule(1, "p", "viewer", "*", "*:read", "tenant/*", "maybe")),
                List.of(PolicyRule.allow(1, "wizard", "*", "*", "tenant/*")),
                List.of(PolicyRule.allow(1, "viewer", "*", "", "tenant/*")),
                List.of(PolicyRule.allow(1, "viewer", "*", "*:read", " ")),
                List.of(PolicyRule.allow(1, "viewer", "Not A Tenant", "*:read", "tenant/*")),
                List.of(PolicyRule.binding(1, "alice", "wizard", "acme")),
                List.of(PolicyRule.binding(1, "*", "viewer", "acme")),
                List.of(new PolicyRule(1, "x", "viewer", "*", "*", "*", "allow")));
        for (List<PolicyRule> rules : invalid) {
            assertThrows(InvalidPolicyException.class, () -> PolicyLoader.load(3, rules), rules.toString());
        }
        assertThrows(InvalidPolicyException.class, () -> PolicyLoader.load(0, DEFAULTS), "no version");

        PolicySnapshot closed = PolicySnapshot.invalid(3);
        Decision d = closed.decide(req("acme", List.of("platform-admin"), "ingest:dataset:read", "tenant/acme/x"));
        assertFalse(d.allow());
        assertEquals(ReasonCode.POLICY_INVALID, d.reason());
        assertEquals(3, d.policyVersion());
    }

    @Test
    void defaultRoles() {
        PolicySnapshot p = load(DEFAULTS);
        assertTrue(p.decide(req("acme", List.of("steward"), "ingest:dataset:create", "tenant/acme/datasets")).allow());
        assertTrue(p.decide(req("acme", List.of("viewer"), "contracts:contract:read", "tenant/acme/contracts/1")).allow());
        assertTrue(p.decide(req("acme", List.of("viewer"), "ingest:dataset:list", "tenant/acme/datasets")).allow());
        assertFalse(p.decide(req("acme", List.of("viewer"), "ingest:dataset:delete", "tenant/acme/datasets/1")).allow());
        assertFalse(p.decide(req("acme", List.of("viewer"), "ingest:dataset:read-all:write", "tenant/acme/d")).allow());
        assertFalse(p.decide(req("acme", List.of("steward"), "policy:audit:query", "tenant/acme/audit")).allow());
        assertTrue(p.decide(req("acme", List.of("auditor"), "policy:audit:query", "tenant/acme/audit")).allow());
        assertTrue(p.decide(req("acme", List.of("tenant-admin"), "policy:apikey:create", "tenant/acme/api-keys")).allow());
        assertFalse(p.decide(req("acme", List.of("tenant-admin"), "platform:tenant:create", "platform/tenants")).allow());
        Decision d = p.decide(req("acme", List.of("steward"), "ingest:dataset:create", "tenant/acme/datasets"));
        assertEquals(List.of("2"), d.matchedRules());
        assertEquals(7, d.policyVersion());
    }

    @Test
    void tenantMismatchUnlessPlatformRole() {
        PolicySnapshot p = load(DEFAULTS);
        Decision d = p.decide(req("acme", List.of("tenant-admin"), "ingest:dataset:read", "tenant/globex/datasets"));
        assertEquals(ReasonCode.TENANT_MISMATCH, d.reason());
        assertEquals(ReasonCode.TENANT_MISMATCH,
                p.decide(req("acme", List.of("tenant-admin"), "ingest:dataset:read", "tenant/acme-evil")).reason());
        assertEquals(ReasonCode.TENANT_MISMATCH,
                p.decide(req("acme", List.of("tenant-admin"), "ingest:dataset:read", "tenant//x")).reason());
        Decision admin = p.decide(req("platform", List.of("platform-admin", "viewer"), "ingest:dataset:delete",
                "tenant/globex/datasets/1"));
        assertTrue(admin.allow());
        assertEquals(List.of("9"), admin.matchedRules());
    }

    @Test
    void explicitDenyBeatsEveryAllow() {
        List<PolicyRule> rules = new ArrayList<>(DEFAULTS);
        rules.add(PolicyRule.deny(11, "viewer", "acme", "ingest:dataset:read", "tenant/acme/datasets/secret*"));
        PolicySnapshot p = load(rules);
        Decision d = p.decide(req("acme", List.of("tenant-admin", "viewer"), "ingest:dataset:read",
                "tenant/acme/datasets/secret-1"));
        assertFalse(d.allow());
        assertEquals(ReasonCode.DENIED_BY_RULE, d.reason());
        assertEquals(List.of("11"), d.matchedRules());
        assertTrue(p.decide(req("acme", List.of("tenant-admin", "viewer"), "ingest:dataset:read",
                "tenant/acme/datasets/public")).allow());
        assertTrue(p.decide(req("globex", List.of("viewer"), "ingest:dataset:read",
                "tenant/globex/datasets/secret-1")).allow(), "the deny is scoped to acme");
    }

    @Test
    void anExplanationShowsTheRolesADecisionFollowsRoleToRoleBindingsIncluded() {
        List<PolicyRule> rules = new ArrayList<>(DEFAULTS);
        rules.add(PolicyRule.binding(11, "alice", "auditor", "acme"));
        rules.add(PolicyRule.binding(12, "auditor", "viewer", "acme")); // acme's auditors read what viewers read
        PolicySnapshot p = load(rules);
        DecisionRequest asked = new DecisionRequest("alice", "acme", List.of(), "ingest:dataset:read",
                "tenant/acme/datasets/1");
        Explanation e = p.explain(asked);
        assertTrue(e.decision().allow(), "alice reads through auditor → viewer");
        assertEquals(List.of("6"), e.decision().matchedRules());
        assertEquals(List.of("alice", "auditor", "viewer"), e.roles());
        Explanation.RuleCheck viewerRead = e.rules().stream().filter(c -> c.id() == 6).findFirst().orElseThrow();
        assertTrue(viewerRead.matched());
        assertTrue(e.rules().stream().anyMatch(c -> c.id() == 8), "the auditor's own rule is shown too");
        assertTrue(e.rules().stream().noneMatch(c -> c.role().equals("steward")));
        // Another tenant: alice's auditor binding is acme's only, so nothing is held there.
        Explanation elsewhere = p.explain(new DecisionRequest("alice", "globex", List.of(), "ingest:dataset:read",
                "tenant/globex/datasets/1"));
        assertFalse(elsewhere.decision().allow());
        assertEquals(List.of("alice"), elsewhere.roles());
        assertTrue(elsewhere.rules().isEmpty());
    }

    @Test
    void bindingsGiveSubjectsRolesInOneTenantOrAll() {
        List<PolicyRule> rules = new ArrayList<>(DEFAULTS);
        rules.add(PolicyRule.binding(20, "alice", "steward", "acme"));
        rules.add(PolicyRule.binding(21, "bob", "viewer", "*"));
        PolicySnapshot p = load(rules);
        assertTrue(p.decide(new DecisionRequest("alice", "acme", List.of(), "ingest:x:create", "tenant/acme/x")).allow());
        assertFalse(p.decide(new DecisionRequest("alice", "globex", List.of(), "ingest:x:create", "tenant/globex/x")).allow());
        assertTrue(p.decide(new DecisionRequest("bob", "globex", List.of(), "ingest:x:read", "tenant/globex/x")).allow());
        // A subject named like a role does not get the role by its name.
        assertFalse(p.decide(new DecisionRequest("tenant-admin", "acme", List.of(), "ingest:x:create", "tenant/acme/x")).allow());
    }

    @Test
    void wildcardPatternMatchesAnywhereAndWhole() {
        assertTrue(WildcardPattern.matches("ingest:dataset:read", "*:read"));
        assertFalse(WildcardPattern.matches("ingest:dataset:delete", "*:read"));
        assertFalse(WildcardPattern.matches("ingest:dataset:read:all", "*:read"));
        assertTrue(WildcardPattern.matches("tenant/acme/datasets/1", "tenant/*"));
        assertTrue(WildcardPattern.matches("tenant/acme", "tenant/*"));
        assertFalse(WildcardPattern.matches("tenants/acme", "tenant/*"));
        assertTrue(WildcardPattern.matches("a:b:c", "a:*:c"));
        assertTrue(WildcardPattern.matches("", "*"));
        assertTrue(WildcardPattern.matches("abc", "a**c"));
        assertFalse(WildcardPattern.matches("abcd", "abc"));
        assertFalse(WildcardPattern.matches("ab", "abc"));
    }
}
