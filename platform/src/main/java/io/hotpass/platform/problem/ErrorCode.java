package io.hotpass.platform.problem;

/**
 * The table of stable machine error codes shared by every service, with the HTTP status and
 * title each maps to. Services may use codes of their own (e.g. {@code dataset_not_found}) through
 * {@link ProblemException}; codes here are the ones every service and the gateway share.
 */
public enum ErrorCode {
    BAD_REQUEST(400, "bad_request", "Bad request"),
    VALIDATION_FAILED(400, "validation_failed", "Request validation failed"),
    MALFORMED_BODY(400, "malformed_body", "Malformed request body"),
    UNAUTHENTICATED(401, "unauthenticated", "Authentication required"),
    FORBIDDEN(403, "forbidden", "Forbidden"),
    TENANT_MISMATCH(403, "tenant_mismatch", "Tenant mismatch"),
    NOT_FOUND(404, "not_found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not_acceptable", "Not acceptable"),
    CONFLICT(409, "conflict", "Conflict"),
    IDEMPOTENCY_IN_PROGRESS(409, "idempotency_in_progress", "A request with this Idempotency-Key is in progress"),
    PRECONDITION_FAILED(412, "precondition_failed", "Precondition failed"),
    PAYLOAD_TOO_LARGE(413, "payload_too_large", "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type", "Unsupported media type"),
    UNPROCESSABLE(422, "unprocessable", "Unprocessable content"),
    IDEMPOTENCY_KEY_REUSED(422, "idempotency_key_reused", "Idempotency-Key reused with a different request"),
    PRECONDITION_REQUIRED(428, "precondition_required", "Precondition required"),
    RATE_LIMITED(429, "rate_limited", "Too many requests"),
    INTERNAL(500, "internal", "Internal error"),
    UPSTREAM_UNAVAILABLE(502, "upstream_unavailable", "Upstream unavailable"),
    SERVICE_UNAVAILABLE(503, "service_unavailable", "Service unavailable"),
    UPSTREAM_TIMEOUT(504, "upstream_timeout", "Upstream timeout");

    private final int status;
    private final String code;
    private final String title;

    ErrorCode(int status, String code, String title) {
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    /** The generic code for an HTTP status, used when a framework exception carries only a status. */
    public static ErrorCode forStatus(int status) {
        for (ErrorCode c : values()) {
            if (c.status == status) {
                return c;
            }
        }
        return status >= 500 ? INTERNAL : BAD_REQUEST;
    }
}
