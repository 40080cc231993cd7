package io.hotpass.policy.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.casbin.jcasbin.main.CoreEnforcer;
import org.casbin.jcasbin.main.Enforcer;
import org.casbin.jcasbin.persist.Adapter;
import org.casbin.jcasbin.rbac.RoleManager;
import org.junit.jupiter.api.Test;

/**
 * {@code hasRole} answers from the bindings worked out at load time exactly as jCasbin's own role
 * manager answers from the same {@code g} rules (which it replaced for speed): checked over random
 * bindings, with subjects bound to roles and roles bound to roles, in tenants and in {@code *}.
 */
class RoleMembershipTest {

    static final List<String> ROLES = List.of("tenant-admin", "steward", "viewer", "auditor", "platform-admin");
    static final List<String> SUBJECTS = List.of("alice", "bob", "carol", "svc-1", "steward", "viewer", "nobody");
    static final List<String> DOMAINS = List.of("*", "acme", "globex");

    @Test
    void answersAsJcasbinsRoleManagerDoes() {
        Random r = new Random(PolicyPropertiesTest.SEED);
        for (int i = 0; i < 300; i++) {
            List<PolicyRule> rules = new ArrayList<>();
            int n = r.nextInt(30);
            for (int k = 0; k < n; k++) {
                // Subjects, and roles as subjects (a role bound to a role: inheritance).
                String sub = r.nextInt(4) == 0 ? PolicyPropertiesTest.pick(r, ROLES) : PolicyPropertiesTest.pick(r, SUBJECTS);
                rules.add(PolicyRule.binding(k + 1, sub, PolicyPropertiesTest.pick(r, ROLES), PolicyPropertiesTest.pick(r, DOMAINS)));
            }
            RoleMembership ours = RoleMembership.of(rules);
            RoleManager jcasbin = jcasbinRoles(rules);
            for (String sub : concat(SUBJECTS, ROLES)) {
                for (String role : ROLES) {
                    for (String dom : List.of("acme", "globex", "initech")) {
                        boolean expected = sub.equals(role) || jcasbin.hasLink(sub, role, dom) || jcasbin.hasLink(sub, role, "*");
                        int c = i;
                        assertEquals(expected, ours.holds(sub, role, dom),
                                () -> "case " + c + ": hasRole(" + sub + ", " + role + ", " + dom + ") over " + rules);
                    }
                }
            }
        }
    }

    @Test
    void bindingsAreFollowedThroughRolesAndPerTenant() {
        RoleMembership m = RoleMembership.of(List.of(
                PolicyRule.binding(1, "alice", "steward", "acme"),
                PolicyRule.binding(2, "steward", "viewer", "acme"), // stewards are viewers in acme
                PolicyRule.binding(3, "bob", "auditor", "*"),
                new PolicyRule(4, "p", "alice", "acme", "*", "*", "allow"))); // p rules are not bindings
        assertTrue(m.holds("alice", "steward", "acme"));
        assertTrue(m.holds("alice", "viewer", "acme"), "through the role's own binding");
        assertFalse(m.holds("alice", "steward", "globex"));
        assertTrue(m.holds("bob", "auditor", "globex"), "bound in every tenant");
        assertTrue(m.holds("viewer", "viewer", "initech"), "a role is itself");
        assertFalse(m.holds("nobody", "viewer", "acme"));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** The role manager jCasbin builds for the policy's model from the same rules. */
    private static RoleManager jcasbinRoles(List<PolicyRule> rules) {
        Enforcer e = new Enforcer(CoreEnforcer.newModel(PolicyLoader.MODEL), new Adapter() {
            @Override
            public void loadPolicy(org.casbin.jcasbin.model.Model model) {
                for (PolicyRule rule : rules) {
                    model.addPolicy(rule.ptype(), rule.ptype(), rule.values());
                }
            }

            @Override
            public void savePolicy(org.casbin.jcasbin.model.Model model) {
            }

            @Override
            public void addPolicy(String sec, String ptype, List<String> rule) {
            }

            @Override
            public void removePolicy(String sec, String ptype, List<String> rule) {
            }

            @Override
            public void removeFilteredPolicy(String sec, String ptype, int fieldIndex, String... fieldValues) {
            }
        }, false);
        return e.getRmMap().get("g");
    }
}
