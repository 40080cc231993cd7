package io.hotpass.contracts.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Reading cell values by type. Rows arrive as JSON (numbers, booleans, strings) or as text (CSV):
 * a value passes a type when it is of that JSON type or is text that reads as it. Parsers here are
 * hand-written for the hot path: no exceptions for the common cases.
 */
final class Values {

    static final long NOT = Long.MIN_VALUE;

    private Values() {
    }

    static boolean isEmpty(Object v) {
        if (v == null) {
            return true;
        }
        if (v instanceof String s) {
            for (int i = 0, n = s.length(); i < n; i++) {
                if (!Character.isWhitespace(s.charAt(i))) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    static String text(Object v) {
        return v instanceof String s ? s : String.valueOf(v);
    }

    /** The value as a double if it is an integer (JSON integer or integral text), else NaN. */
    static double integer(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof BigInteger b) {
            return b.doubleValue();
        }
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            double d = ((Number) v).doubleValue();
            return d == Math.rint(d) && !Double.isInfinite(d) ? d : Double.NaN;
        }
        if (v instanceof String s) {
            int n = s.length();
            int i = 0;
            if (n == 0) {
                return Double.NaN;
            }
            boolean neg = false;
            if (s.charAt(0) == '-' || s.charAt(0) == '+') {
                neg = s.charAt(0) == '-';
                i = 1;
                if (n == 1) {
                    return Double.NaN;
                }
            }
            if (n - i > 18) {
                try {
                    return new BigInteger(s).doubleValue();
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
            long acc = 0;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return Double.NaN;
                }
                acc = acc * 10 + (c - '0');
            }
            return neg ? -acc : acc;
        }
        return Double.NaN;
    }

    /** The value as a double if it is a number (JSON number or numeric text), else NaN. */
    static double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            double d = integer(s);
            if (!Double.isNaN(d)) {
                return d;
            }
            if (s.isEmpty() || Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))) {
                return Double.NaN;
            }
            char last = s.charAt(s.length() - 1);
            if (last == 'd' || last == 'D' || last == 'f' || last == 'F' || s.indexOf('x') >= 0 || s.indexOf('X') >= 0) {
                return Double.NaN; // Java-only literals are not numbers in data
            }
            try {
                double r = Double.parseDouble(s);
                return Double.isInfinite(r) ? Double.NaN : r;
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    static boolean isBoolean(Object v) {
        return v instanceof Boolean || (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")));
    }

    /** Epoch day of an ISO date YYYY-MM-DD, or {@link #NOT}. */
    static long date(Object v) {
        if (!(v instanceof String s) || s.length() != 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return NOT;
        }
        int y = digits(s, 0, 4);
        int m = digits(s, 5, 7);
        int d = digits(s, 8, 10);
        if (y < 0 || m < 1 || m > 12 || d < 1) {
            return NOT;
        }
        int len = switch (m) {
            case 2 -> (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
        if (d > len) {
            return NOT;
        }
        return LocalDate.of(y, m, d).toEpochDay();
    }

    /** Epoch milliseconds of an ISO date-time (with offset, or without as UTC), or {@link #NOT}. */
    static long dateTime(Object v) {
        if (!(v instanceof String s) || s.length() < 16 || s.charAt(10) != 'T' && s.charAt(10) != 't') {
            return NOT;
        }
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e2) {
                return NOT;
            }
        }
    }

    private static int digits(String s, int from, int to) {
        int acc = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            acc = acc * 10 + (c - '0');
        }
        return acc;
    }

    /** E.164: '+', a non-zero digit, then 1 to 14 more digits. */
    static boolean isE164(String s) {
        int n = s.length();
        if (n < 3 || n > 16 || s.charAt(0) != '+' || s.charAt(1) < '1' || s.charAt(1) > '9') {
            return false;
        }
        for (int i = 2; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * A pragmatic address check (what mail systems accept, not all of RFC 5322): one '@', a local
     * part of 1-64 visible characters without spaces, a domain of dot-separated labels of letters,
     * digits and hyphens with a top-level label of at least two letters.
     */
    static boolean isEmail(String s) {
        int at = s.indexOf('@');
        int n = s.length();
        if (at < 1 || at > 64 || at != s.lastIndexOf('@') || n - at - 1 < 4 || n > 254) {
            return false;
        }
        for (int i = 0; i < at; i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == '"' || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' || c == '<'
                    || c == '>' || c == '[' || c == ']' || c == '\\' || c > '~') {
                return false;
            }
        }
        if (s.charAt(0) == '.' || s.charAt(at - 1) == '.') {
            return false;
        }
        return isHostName(s, at + 1, n, true);
    }

    static boolean isHostName(String s, int from, int to, boolean needTld) {
        int labelStart = from;
        int dots = 0;
        for (int i = from; i <= to; i++) {
            char c = i == to ? '.' : s.charAt(i);
            if (c == '.') {
                int len = i - labelStart;
                if (len < 1 || len > 63 || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
                    return false;
                }
                if (i == to && needTld) {
                    if (len < 2) {
                        return false;
                    }
                    for (int k = labelStart; k < i; k++) {
                        if (!Character.isLetter(s.charAt(k))) {
                            return false;
                        }
                    }
                }
                if (i < to) {
                    dots++;
                }
                labelStart = i + 1;
            } else if (!(Character.isLetterOrDigit(c) || c == '-')) {
                return false;
            }
        }
        return !needTld || dots >= 1;
    }

    /** An absolute http(s) URL with a host name. */
    static boolean isUrl(String s) {
        int start;
        if (s.regionMatches(true, 0, "https://", 0, 8)) {
            start = 8;
        } else if (s.regionMatches(true, 0, "http://", 0, 7)) {
            start = 7;
        } else {
            return false;
        }
        int end = start;
        while (end < s.length() && s.charAt(end) != '/' && s.charAt(end) != '?' && s.charAt(end) != '#') {
            end++;
        }
        int hostEnd = end;
        int colon = s.lastIndexOf(':', end - 1);
        if (colon >= start) {
            for (int i = colon + 1; i < end; i++) {
                if (!Character.isDigit(s.charAt(i))) {
                    return false;
                }
            }
            hostEnd = colon;
        }
        if (hostEnd <= start || !isHostName(s, start, hostEnd, false)) {
            return false;
        }
        for (int i = end; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }
}
