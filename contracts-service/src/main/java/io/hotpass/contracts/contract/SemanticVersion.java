package io.hotpass.contracts.contract;

import io.hotpass.platform.problem.ProblemException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A contract version, {@code MAJOR.MINOR.PATCH} (SemVer 2.0.0 core, no pre-release tags). */
public record SemanticVersion(int major, int minor, int patch) implements Comparable<SemanticVersion> {

    private static final Pattern FORMAT = Pattern.compile("(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})");

    public static SemanticVersion parse(String field, String s) {
        Matcher m = s == null ? null : FORMAT.matcher(s);
        if (m == null || !m.matches()) {
            throw ProblemException.badRequest(field, "must be a semantic version MAJOR.MINOR.PATCH, e.g. 1.0.0");
        }
        return new SemanticVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    @Override
    public int compareTo(SemanticVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
