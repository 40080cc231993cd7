package io.hotpass.platform.http;

import io.hotpass.platform.problem.ErrorCode;
import io.hotpass.platform.problem.ProblemException;
import java.util.Arrays;

/**
 * Strong entity tags and the {@code If-Match} rules: a write that must not race names the version
 * it read; a mismatch is 412 {@code precondition_failed} (with the current tag), a missing header
 * where one is required is 428 {@code precondition_required}.
 */
public final class ETags {

    private ETags() {
    }

    /** A strong ETag for an opaque version value, e.g. {@code "v7"}. */
    public static String strong(String value) {
        if (value.indexOf('"') >= 0) {
            throw new IllegalArgumentException("ETag values may not contain quotes");
        }
        return '"' + value + '"';
    }

    /** Checks {@code If-Match} against the current strong ETag. */
    public static void checkIfMatch(String ifMatch, String currentEtag, boolean required) {
        if (ifMatch == null || ifMatch.isBlank()) {
            if (required) {
                throw new ProblemException(ErrorCode.PRECONDITION_REQUIRED,
                        "This operation requires If-Match with the resource's current ETag")
                        .with("currentEtag", currentEtag);
            }
            return;
        }
        if (!matches(ifMatch, currentEtag)) {
            throw new ProblemException(ErrorCode.PRECONDITION_FAILED,
                    "The resource changed since it was read; fetch it again and retry")
                    .with("currentEtag", currentEtag);
        }
    }

    /** Strong comparison (RFC 9110 §13.1.1): weak tags never match, {@code *} matches any current tag. */
    public static boolean matches(String ifMatch, String currentEtag) {
        return Arrays.stream(ifMatch.split(",")).map(String::trim)
                .anyMatch(t -> t.equals("*") ? currentEtag != null : !t.startsWith("W/") && t.equals(currentEtag));
    }
}
