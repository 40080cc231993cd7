package io.hotpass.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become RFC 9457 responses. Known exceptions map through
 * {@link ErrorCode}; anything else is a 500 {@code internal} whose details go to the log only,
 * keyed by the trace id the caller sees.
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    @ServerExceptionMapper(priority = 1)
    public Response problem(ProblemException e, UriInfo uri) {
        return Problems.response(e, path(uri));
    }

    @ServerExceptionMapper(priority = 1)
    public Response unauthenticated(UnauthorizedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Problems.response(ErrorCode.FORBIDDEN, "The caller may not perform this action", path(uri));
    }

    @ServerExceptionMapper(priority = 1)
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(v -> Map.of("field", fieldName(v), "reason", v.getMessage()))
                .collect(Collectors.toCollection(ArrayList::new));
        String detail = errors.stream().map(m -> m.get("field") + ": " + m.get("reason"))
                .collect(Collectors.joining("; "));
        return Problems.response(new ProblemException(ErrorCode.VALIDATION_FAILED, detail).with("errors", errors),
                path(uri));
    }

    @ServerExceptionMapper(priority = 1)
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        // Jackson's own message quotes the input, which may carry secrets: say only where it broke.
        StringBuilder detail = new StringBuilder("The request body is not valid JSON for this operation");
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            detail.append(" at field '").append(m.getPathReference().replaceAll("^[^\\[\"]*\\[\"?", "")
                    .replaceAll("\"?\\]$", "").replace("\"][\"", ".")).append('\'');
        } else if (e.getLocation() != null) {
            detail.append(" (line ").append(e.getLocation().getLineNr()).append(", column ")
                    .append(e.getLocation().getColumnNr()).append(')');
        }
        return Problems.response(ErrorCode.MALFORMED_BODY, detail.toString(), path(uri));
    }

    /**
     * A JSON value of the wrong type ("rowKey": "x" where a list belongs). Quarkus REST has a built-in
     * mapper for exactly this exception that answers 400 with no body; this one, of higher priority,
     * answers the same problem+json as any other malformed body.
     */
    @ServerExceptionMapper(priority = 1)
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return malformedJson(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json, uri);
        }
        if (status >= 500) {
            return internal(e, uri);
        }
        ErrorCode code = ErrorCode.forStatus(status);
        String detail = switch (status) {
            case 404 -> "No resource at this path";
            case 405 -> "Method not allowed on this resource";
            case 406 -> "None of the accepted media types can be produced";
            case 415 -> "Content type not supported by this operation";
            default -> code.title();
        };
        ProblemException p = new ProblemException(status, code.code(), code.title(), detail);
        if (e.getResponse() != null && e.getResponse().getHeaderString("Allow") != null) {
            p.header("Allow", e.getResponse().getHeaderString("Allow"));
        }
        return Problems.response(p, path(uri));
    }

    @ServerExceptionMapper(priority = 10)
    public Response internal(Throwable e, UriInfo uri) {
        String traceId = Problems.currentTraceId();
        LOG.errorf(e, "Unhandled error on %s (traceId=%s)", path(uri), traceId);
        Problem body = new Problem(Problem.typeFor(ErrorCode.INTERNAL.code()), ErrorCode.INTERNAL.title(), 500,
                "An internal error occurred; quote the trace id when reporting it", ErrorCode.INTERNAL.code(),
                path(uri), traceId, new LinkedHashMap<>());
        return Response.status(500).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    private static Response unauthenticated(UriInfo uri) {
        return Problems.response(new ProblemException(ErrorCode.UNAUTHENTICATED,
                "A valid credential is required").header("WWW-Authenticate", "Bearer"), path(uri));
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }

    /** "create.arg0.name" or "create.body.name" becomes "name": callers know fields, not Java methods. */
    static String fieldName(ConstraintViolation<?> v) {
        List<String> names = new ArrayList<>();
        for (Path.Node node : v.getPropertyPath()) {
            switch (node.getKind()) {
                case METHOD, PARAMETER, RETURN_VALUE, CROSS_PARAMETER -> names.clear();
                default -> {
                    String n = node.getName();
                    if (node.getIndex() != null && !names.isEmpty()) {
                        int last = names.size() - 1;
                        names.set(last, names.get(last) + "[" + node.getIndex() + "]");
                    }
                    if (n != null && !n.startsWith("<")) { // "<list element>", "<map value>"
                        names.add(n);
                    }
                }
            }
        }
        if (names.isEmpty()) {
            String p = v.getPropertyPath().toString();
            return p.substring(p.lastIndexOf('.') + 1);
        }
        return String.join(".", names);
    }
}
