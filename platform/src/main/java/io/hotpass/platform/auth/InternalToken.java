package io.hotpass.platform.auth;

/**
 * The shape of the internal JWT the gateway mints for every authenticated request: who the caller
 * is ({@code sub}), which tenant it acts in ({@code tenant}), its roles ({@code groups}) and scopes
 * ({@code scope}, space separated). Services trust nothing else.
 */
public final class InternalToken {
    public static final String ISSUER = "hotpass-gateway";
    public static final String AUDIENCE = "hotpass-internal";
    public static final String CLAIM_TENANT = "tenant";
    public static final String CLAIM_SCOPE = "scope";
    public static final String CLAIM_GROUPS = "groups";
    public static final String CLAIM_SUBJECT_KIND = "sub_kind";

    private InternalToken() {
    }
}
