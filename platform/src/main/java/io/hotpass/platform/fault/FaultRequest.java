package io.hotpass.platform.fault;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /admin/faults}: which requests ({@code method}, optional, and
 * {@code pathPrefix}, the service's own path), what happens to them ({@code latencyMs} added,
 * then {@code errorStatus} answered at {@code errorRate}) and for how long ({@code ttlSeconds},
 * 60 when absent).
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record FaultRequest(String method, String pathPrefix, Long latencyMs, Double errorRate, Integer errorStatus, Long ttlSeconds) {

    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
    static final long DEFAULT_TTL_SECONDS = 60;
    static final int DEFAULT_ERROR_STATUS = 503;

    public long latency() {
        return latencyMs == null ? 0 : latencyMs;
    }

    public double rate() {
        return errorRate == null ? 0 : errorRate;
    }

    public int status() {
        return errorStatus == null ? DEFAULT_ERROR_STATUS : errorStatus;
    }

    public long ttl() {
        return ttlSeconds == null ? DEFAULT_TTL_SECONDS : ttlSeconds;
    }

    /** Each problem as {@code {field, reason}}, in the shape of every other validation_failed answer; empty when the request is valid. */
    public List<Map<String, String>> problems(FaultInjectionConfig limits) {
        List<Map<String, String>> out = new ArrayList<>();
        if (method != null && !METHODS.contains(method.toUpperCase(java.util.Locale.ROOT))) {
            out.add(problem("method", "one of " + new java.util.TreeSet<>(METHODS) + ", or absent for any"));
        }
        if (pathPrefix == null || !pathPrefix.startsWith("/")) {
            out.add(problem("pathPrefix", "required, a path of this service starting with /"));
        } else if (pathPrefix.contains("?") || pathPrefix.contains("#") || pathPrefix.contains("//")) {
            out.add(problem("pathPrefix", "a path only: no query, fragment or empty segment"));
        } else if (FaultHttp.exempt(pathPrefix) || FaultHttp.exempt(pathPrefix + "/")) {
            out.add(problem("pathPrefix", "/q/ (health, metrics) and /admin/faults cannot be faulted"));
        }
        if (latency() < 0 || latency() > limits.maxLatency().toMillis()) {
            out.add(problem("latencyMs", "between 0 and " + limits.maxLatency().toMillis()));
        }
        if (rate() < 0 || rate() > 1 || Double.isNaN(rate())) {
            out.add(problem("errorRate", "between 0 and 1"));
        }
        if (status() != 429 && (status() < 500 || status() > 599)) {
            out.add(problem("errorStatus", "429 or 500-599"));
        }
        if (ttl() < 1 || ttl() > limits.maxTtl().toSeconds()) {
            out.add(problem("ttlSeconds", "between 1 and " + limits.maxTtl().toSeconds()));
        }
        if (latency() == 0 && rate() == 0) {
            out.add(problem("latencyMs", "a fault needs latencyMs > 0 or errorRate > 0"));
        }
        return out;
    }

    private static Map<String, String> problem(String field, String reason) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("field", field);
        m.put("reason", reason);
        return m;
    }
}
