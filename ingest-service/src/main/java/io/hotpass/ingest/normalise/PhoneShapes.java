package io.hotpass.ingest.normalise;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.ValidationResult;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commonest shapes of a phone number — {@code +<country code> <digits>}, a national number of the
 * default region, and that region's country code written without {@code +}, with digits, spaces,
 * hyphens, dots and parentheses — parsed into
 * the {@link PhoneNumber} that {@link PhoneNumberUtil#parse} makes of them, from libphonenumber's own
 * metadata, without its generic steps (extension labels, RFC 3966, viability, alphabetic numbers:
 * four fifths of an upload's phone cost and none of which can apply to these characters).
 *
 * <p>{@link #parse} answers {@code null} for anything it does not settle — other characters, a country
 * code it cannot read, a national number that begins with an international prefix, a region whose
 * national prefix is a pattern or is rewritten — and the caller asks libphonenumber.
 * Validity and formatting stay libphonenumber's. {@code PhoneShapesTest} compares this parse with
 * libphonenumber's for numbers of every supported region in many shapes.
 */
final class PhoneShapes {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /** What the parse needs of a region whose national prefix is a plain digit string (or none). */
    private record Region(int countryCode, String countryCodeDigits, String nationalPrefix, Pattern generalDesc,
            Pattern internationalPrefix, List<Integer> possibleLengths, List<Integer> localOnlyLengths) {
    }

    private static final Map<String, Region> REGIONS = regions();

    private PhoneShapes() {
    }

    private static Map<String, Region> regions() {
        Map<String, Region> m = new HashMap<>();
        var source = DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
        for (String code : PHONES.getSupportedRegions()) {
            PhoneMetadata md = source.getMetadataForRegion(code);
            String prefix = md.getNationalPrefixForParsing();
            String pattern = md.getGeneralDesc().getNationalNumberPattern();
            if (!md.getNationalPrefixTransformRule().isEmpty() || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')
                    || pattern.isEmpty() || md.getGeneralDesc().getPossibleLengthList().isEmpty()) {
                continue;
            }
            m.put(code, new Region(md.getCountryCode(), String.valueOf(md.getCountryCode()), prefix, Pattern.compile(pattern),
                    Pattern.compile(md.getInternationalPrefix()), List.copyOf(md.getGeneralDesc().getPossibleLengthList()),
                    List.copyOf(md.getGeneralDesc().getPossibleLengthLocalOnlyList())));
        }
        return Map.copyOf(m);
    }

    /** The number libphonenumber would parse {@code s} as, for {@code region}; null when this cannot tell. */
    static PhoneNumber parse(String s, String region) {
        int n = s.length();
        if (n == 0 || n > 64) {
            return null;
        }
        char[] d = new char[n];
        int len = 0;
        boolean plus = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                d[len++] = c;
            } else if (c == '+' && i == 0) {
                plus = true;
            } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
                return null;
            }
        }
        if (len < 7 || len > 17) {
            return null;
        }
        String digits = new String(d, 0, len);
        Region r;
        String national;
        if (plus) {
            Region cc = countryCodeRegion(digits);
            if (cc == null) {
                return null;
            }
            r = cc;
            national = digits.substring(cc.countryCodeDigits().length());
        } else {
            r = REGIONS.get(region);
            if (r == null) {
                return null;
            }
            national = digits;
            Matcher idd = r.internationalPrefix().matcher(digits);
            if (idd.lookingAt() && idd.end() < len && digits.charAt(idd.end()) != '0') {
                // "0027 82 …": the region's international prefix, then a country code, read as after '+'.
                // (libphonenumber keeps the prefix when a 0 follows it, as no country code begins with 0,
                // and reads the whole as a national number, as below.)
                String international = digits.substring(idd.end());
                r = international.length() < 7 ? null : countryCodeRegion(international);
                if (r == null) {
                    return null;
                }
                national = international.substring(r.countryCodeDigits().length());
            } else if (digits.startsWith(r.countryCodeDigits())) {
                // "27821234567": the region's own country code without '+'. libphonenumber takes it as one
                // when the number does not fit the region's pattern and the rest (without a national
                // prefix) does, or when the number is too long for the region. The rest is then read
                // with the metadata of the country code's main region.
                String rest = withoutNationalPrefix(digits.substring(r.countryCodeDigits().length()), r);
                if ((!r.generalDesc().matcher(digits).matches() && r.generalDesc().matcher(rest).matches())
                        || validation(r, digits.length()) == ValidationResult.TOO_LONG) {
                    r = REGIONS.get(PHONES.getRegionCodeForCountryCode(r.countryCode()));
                    if (r == null) {
                        return null;
                    }
                    national = rest;
                }
            }
        }
        String stripped = withoutNationalPrefix(national, r);
        // The prefix goes only when what is left has a possible length for the region.
        if (stripped.length() < national.length() && lengthAllowsStripping(r, stripped.length())) {
            national = stripped;
        }
        PhoneNumber number = new PhoneNumber().setCountryCode(r.countryCode());
        if (national.length() > 1 && national.charAt(0) == '0') {
            number.setItalianLeadingZero(true);
            int zeros = 1;
            while (zeros < national.length() - 1 && national.charAt(zeros) == '0') {
                zeros++;
            }
            if (zeros != 1) {
                number.setNumberOfLeadingZeros(zeros);
            }
        }
        return number.setNationalNumber(Long.parseLong(national));
    }

    /**
     * The region whose metadata reads {@code digits}, which begin with a country calling code (after a '+'
     * or an international prefix): libphonenumber takes the first 1-3 digits that are a calling code
     * (none begins with 0) and reads the rest with its main region's metadata (none for "001"). Null when
     * there is no such code or region.
     */
    private static Region countryCodeRegion(String digits) {
        if (digits.charAt(0) == '0') {
            return null;
        }
        for (int i = 1; i <= 3; i++) {
            int candidate = Integer.parseInt(digits, 0, i, 10);
            if (!PHONES.getRegionCodesForCountryCode(candidate).isEmpty()) {
                Region r = REGIONS.get(PHONES.getRegionCodeForCountryCode(candidate));
                return r == null || r.countryCode() != candidate ? null : r;
            }
        }
        return null;
    }

    /**
     * {@code national} without the region's national prefix, as libphonenumber strips it: when it
     * begins with the prefix, unless that turns a number of the region's pattern into one that is not.
     * {@code national} itself when nothing is stripped.
     */
    private static String withoutNationalPrefix(String national, Region r) {
        if (r.nationalPrefix().isEmpty() || !national.startsWith(r.nationalPrefix())) {
            return national;
        }
        String stripped = national.substring(r.nationalPrefix().length());
        return r.generalDesc().matcher(national).matches() && !r.generalDesc().matcher(stripped).matches() ? national : stripped;
    }

    /**
     * libphonenumber's length test of a national number without its prefix: anything but too short,
     * possible only locally, or of a length the region does not have.
     */
    private static boolean lengthAllowsStripping(Region r, int length) {
        ValidationResult v = validation(r, length);
        return v != ValidationResult.TOO_SHORT && v != ValidationResult.IS_POSSIBLE_LOCAL_ONLY && v != ValidationResult.INVALID_LENGTH;
    }

    private static ValidationResult validation(Region r, int length) {
        List<Integer> possible = r.possibleLengths();
        if (possible.get(0) == -1) {
            return ValidationResult.INVALID_LENGTH;
        }
        if (r.localOnlyLengths().contains(length)) {
            return ValidationResult.IS_POSSIBLE_LOCAL_ONLY;
        }
        int minimum = possible.get(0);
        if (minimum == length) {
            return ValidationResult.IS_POSSIBLE;
        } else if (minimum > length) {
            return ValidationResult.TOO_SHORT;
        } else if (possible.get(possible.size() - 1) < length) {
            return ValidationResult.TOO_LONG;
        }
        return possible.subList(1, possible.size()).contains(length) ? ValidationResult.IS_POSSIBLE : ValidationResult.INVALID_LENGTH;
    }
}
