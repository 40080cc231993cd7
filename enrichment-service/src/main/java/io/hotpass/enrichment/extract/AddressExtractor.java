package io.hotpass.enrichment.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a postal address written as free text — a contact page's {@code <address>} block or a line
 * such as "Hangar 4, 12 Aviation Road, Lanseria, Gauteng, 1748, South Africa" — into street, city,
 * province and country. It is deliberately strict, because a wrong street is worse than none: a
 * text is an address only when one of its comma- or line-separated parts is a street (a house
 * number and a street-type word: "12 Aviation Road", "1 Hangar Ave") and a city follows it (the
 * next part that is not a unit, a province, a postal code or a country). Province and country are
 * only taken from their known names (South African provinces; countries by English name), so
 * "Western Cape" is never read as a city. Parsing is pure string work on text the page gave us:
 * nothing in it is followed or obeyed.
 */
final class AddressExtractor {

    /** One address read from the text; any of city, province or country may be null. */
    record Address(String street, String city, String province, String country) {
    }

    private static final String STREET_TYPES = "street|st|road|rd|avenue|ave|drive|dr|lane|ln|way|crescent|cres"
            + "|boulevard|blvd|place|pl|close|cl|terrace|highway|hwy|circle|parkway|square|sq|court|ct|walk|row"
            + "|esplanade|straat|weg|laan|rylaan";
    /**
     * "12 Aviation Road", "12A Main Rd.", "1-3 Long St" — the number first, the street type last; at
     * the end of its part, so "Visit us at 12 Aviation Road" gives the street alone.
     */
    private static final Pattern STREET = Pattern.compile(
            "(?i)(?:^|\\s)((?:no\\.?\\s*)?\\d{1,5}[a-z]?(?:\\s*-\\s*\\d{1,5}[a-z]?)?\\s+[\\p{L}'.\\- ]{1,60}?\\s(?:"
                    + STREET_TYPES + "))\\.?$");
    /** Unit, suite, floor, building, hangar, PO box: part of the premises, not the street or city. */
    private static final Pattern PREMISES = Pattern.compile(
            "(?i)^(?:unit|suite|floor|flat|shop|office|building|block|hangar|house|p\\.?\\s?o\\.?\\s?box|private bag)\\b.*");
    private static final Pattern POSTAL_CODE = Pattern.compile("(?i)^(?:\\d{4,5}|[a-z]{1,2}\\d[a-z\\d]?\\s?\\d[a-z]{2})$");
    /** A city part may carry its postal code: "Cape Town 8001". */
    private static final Pattern CITY_WITH_CODE = Pattern.compile("^(\\p{L}[\\p{L}'.\\- ]{1,50}?)\\s+\\d{4,5}$");
    private static final Pattern CITY = Pattern.compile("^\\p{L}[\\p{L}'.\\- ]{1,50}$");

    private static final Map<String, String> PROVINCES = Map.ofEntries(Map.entry("western cape", "Western Cape"),
            Map.entry("eastern cape", "Eastern Cape"), Map.entry("northern cape", "Northern Cape"),
            Map.entry("gauteng", "Gauteng"), Map.entry("kwazulu-natal", "KwaZulu-Natal"),
            Map.entry("kwazulu natal", "KwaZulu-Natal"), Map.entry("kzn", "KwaZulu-Natal"),
            Map.entry("free state", "Free State"), Map.entry("limpopo", "Limpopo"),
            Map.entry("mpumalanga", "Mpumalanga"), Map.entry("north west", "North West"),
            Map.entry("north-west", "North West"));

    private AddressExtractor() {
    }

    /** The first address in this text, or null when no part of it reads as a street followed by a city. */
    static Address parse(String text) {
        if (text == null || text.length() > 500) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String p : text.split("[,\\n;|]")) {
            String s = p.replaceAll("\\s+", " ").strip().replaceAll("[.:]+$", "");
            if (!s.isEmpty()) {
                parts.add(s);
            }
        }
        for (int i = 0; i < parts.size(); i++) {
            Matcher m = STREET.matcher(parts.get(i));
            if (!m.find()) {
                continue;
            }
            String street = m.group(1);
            String city = null;
            String province = null;
            String country = null;
            for (int j = i + 1; j < parts.size(); j++) {
                String part = parts.get(j);
                String lower = part.toLowerCase(Locale.ROOT);
                String code = country(part);
                if (PROVINCES.containsKey(lower)) {
                    province = province == null ? PROVINCES.get(lower) : province;
                } else if (code != null) {
                    country = country == null ? code : country;
                } else if (POSTAL_CODE.matcher(part).matches() || PREMISES.matcher(part).matches()) {
                    continue;
                } else if (city == null) {
                    Matcher withCode = CITY_WITH_CODE.matcher(part);
                    if (withCode.matches()) {
                        city = withCode.group(1).strip();
                    } else if (CITY.matcher(part).matches()) {
                        city = part;
                    } else {
                        break; // not an address line any more
                    }
                }
            }
            if (city != null) {
                return new Address(street, city, province, country);
            }
        }
        return null;
    }

    /**
     * ISO 3166-1 alpha-2 code for a country's English name ("South Africa", or "RSA"), else null.
     * Two-letter codes are not taken: in free text "CA" or "WA" is as likely a state as a country.
     */
    static String country(String part) {
        return COUNTRIES.get(part.strip().toLowerCase(Locale.ROOT));
    }

    /** Lower-case English country names (and "rsa") → ISO code, built once: parts are looked up per text block. */
    private static final Map<String, String> COUNTRIES = countries();

    private static Map<String, String> countries() {
        Map<String, String> m = new java.util.HashMap<>();
        for (String code : Locale.getISOCountries()) {
            m.put(new Locale("", code).getDisplayCountry(Locale.ENGLISH).toLowerCase(Locale.ROOT), code);
        }
        m.put("rsa", "ZA");
        return Map.copyOf(m);
    }
}
