package io.hotpass.policy.decision;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a decision came out as it did. A fixed list, so an explanation can never carry free text
 * (and with it a secret or another tenant's name) back to a caller.
 */
public enum ReasonCode {
    /** A rule of one of the subject's roles (or of the subject itself) allows it, and none denies it. */
    ALLOWED_BY_ROLE,
    /** An explicit deny rule matched; it beats every allow. */
    DENIED_BY_RULE,
    /** No rule allows it: the default is deny. */
    NO_MATCHING_PERMISSION,
    /** The resource belongs to another tenant and the subject holds no platform role. */
    TENANT_MISMATCH,
    /** No valid policy is loaded, so everything is denied (fail closed). */
    POLICY_INVALID,
    /** The subject or its tenant is disabled. */
    SUBJECT_DISABLED;

    @JsonValue
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
