package io.hotpass.platform.fault;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One active fault: requests whose method (any when null) and path match {@link #pathPrefix} (by
 * whole segments: {@code /datasets} matches {@code /datasets} and {@code /datasets/7}, not
 * {@code /datasets-old}) wait {@link #latency}, then fail with {@link #errorStatus} at
 * {@link #errorRate}, until {@link #expiresAt}.
 */
public record Fault(String id, String method, String pathPrefix, Duration latency, double errorRate, int errorStatus,
        String setBy, Instant setAt, Instant expiresAt) {

    public boolean matches(String requestMethod, String path) {
        if (method != null && !method.equalsIgnoreCase(requestMethod)) {
            return false;
        }
        if (pathPrefix.equals("/")) {
            return true;
        }
        String prefix = pathPrefix.endsWith("/") ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix;
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** The JSON shape of {@code GET /admin/faults}. */
    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("method", method);
        m.put("pathPrefix", pathPrefix);
        m.put("latencyMs", latency.toMillis());
        m.put("errorRate", errorRate);
        m.put("errorStatus", errorStatus);
        m.put("setBy", setBy);
        m.put("setAt", setAt.toString());
        m.put("expiresAt", expiresAt.toString());
        return m;
    }
}
