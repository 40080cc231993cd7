package io.hotpass.platform.problem;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.UUID;

/** Builds problem+json responses with the current trace id. */
public final class Problems {

    private Problems() {
    }

    /** The current OpenTelemetry trace id, or a random one when no span is active. */
    public static String currentTraceId() {
        SpanContext ctx = Span.current().getSpanContext();
        if (ctx.isValid()) {
            return ctx.getTraceId();
        }
        return UUID.randomUUID().toString().replace("-", "");
    }

    public static Problem body(int status, String code, String title, String detail, String instance,
            Map<String, Object> extensions) {
        return new Problem(Problem.typeFor(code), title, status, detail, code, instance, currentTraceId(), extensions);
    }

    public static Response response(ProblemException e, String instance) {
        Response.ResponseBuilder b = Response.status(e.status())
                .type(Problem.MEDIA_TYPE)
                .entity(body(e.status(), e.code(), e.title(), e.getMessage(), instance, e.extensions()));
        e.headers().forEach(b::header);
        return b.build();
    }

    public static Response response(ErrorCode code, String detail, String instance) {
        return response(new ProblemException(code, detail), instance);
    }
}
