package io.hotpass.policy.decision;

import com.googlecode.aviator.runtime.function.FunctionUtils;
import com.googlecode.aviator.runtime.type.AviatorBoolean;
import com.googlecode.aviator.runtime.type.AviatorObject;
import java.util.Map;
import org.casbin.jcasbin.rbac.RoleManager;
import org.casbin.jcasbin.util.function.CustomFunction;

/**
 * {@code hasRole(sub, role, dom)}: the subject is the role itself, or holds it in that tenant or in
 * every tenant ({@code *}) through the {@code g} bindings of <em>this</em> policy version.
 *
 * <p>It stands in for jCasbin's generated {@code g()} function, which memoises its answers in a
 * static map keyed only by the function's name ({@code BuiltInFunctions.GenerateGFunctionClass}),
 * shared by every enforcer in the JVM. While an old and a new version both serve decisions
 * during a swap, {@code g()} could answer a question about the new version from the old one's
 * bindings; this function asks its own version's role manager and nothing else.
 */
final class RoleMembership extends CustomFunction {

    static final String FUNCTION = "hasRole";
    static final String ANY_DOMAIN = "*";

    private final RoleManager roles;

    RoleMembership(RoleManager roles) {
        this.roles = roles;
    }

    @Override
    public AviatorObject call(Map<String, Object> env, AviatorObject subject, AviatorObject role, AviatorObject domain) {
        String sub = FunctionUtils.getStringValue(subject, env);
        String name = FunctionUtils.getStringValue(role, env);
        if (sub.equals(name)) {
            return AviatorBoolean.TRUE;
        }
        String dom = FunctionUtils.getStringValue(domain, env);
        return AviatorBoolean.valueOf(roles.hasLink(sub, name, dom) || roles.hasLink(sub, name, ANY_DOMAIN));
    }

    @Override
    public String getName() {
        return FUNCTION;
    }
}
