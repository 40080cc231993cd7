package io.hotpass.contracts.spec;

/** How a failed expectation counts: an {@code error} fails the run, a {@code warn} only warns it. */
public enum Severity {
    ERROR, WARN;

    public static Severity of(String s) {
        return s == null ? ERROR : valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
