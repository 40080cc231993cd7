package io.hotpass.platform.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem details body with Hotpass's stable {@code code} and {@code traceId}.
 * Extensions (e.g. {@code errors}, {@code currentEtag}) are written as top-level members.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "code", "instance", "traceId"})
public record Problem(String type, String title, int status, String detail, String code, String instance,
        String traceId, @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://hotpass.dev/problems/";

    public Problem {
        extensions = extensions == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(extensions));
    }

    @JsonAnyGetter
    public Map<String, Object> any() {
        return extensions;
    }

    public static String typeFor(String code) {
        return TYPE_BASE + code.replace('_', '-');
    }
}
