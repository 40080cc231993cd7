package io.hotpass.policy.rules;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hotpass.policy.decision.PolicyRule;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A policy rule as the API shows and accepts it, instead of jCasbin's positional {@code v0..v4}.
 * A permission ({@code allow} or {@code deny}) names a role, a tenant ({@code *} for every tenant),
 * an action pattern and a resource pattern; a {@code binding} gives one subject a role in a tenant.
 * {@code id} is ignored on input.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A permission (type allow/deny: role, tenant, action, resource) or a binding (type binding:"
        + " subject, role, tenant)")
public record RuleView(
        Long id,
        @NotBlank @Pattern(regexp = "allow|deny|binding", message = "must be allow, deny or binding") String type,
        @Size(max = 1024) String subject,
        @NotBlank @Size(max = 1024) String role,
        @NotBlank @Size(max = 1024) String tenant,
        @Size(max = 1024) String action,
        @Size(max = 1024) String resource) {

    public static final String ALLOW = "allow";
    public static final String DENY = "deny";
    public static final String BINDING = "binding";

    public static RuleView of(PolicyRule r) {
        if ("g".equals(r.ptype())) {
            return new RuleView(r.id(), BINDING, r.v0(), r.v1(), r.v2(), null, null);
        }
        return new RuleView(r.id(), r.v4(), null, r.v0(), r.v1(), r.v2(), r.v3());
    }

    /** The stored form; blank optional fields become empty so validation names them. */
    public PolicyRule toRule(long id) {
        if (BINDING.equals(type)) {
            return PolicyRule.binding(id, nz(subject), role, tenant);
        }
        return new PolicyRule(id, "p", role, tenant, nz(action), nz(resource), type);
    }

    /** Two rules are the same rule when everything but the id agrees. */
    public boolean sameAs(PolicyRule r) {
        return toRule(r.id()).values().equals(r.values());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
