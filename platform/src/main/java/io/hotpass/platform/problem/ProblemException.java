package io.hotpass.platform.problem;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one exception services throw for an error a caller should see. It carries the status, a
 * stable code and a detail that must never contain secrets, SQL or stack traces.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String code;
    private final String title;
    private final Map<String, Object> extensions;
    private final Map<String, String> headers;

    public ProblemException(int status, String code, String title, String detail) {
        this(status, code, title, detail, Map.of(), Map.of());
    }

    public ProblemException(int status, String code, String title, String detail, Map<String, Object> extensions,
            Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.extensions = new LinkedHashMap<>(extensions);
        this.headers = new LinkedHashMap<>(headers);
    }

    public ProblemException(ErrorCode code, String detail) {
        this(code.status(), code.code(), code.title(), detail);
    }

    public static ProblemException of(ErrorCode code, String detail) {
        return new ProblemException(code, detail);
    }

    /** A 404 with a resource-specific code such as {@code dataset_not_found}. */
    public static ProblemException notFound(String code, String detail) {
        return new ProblemException(404, code, "Not found", detail);
    }

    public static ProblemException badRequest(String field, String reason) {
        return new ProblemException(400, ErrorCode.VALIDATION_FAILED.code(), ErrorCode.VALIDATION_FAILED.title(),
                field + ": " + reason).with("errors", java.util.List.of(Map.of("field", field, "reason", reason)));
    }

    public ProblemException with(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    public ProblemException header(String name, String value) {
        headers.put(name, value);
        return this;
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

    public Map<String, Object> extensions() {
        return extensions;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
