package io.hotpass.ingest.version;

/** Escapes values for PostgreSQL's COPY text format (tab-separated, backslash escapes, \N for null). */
public final class CopyText {

    private CopyText() {
    }

    public static void append(StringBuilder b, String v) {
        if (v == null) {
            b.append("\\N");
            return;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\0' -> { } // PostgreSQL text cannot hold NUL
                default -> b.append(c);
            }
        }
    }
}
