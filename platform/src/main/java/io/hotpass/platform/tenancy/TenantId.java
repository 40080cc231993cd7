package io.hotpass.platform.tenancy;

import io.hotpass.platform.problem.ProblemException;
import java.util.regex.Pattern;

/** A tenant identifier: lower-case letters, digits and dashes, 2–63 characters, parsed once at the edge. */
public record TenantId(String value) {

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

    public TenantId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw ProblemException.badRequest("tenant", "must match " + VALID.pattern());
        }
    }

    public static TenantId parse(String value) {
        return new TenantId(value);
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
