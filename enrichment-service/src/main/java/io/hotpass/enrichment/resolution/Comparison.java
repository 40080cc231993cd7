package io.hotpass.enrichment.resolution;

import java.util.List;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The comparison vector of a record pair: one agreement level per compared field. A field missing
 * on either side has no level ({@link #MISSING}) and contributes no evidence either way.
 * A whole vector is packed into one int "pattern" (mixed radix), because the model's parameters
 * depend only on the pattern, and there are few of them (4 × 3³ = 108).
 */
public enum Comparison {
    NAME(List.of("exact", "levenshtein<=2", "jaro-winkler>=0.88", "different")),
    PHONE(List.of("equal", "different")),
    /**
     * The organisation's internet domain: its e-mail domain or website host. One comparison, not
     * two, because the two are usually the same domain; counting them apart would count one piece
     * of evidence twice and break the model's independence assumption.
     */
    DOMAIN(List.of("equal", "different")),
    REGISTRATION_NUMBER(List.of("equal", "different"));

    public static final int MISSING = -1;
    static final Comparison[] ALL = values();
    /** Number of distinct patterns. */
    public static final int PATTERNS;
    private static final int[] RADIX = new int[ALL.length];

    static {
        int n = 1;
        for (int k = 0; k < ALL.length; k++) {
            RADIX[k] = n;
            n *= ALL[k].levels.size() + 1;
        }
        PATTERNS = n;
    }

    private final List<String> levels;

    Comparison(List<String> levels) {
        this.levels = levels;
    }

    public List<String> levels() {
        return levels;
    }

    /** The level of this comparison in a packed pattern, or {@link #MISSING}. */
    public int level(int pattern) {
        int v = (pattern / RADIX[ordinal()]) % (levels.size() + 1);
        return v == levels.size() ? MISSING : v;
    }

    /** Compares two records into a packed pattern; not thread-safe only through its similarity objects. */
    static final class Comparator {
        private final JaroWinklerSimilarity jaroWinkler = new JaroWinklerSimilarity();
        private final LevenshteinDistance levenshtein = new LevenshteinDistance(2);

        int compare(NormalisedOrg a, NormalisedOrg b) {
            int p = 0;
            p += RADIX[NAME.ordinal()] * name(a, b);
            p += RADIX[PHONE.ordinal()] * exact(a.phone(), b.phone(), PHONE);
            p += RADIX[DOMAIN.ordinal()] * domain(a, b);
            p += RADIX[REGISTRATION_NUMBER.ordinal()]
                    * exact(a.registrationNumber(), b.registrationNumber(), REGISTRATION_NUMBER);
            return p;
        }

        private static int domain(NormalisedOrg a, NormalisedOrg b) {
            if (a.emailDomain() == null && a.websiteHost() == null
                    || b.emailDomain() == null && b.websiteHost() == null) {
                return DOMAIN.levels.size();
            }
            boolean same = a.emailDomain() != null
                    && (a.emailDomain().equals(b.emailDomain()) || a.emailDomain().equals(b.websiteHost()))
                    || a.websiteHost() != null
                    && (a.websiteHost().equals(b.websiteHost()) || a.websiteHost().equals(b.emailDomain()));
            return same ? 0 : 1;
        }

        private int name(NormalisedOrg a, NormalisedOrg b) {
            if (a.name() == null || b.name() == null) {
                return NAME.levels.size();
            }
            if (a.name().equals(b.name()) || a.nameTokens().equals(b.nameTokens())) {
                return 0;
            }
            if (levenshtein.apply(a.name(), b.name()) >= 0) {
                return 1;
            }
            return jaroWinkler.apply(a.name(), b.name()) >= 0.88 ? 2 : 3;
        }

        private static int exact(String x, String y, Comparison c) {
            if (x == null || y == null) {
                return c.levels.size();
            }
            return x.equals(y) ? 0 : 1;
        }
    }
}
