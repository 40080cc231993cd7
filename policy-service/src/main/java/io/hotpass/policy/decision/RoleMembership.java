package io.hotpass.policy.decision;

import com.googlecode.aviator.runtime.function.FunctionUtils;
import com.googlecode.aviator.runtime.type.AviatorBoolean;
import com.googlecode.aviator.runtime.type.AviatorObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.casbin.jcasbin.util.function.CustomFunction;

/**
 * {@code hasRole(sub, role, dom)}: the subject is the role itself, or holds it in that tenant or in
 * every tenant ({@code *}) through the {@code g} bindings of <em>this</em> policy version, directly
 * or through roles bound to roles (at most {@value #MAX_HIERARCHY_LEVEL} links, jCasbin's
 * {@code DefaultRoleManager} limit).
 *
 * <p>It stands in for jCasbin's generated {@code g()} function, which memoises its answers in a
 * static map keyed only by the function's name ({@code BuiltInFunctions.GenerateGFunctionClass}),
 * shared by every enforcer in the JVM. While an old and a new version both serve decisions
 * during a swap, {@code g()} could answer a question about the new version from the old one's
 * bindings; this function asks its own version's bindings and nothing else.
 *
 * <p>The roles every bound subject holds are worked out once, when the version loads, and a call
 * is two map lookups. Asking jCasbin's role manager instead ({@code hasLink}) created and removed a
 * {@code Role} for every name it did not know — most subjects asked about hold no binding — and
 * was a quarter of what a decision allocated (bench/policy/README.md).
 */
final class RoleMembership extends CustomFunction {

    static final String FUNCTION = "hasRole";
    static final String ANY_DOMAIN = "*";
    static final int MAX_HIERARCHY_LEVEL = 10;

    /** Domain → subject → every role it holds there (not the subject itself). */
    private final Map<String, Map<String, Set<String>>> held;

    private RoleMembership(Map<String, Map<String, Set<String>>> held) {
        this.held = held;
    }

    /** From the {@code g} rules among {@code rules} (subject, role, domain); {@code p} rules are ignored. */
    static RoleMembership of(List<PolicyRule> rules) {
        Map<String, Map<String, Set<String>>> links = new HashMap<>();
        for (PolicyRule r : rules) {
            if ("g".equals(r.ptype())) {
                links.computeIfAbsent(r.v2(), d -> new HashMap<>()).computeIfAbsent(r.v0(), s -> new HashSet<>()).add(r.v1());
            }
        }
        Map<String, Map<String, Set<String>>> held = new HashMap<>();
        for (Map.Entry<String, Map<String, Set<String>>> domain : links.entrySet()) {
            Map<String, Set<String>> bySubject = new HashMap<>();
            for (String subject : domain.getValue().keySet()) {
                bySubject.put(subject, Set.copyOf(reachable(subject, domain.getValue())));
            }
            held.put(domain.getKey(), Map.copyOf(bySubject));
        }
        return new RoleMembership(Map.copyOf(held));
    }

    /** The roles reachable from {@code subject} over at most {@value #MAX_HIERARCHY_LEVEL} links. */
    private static Set<String> reachable(String subject, Map<String, Set<String>> links) {
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> level = new ArrayDeque<>(List.of(subject));
        for (int depth = 0; depth < MAX_HIERARCHY_LEVEL && !level.isEmpty(); depth++) {
            ArrayDeque<String> next = new ArrayDeque<>();
            for (String s : level) {
                for (String role : links.getOrDefault(s, Set.of())) {
                    if (seen.add(role)) {
                        next.add(role);
                    }
                }
            }
            level = next;
        }
        return seen;
    }

    /** Whether {@code subject} is {@code role} or holds it in {@code domain} or in every domain. */
    boolean holds(String subject, String role, String domain) {
        return subject.equals(role) || holdsIn(subject, role, domain) || holdsIn(subject, role, ANY_DOMAIN);
    }

    /**
     * Which of {@code roles} {@code subject} is, or holds in {@code domain} or every domain, in name
     * order (the same request asks in the same order). Empty when it is none of them: no rule given
     * to those roles can match it.
     */
    List<String> heldAmong(String subject, Set<String> roles, String domain) {
        List<String> found = new ArrayList<>(2);
        if (roles.contains(subject)) {
            found.add(subject);
        }
        addHeldIn(found, subject, roles, domain);
        addHeldIn(found, subject, roles, ANY_DOMAIN);
        if (found.size() > 1) {
            found = new ArrayList<>(new TreeSet<>(found));
        }
        return found;
    }

    /** Every role {@code subject} holds in {@code domain} or every domain (not the subject itself). */
    Set<String> rolesHeld(String subject, String domain) {
        Set<String> roles = new TreeSet<>(heldIn(subject, domain));
        roles.addAll(heldIn(subject, ANY_DOMAIN));
        return roles;
    }

    private void addHeldIn(List<String> found, String subject, Set<String> roles, String domain) {
        for (String role : heldIn(subject, domain)) {
            if (roles.contains(role)) {
                found.add(role);
            }
        }
    }

    /** The roles {@code subject} holds in {@code domain} alone (worked out at load); empty when none. */
    private Set<String> heldIn(String subject, String domain) {
        Map<String, Set<String>> bySubject = held.get(domain);
        Set<String> roles = bySubject == null ? null : bySubject.get(subject);
        return roles == null ? Set.of() : roles;
    }

    private boolean holdsIn(String subject, String role, String domain) {
        return heldIn(subject, domain).contains(role);
    }

    @Override
    public AviatorObject call(Map<String, Object> env, AviatorObject subject, AviatorObject role, AviatorObject domain) {
        return AviatorBoolean.valueOf(holds(FunctionUtils.getStringValue(subject, env),
                FunctionUtils.getStringValue(role, env), FunctionUtils.getStringValue(domain, env)));
    }

    @Override
    public String getName() {
        return FUNCTION;
    }
}
