package io.hotpass.enrichment.resolution;

/**
 * The blocking rules: two records are compared only if they share the key of at least one rule.
 * Each rule catches duplicates the others miss (a typo early in the name defeats the prefix but not
 * the registration number; a changed phone defeats the phone but not the name).
 */
public enum BlockingRule {
    /** The normalised name's words, sorted: catches reordered words and case or punctuation changes. */
    NAME_TOKENS,
    /** The first characters of the normalised name without spaces: catches typos late in the name. */
    NAME_PREFIX,
    PHONE,
    EMAIL_DOMAIN,
    REGISTRATION_NUMBER,
    WEBSITE_HOST;

    String key(NormalisedOrg o, ResolutionSettings s) {
        return switch (this) {
            case NAME_TOKENS -> o.nameTokens();
            case NAME_PREFIX -> {
                if (o.name() == null) {
                    yield null;
                }
                String compact = o.name().replace(" ", "");
                yield compact.length() <= s.namePrefixLength() ? compact : compact.substring(0, s.namePrefixLength());
            }
            case PHONE -> o.phone();
            case EMAIL_DOMAIN -> o.emailDomain();
            case REGISTRATION_NUMBER -> o.registrationNumber();
            case WEBSITE_HOST -> o.websiteHost();
        };
    }
}
