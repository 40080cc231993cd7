package io.hotpass.enrichment.resolution;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns an organisation name into the form names are compared in: lower case, accents and
 * punctuation removed, {@code &} spelled out, and trailing legal-form words such as
 * "(Pty) Ltd", "CC", "Inc" or "NPC" dropped, because the same organisation is written with and
 * without them.
 */
public final class NameNormaliser {

    /** Legal-form words stripped from the end of a name (after punctuation is gone). */
    static final Set<String> LEGAL_FORMS = Set.of("pty", "ptyltd", "ltd", "limited", "proprietary", "cc", "inc",
            "incorporated", "npc", "llc", "llp", "plc", "corp", "corporation", "co", "company", "gmbh", "ag", "bv",
            "nv", "sa", "sarl", "srl", "spa", "ab", "oy", "as", "kg", "soc", "rf", "trust");

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NON_ALNUM = Pattern.compile("[^a-z0-9]+");

    private NameNormaliser() {
    }

    /** The normalised name, or {@code null} when nothing comparable is left. */
    public static String normalise(String name) {
        List<String> tokens = tokens(name);
        return tokens.isEmpty() ? null : String.join(" ", tokens);
    }

    /** The normalised name's words in sorted order: the same key for reordered words. */
    public static String sortedTokenKey(String normalised) {
        if (normalised == null) {
            return null;
        }
        String[] t = normalised.split(" ");
        Arrays.sort(t);
        return String.join(" ", t);
    }

    static List<String> tokens(String name) {
        if (name == null) {
            return List.of();
        }
        String s = Normalizer.normalize(name, Normalizer.Form.NFKD);
        s = MARKS.matcher(s).replaceAll("").toLowerCase(Locale.ROOT).replace("&", " and ");
        List<String> tokens = new ArrayList<>();
        for (String t : NON_ALNUM.split(s)) {
            if (!t.isEmpty()) {
                tokens.add(t);
            }
        }
        // Strip legal forms from the end only, and never the whole name ("Trust Co" stays "trust").
        while (tokens.size() > 1 && LEGAL_FORMS.contains(tokens.get(tokens.size() - 1))) {
            tokens.remove(tokens.size() - 1);
        }
        return tokens;
    }
}
