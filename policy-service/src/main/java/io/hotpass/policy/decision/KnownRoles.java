package io.hotpass.policy.decision;

import java.util.Set;

/**
 * The roles policy-service knows: the default tenant roles (valid in every tenant) and the two
 * platform roles that may act across tenants. API keys may be granted only these, and a policy
 * whose rules name any other role is invalid.
 */
public final class KnownRoles {

    public static final String TENANT_ADMIN = "tenant-admin";
    public static final String STEWARD = "steward";
    public static final String VIEWER = "viewer";
    public static final String AUDITOR = "auditor";
    public static final String PLATFORM_ADMIN = "platform-admin";
    public static final String HOTPASS_SERVICE = "hotpass-service";

    public static final Set<String> PLATFORM = Set.of(PLATFORM_ADMIN, HOTPASS_SERVICE);
    public static final Set<String> ALL = Set.of(TENANT_ADMIN, STEWARD, VIEWER, AUDITOR, PLATFORM_ADMIN, HOTPASS_SERVICE);

    private KnownRoles() {
    }

    public static boolean isKnown(String role) {
        return ALL.contains(role);
    }

    public static boolean isPlatformRole(String role) {
        return PLATFORM.contains(role);
    }
}
