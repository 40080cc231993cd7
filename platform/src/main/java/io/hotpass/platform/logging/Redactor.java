package io.hotpass.platform.logging;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text before it is logged or stored: Authorization and API-key headers,
 * JWTs, Hotpass API keys and {@code password=…}-style pairs. The replacement keeps the name so a
 * reader still sees what was there.
 */
public final class Redactor {

    public static final String MASK = "[REDACTED]";

    private static final List<Pattern> VALUE_AFTER_NAME = List.of(
            Pattern.compile("(?i)(authorization\"?\\s*[:=]\\s*\"?(?:bearer|apikey|basic)?\\s*)([^\\s\",;]+)"),
            Pattern.compile("(?i)(x-api-key\"?\\s*[:=]\\s*\"?)([^\\s\",;]+)"),
            Pattern.compile("(?i)((?:password|passwd|pwd|secret|client[_-]?secret|access[_-]?token|refresh[_-]?token"
                    + "|id[_-]?token|token|api[_-]?key)\"?\\s*[:=]\\s*\"?)([^\\s\",;&}]+)"));

    private static final List<Pattern> WHOLE = List.of(
            // JWS compact serialisation (header.payload.signature), header starting with {"
            Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"),
            // Hotpass API keys: hp_<key id>_<secret>
            Pattern.compile("\\bhp_[A-Za-z0-9]{6,}_[A-Za-z0-9_-]{16,}"));

    private Redactor() {
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Pattern p : WHOLE) {
            out = p.matcher(out).replaceAll(MASK);
        }
        for (Pattern p : VALUE_AFTER_NAME) {
            Matcher m = p.matcher(out);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + MASK));
            }
            m.appendTail(sb);
            out = sb.toString();
        }
        return out;
    }
}
