package io.hotpass.ingest.normalise;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.hotpass.ingest.profile.Profile;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParsePosition;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The normalisation registry: one normaliser per field intent ({@link Profile.Field#type()}).
 * Each returns the canonical value, {@code null} for an empty cell, or a {@link Result} with a
 * stable reason code when the value cannot be normalised. Thread-safe and allocation-light: it runs
 * once per cell of every upload.
 */
public final class Normalisers {

    /** A normalised cell: {@code value} when ok, otherwise {@code reason} (a stable snake_case code). */
    public record Result(Object value, String reason) {
        static final Result EMPTY = new Result(null, null);

        public boolean ok() {
            return reason == null;
        }

        static Result of(Object v) {
            return new Result(v, null);
        }

        static Result invalid(String reason) {
            return new Result(null, reason);
        }
    }

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Map<String, String> COUNTRIES = countries();
    private static final List<DateTimeFormatter> DATES = List.of(
            strict("uuuu-MM-dd"), strict("uuuu/MM/dd"), strict("uuuu.MM.dd"), strict("uuuuMMdd"),
            strict("dd/MM/uuuu"), strict("d/M/uuuu"), strict("dd-MM-uuuu"), strict("d-M-uuuu"), strict("dd.MM.uuuu"),
            strict("d MMM uuuu"), strict("d MMMM uuuu"), strict("MMM d, uuuu"), strict("MMMM d, uuuu"));

    private Normalisers() {
    }

    /** Normalises one raw cell for a field; {@code region} is the ISO country for phone numbers. */
    public static Result normalise(Profile.Field field, String raw, String region) {
        if (raw == null) {
            return Result.EMPTY;
        }
        String s = collapse(raw);
        if (s.isEmpty()) {
            return Result.EMPTY;
        }
        return switch (field.type()) {
            case "email" -> email(s);
            case "phone" -> phone(s, region);
            case "url" -> url(s);
            case "country" -> country(s);
            case "date" -> date(s);
            case "year" -> integer(s, field.min() == null ? 1000L : field.min(), field.max() == null ? 2100L : field.max(), "invalid_year");
            case "integer" -> integer(s, field.min(), field.max(), "invalid_integer");
            case "decimal" -> decimal(s);
            default -> Result.of(s);
        };
    }

    /**
     * Trims and collapses runs of whitespace (including non-breaking spaces) to one space. Nearly every
     * cell is printable ASCII with single spaces between words, which is returned as it is without a
     * copy; anything else goes through {@link #collapseAny}. (This runs for every cell of an upload.)
     */
    public static String collapse(String raw) {
        int n = raw.length();
        if (n == 0 || raw.charAt(0) == ' ' || raw.charAt(n - 1) == ' ') {
            return collapseAny(raw);
        }
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            // A space here is never the last character, so i + 1 is in range.
            if ((c <= ' ' || c >= 0x7f) && (c != ' ' || raw.charAt(i + 1) == ' ')) {
                return collapseAny(raw);
            }
        }
        return raw;
    }

    /** {@link #collapse} for any text: NUL removed, non-breaking spaces as spaces, runs of whitespace as one space, trimmed. */
    static String collapseAny(String raw) {
        String s = raw.replace('\u00a0', ' ').replace("\0", "");
        boolean needs = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) && (c != ' ' || i == 0 || i == s.length() - 1
                    || Character.isWhitespace(s.charAt(i + 1)))) {
                needs = true;
                break;
            }
        }
        return needs ? WHITESPACE.matcher(s).replaceAll(" ").trim() : s;
    }

    static Result email(String s) {
        String e = s.toLowerCase(Locale.ROOT);
        if (e.startsWith("mailto:")) {
            e = e.substring(7);
        }
        return e.length() <= 254 && emailShape(e) ? Result.of(e) : Result.invalid("invalid_email");
    }

    /**
     * A lower-case address: local part of {@code [a-z0-9!#$%&'*+/=?^_`{|}~.-]}, then {@code @} and a
     * {@linkplain #hostShape host name}. (A scan, not a regex: it runs for every email cell.)
     */
    static boolean emailShape(String e) {
        int at = e.indexOf('@');
        if (at <= 0) {
            return false;
        }
        for (int i = 0; i < at; i++) {
            char c = e.charAt(i);
            if (!lowerAlphanumeric(c) && "!#$%&'*+/=?^_`{|}~.-".indexOf(c) < 0) {
                return false;
            }
        }
        return hostShape(e, at + 1, e.length());
    }

    /**
     * A lower-case host name of two or more labels, each of 1 to 63 of {@code [a-z0-9-]} that neither
     * begins nor ends with a hyphen: {@code s} from {@code from} to {@code to}.
     */
    static boolean hostShape(String s, int from, int to) {
        int labels = 0;
        int i = from;
        while (true) {
            int start = i;
            while (i < to && s.charAt(i) != '.') {
                char c = s.charAt(i);
                if (!lowerAlphanumeric(c) && c != '-') {
                    return false;
                }
                i++;
            }
            if (i == start || i - start > 63 || s.charAt(start) == '-' || s.charAt(i - 1) == '-') {
                return false;
            }
            labels++;
            if (i == to) {
                return labels >= 2;
            }
            i++;
        }
    }

    /** Whether {@code s} has only ASCII digits from {@code from} to {@code to}. */
    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** An optional sign and one or more ASCII digits. */
    static boolean integerShape(String t) {
        int i = !t.isEmpty() && (t.charAt(0) == '+' || t.charAt(0) == '-') ? 1 : 0;
        return i < t.length() && allDigits(t, i, t.length());
    }

    private static boolean lowerAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    static Result phone(String s, String region) {
        String r = region == null ? "ZA" : region;
        try {
            PhoneNumber n = parsePhone(s, r);
            if (!PhoneValidity.isValid(n)) {
                // "27821234567": an international number written without its '+'.
                String digits = digits(s);
                // No country calling code begins with 0: "+0…" could only fail, with an exception.
                if (!s.startsWith("+") && digits.length() > 9 && digits.charAt(0) != '0') {
                    PhoneNumber intl = parsePhone("+" + digits, r);
                    if (PhoneValidity.isValid(intl)) {
                        return Result.of(PhoneValidity.e164(intl));
                    }
                }
                return Result.invalid("invalid_phone");
            }
            return Result.of(PhoneValidity.e164(n));
        } catch (NumberParseException e) {
            return Result.invalid("invalid_phone");
        }
    }

    /** libphonenumber's parse, by {@link PhoneShapes} for the shapes it settles. */
    static PhoneNumber parsePhone(String s, String region) throws NumberParseException {
        PhoneNumber n = PhoneShapes.parse(s, region);
        return n != null ? n : PHONES.parse(s, region);
    }

    private static String digits(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Scheme (http when absent) and host lower-case, default port and fragment dropped, empty path becomes "/". */
    static Result url(String s) {
        Result simple = simpleUrl(s);
        return simple != null ? simple : urlByUri(s);
    }

    /**
     * The same normalisation as {@link #urlByUri} for the common shape — optional http(s) scheme, a
     * host name whose last label starts with a letter, optional port, a path of unreserved characters
     * — without building a {@link URI} (a tenth of an upload's normalising). Anything else answers
     * null and {@code urlByUri} decides.
     */
    static Result simpleUrl(String s) {
        int i = 0;
        String scheme = "http";
        if (s.regionMatches(true, 0, "https://", 0, 8)) {
            i = 8;
            scheme = "https";
        } else if (s.regionMatches(true, 0, "http://", 0, 7)) {
            i = 7;
        } else if (s.contains("://")) {
            return null;
        }
        int hostStart = i;
        int lastLabel = i;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '.') {
                lastLabel = i + 1;
            } else if (!alphanumeric(c) && c != '-') {
                break;
            }
            i++;
        }
        if (i == hostStart || lastLabel >= i || !letter(s.charAt(lastLabel))) {
            return null;
        }
        String host = s.substring(hostStart, i).toLowerCase(Locale.ROOT);
        int port = -1;
        if (i < s.length() && s.charAt(i) == ':') {
            int portStart = ++i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == portStart || i - portStart > 5) {
                return null;
            }
            port = Integer.parseInt(s, portStart, i, 10);
        }
        int pathStart = i;
        if (i < s.length() && s.charAt(i) != '/') {
            return null;
        }
        while (i < s.length()) {
            char c = s.charAt(i);
            if (!alphanumeric(c) && c != '/' && c != '-' && c != '.' && c != '_' && c != '~') {
                return null;
            }
            i++;
        }
        if (!hostShape(host, 0, host.length())) {
            return Result.invalid("invalid_url");
        }
        if ((port == 80 && scheme.equals("http")) || (port == 443 && scheme.equals("https"))) {
            port = -1;
        }
        StringBuilder b = new StringBuilder(scheme.length() + 3 + host.length() + 8 + s.length() - pathStart)
                .append(scheme).append("://").append(host);
        if (port != -1) {
            b.append(':').append(port);
        }
        return Result.of(pathStart == s.length() ? b.append('/').toString() : b.append(s, pathStart, s.length()).toString());
    }

    private static boolean letter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean alphanumeric(char c) {
        return letter(c) || (c >= '0' && c <= '9');
    }

    static Result urlByUri(String s) {
        String u = s;
        if (!u.contains("://")) {
            u = "http://" + u;
        }
        try {
            URI uri = new URI(u);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return Result.invalid("invalid_url");
            }
            if (uri.getUserInfo() != null) {
                return Result.invalid("invalid_url");
            }
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            if (!hostShape(host, 0, host.length())) {
                return Result.invalid("invalid_url");
            }
            int port = uri.getPort();
            if ((port == 80 && scheme.equals("http")) || (port == 443 && scheme.equals("https"))) {
                port = -1;
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            StringBuilder b = new StringBuilder(scheme).append("://").append(host);
            if (port != -1) {
                b.append(':').append(port);
            }
            b.append(path);
            if (uri.getRawQuery() != null) {
                b.append('?').append(uri.getRawQuery());
            }
            return Result.of(b.toString());
        } catch (URISyntaxException e) {
            return Result.invalid("invalid_url");
        }
    }

    static Result country(String s) {
        String code = COUNTRIES.get(key(s));
        return code == null ? Result.invalid("invalid_country") : Result.of(code);
    }

    /** The ISO 3166-1 alpha-2 code of a country name, alpha-2/alpha-3 code or common variant, or null. */
    public static String countryCode(String s) {
        return s == null ? null : COUNTRIES.get(key(s));
    }

    static Result date(String s) {
        if (s.length() == 10 && s.charAt(4) == '-' && s.charAt(7) == '-' && allDigits(s, 0, 4) && allDigits(s, 5, 7)
                && allDigits(s, 8, 10)) {
            // uuuu-MM-dd, the commonest shape, read without a formatter: no other format reads it.
            int y = Integer.parseInt(s, 0, 4, 10);
            int m = Integer.parseInt(s, 5, 7, 10);
            int d = Integer.parseInt(s, 8, 10, 10);
            return m < 1 || m > 12 || d < 1 || d > YearMonth.of(y, m).lengthOfMonth() ? Result.invalid("invalid_date")
                    : Result.of(LocalDate.of(y, m, d).toString());
        }
        return dateByFormats(s);
    }

    /** {@link #date} for any text: the first of {@link #DATES} that reads it as a date that exists. */
    static Result dateByFormats(String s) {
        for (DateTimeFormatter f : DATES) {
            // parseUnresolved does not throw for text of another format: exceptions (with their stack
            // traces) for every format tried were most of a date's cost.
            ParsePosition pos = new ParsePosition(0);
            if (f.parseUnresolved(s, pos) == null || pos.getErrorIndex() >= 0 || pos.getIndex() != s.length()) {
                continue;
            }
            try {
                return Result.of(LocalDate.parse(s, f).toString());
            } catch (DateTimeParseException e) {
                // the shape fits, the date does not exist (31 February): try the other formats
            }
        }
        return Result.invalid("invalid_date");
    }

    static Result integer(String s, Long min, Long max, String reason) {
        String t = s.replace(" ", "").replace(",", "").replace("_", "");
        if (t.endsWith(".0")) {
            t = t.substring(0, t.length() - 2);
        }
        if (!integerShape(t) || t.length() > 18) {
            return Result.invalid(reason);
        }
        long v = Long.parseLong(t);
        if ((min != null && v < min) || (max != null && v > max)) {
            return Result.invalid("out_of_range");
        }
        return Result.of(v);
    }

    static Result decimal(String s) {
        try {
            return Result.of(new BigDecimal(s.replace(" ", "").replace(",", "")));
        } catch (NumberFormatException e) {
            return Result.invalid("invalid_decimal");
        }
    }

    private static DateTimeFormatter strict(String pattern) {
        return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern).toFormatter(Locale.ENGLISH)
                .withResolverStyle(ResolverStyle.STRICT);
    }

    /** Lower-case ASCII letters only: "South Africa", "south-africa" and "SOUTH AFRICA" are one key. */
    private static String key(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                b.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                b.append((char) (c + ('a' - 'A')));
            }
        }
        return b.toString();
    }

    private static Map<String, String> countries() {
        Map<String, String> m = new HashMap<>();
        for (String code : Locale.getISOCountries()) {
            Locale l = new Locale("", code);
            m.put(key(code), code);
            try {
                m.put(key(l.getISO3Country()), code);
            } catch (java.util.MissingResourceException e) {
                // no alpha-3 for this code
            }
            m.put(key(l.getDisplayCountry(Locale.ENGLISH)), code);
        }
        // Common variants that are neither names nor ISO codes.
        m.put("rsa", "ZA");
        m.put("southafrica", "ZA");
        m.put("republicofsouthafrica", "ZA");
        m.put("uk", "GB");
        m.put("greatbritain", "GB");
        m.put("england", "GB");
        m.put("usa", "US");
        m.put("unitedstatesofamerica", "US");
        m.put("america", "US");
        m.put("holland", "NL");
        m.put("uae", "AE");
        m.put("drc", "CD");
        m.put("swaziland", "SZ");
        return Map.copyOf(m);
    }
}
