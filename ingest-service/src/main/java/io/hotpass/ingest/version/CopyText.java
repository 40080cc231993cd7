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
        int plain = 0;
        while (plain < v.length()) {
            char c = v.charAt(plain);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r' || c == '\0') {
                break;
            }
            plain++;
        }
        if (plain == v.length()) {
            b.append(v); // the common case: nothing to escape
            return;
        }
        b.append(v, 0, plain);
        for (int i = plain; i < v.length(); i++) {
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
