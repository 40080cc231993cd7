package io.hotpass.policy.decision;

import java.util.List;

/**
 * One row of {@code policy_rule}. For {@code p}: subject or role, domain (tenant or {@code *}),
 * action pattern, resource pattern, effect. For {@code g}: subject, role, domain.
 */
public record PolicyRule(long id, String ptype, String v0, String v1, String v2, String v3, String v4) {

    public static PolicyRule allow(long id, String role, String domain, String action, String resource) {
        return new PolicyRule(id, "p", role, domain, action, resource, "allow");
    }

    public static PolicyRule deny(long id, String role, String domain, String action, String resource) {
        return new PolicyRule(id, "p", role, domain, action, resource, "deny");
    }

    public static PolicyRule binding(long id, String subject, String role, String domain) {
        return new PolicyRule(id, "g", subject, role, domain, "", "");
    }

    /** The values jCasbin holds for this rule, which is also how a matched rule is found again. */
    public List<String> values() {
        return "g".equals(ptype) ? List.of(v0, v1, v2) : List.of(v0, v1, v2, v3, v4);
    }
}
