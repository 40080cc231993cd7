package io.hotpass.platform.http;

import io.hotpass.platform.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Opaque page cursors for {@code ?limit=&cursor=} paging: the position of the last item
 * (its sort key parts) joined with {@code |} and base64url-encoded. A cursor the API did not
 * issue is a 400 naming {@code cursor}, never a 500.
 */
public final class Cursors {

    private Cursors() {
    }

    public static String encode(Object... parts) {
        String joined = Arrays.stream(parts).map(String::valueOf).collect(Collectors.joining("|"));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(joined.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes a cursor of {@code parts} parts (the last may itself contain {@code |}) and parses
     * them; any failure, in decoding or in {@code parser}, is the caller's 400.
     */
    public static <T> T decode(String cursor, int parts, Function<String[], T> parser) {
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", parts);
            if (p.length != parts) {
                throw new IllegalArgumentException("wrong number of parts");
            }
            return parser.apply(p);
        } catch (RuntimeException e) {
            throw ProblemException.badRequest("cursor", "is not a cursor this API returned");
        }
    }
}
