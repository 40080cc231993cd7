package io.hotpass.ingest.version;

/**
 * Spreadsheet formula injection (CSV/XLSX exports): a cell beginning with {@code = + - @}, tab or
 * carriage return is prefixed with a single quote, so a spreadsheet shows it as text instead of
 * evaluating it (OWASP "CSV Injection").
 */
public final class Neutraliser {

    private Neutraliser() {
    }

    public static String cell(String v) {
        if (v == null || v.isEmpty()) {
            return v;
        }
        char c = v.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + v : v;
    }
}
