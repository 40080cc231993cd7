package io.hotpass.ingest.normalise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PhoneShapes} against libphonenumber itself: wherever it answers, it must answer the number
 * libphonenumber parses, field for field, for numbers of every supported region written in the
 * ways people write them, mangled, and read with their own and other default regions.
 */
class PhoneShapesTest {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    @Test
    void everyNumberItParsesIsTheNumberLibphonenumberParses() {
        Random random = new Random(23);
        List<String> regions = PhoneExamples.regions();
        int compared = 0;
        int answered = 0;
        for (String home : regions) {
            for (PhoneNumber example : PhoneExamples.of(home)) {
                for (String written : writings(example, random)) {
                    for (String region : new String[] {home, "ZA", "US", "GB", regions.get(random.nextInt(regions.size()))}) {
                        compared++;
                        answered += compare(written, region) ? 1 : 0;
                    }
                }
            }
        }
        for (int n = 0; n < 150_000; n++) {
            String region = n % 3 == 0 ? "ZA" : regions.get(random.nextInt(regions.size()));
            // plus and country code, the region's own country code without plus, a trunk prefix, the
            // region's international prefix (then a country code, or a 0), or nothing
            String start = switch (random.nextInt(5)) {
                case 0 -> "+";
                case 1 -> String.valueOf(PHONES.getCountryCodeForRegion(region));
                case 2 -> "0";
                case 3 -> internationalPrefix(region) + (random.nextBoolean() ? "" : "0");
                default -> "";
            };
            StringBuilder b = new StringBuilder(start);
            int len = 5 + random.nextInt(14);
            for (int i = 0; i < len; i++) {
                b.append((char) ('0' + random.nextInt(10)));
                if (random.nextInt(5) == 0) {
                    b.append(" -().".charAt(random.nextInt(5)));
                }
            }
            compared++;
            answered += compare(b.toString(), region) ? 1 : 0;
        }
        // Regions that share their country code with another main region (CA and US, GG and GB, …): a
        // number written with that code and no '+' is read with the main region's metadata.
        for (String region : regions) {
            int cc = PHONES.getCountryCodeForRegion(region);
            if (PHONES.getRegionCodeForCountryCode(cc).equals(region)) {
                continue;
            }
            for (int n = 0; n < 400; n++) {
                StringBuilder b = new StringBuilder().append(cc).append(random.nextInt(3) == 0 ? PHONES.getNddPrefixForRegion(region, true) : "");
                int len = 4 + random.nextInt(10);
                for (int i = 0; i < len; i++) {
                    b.append((char) ('0' + random.nextInt(10)));
                }
                compared++;
                answered += compare(b.toString(), region) ? 1 : 0;
            }
        }
        // It must settle most of them, or it saves nothing.
        assertTrue(answered > compared / 3, "answered " + answered + " of " + compared);
    }

    @Test
    void whatItDoesNotSettleIsLeftToLibphonenumber() {
        for (String s : new String[] {"+0821234567", "+800 1234 5678", "082 123 4567 ext 12", "tel:+27821234567", "082-CALL-NOW",
                "(+27) 82 123 4567", "00 800 1234 5678", "0027 8212", "12345", ""}) {
            assertNull(PhoneShapes.parse(s, "ZA"), s);
        }
        assertNull(PhoneShapes.parse("082 123 4567", "XX"), "a region without metadata");
    }

    @Test
    void anInternationalPrefixIsReadAsAPlusUnlessAZeroFollowsIt() {
        assertTrue(compare("0027 82 123 4567", "ZA"));
        assertTrue(compare("011 27 82 123 4567", "US"));
        assertTrue(compare("00 33 1 23 45 67 89", "ZA"));
        assertNull(PhoneShapes.parse("00 44 20 7946 0018", "ZA"), "GB's national prefix is a pattern: libphonenumber's");
        assertTrue(compare("(003) 340-1878", "ZA"), "00 then 3340…: France's +33");
        assertTrue(compare("000 883 8737", "ZA"), "00 then 0: a national number");
    }

    /** A digit string that the region's international prefix pattern matches, when it has one. */
    private static String internationalPrefix(String region) {
        var md = DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource().getMetadataForRegion(region);
        String idd = md.getInternationalPrefix();
        return idd.chars().allMatch(Character::isDigit) ? idd : md.getPreferredInternationalPrefix().replaceAll("[^0-9]", "");
    }

    /** Whether PhoneShapes answered; fails when its answer is not libphonenumber's. */
    private static boolean compare(String s, String region) {
        PhoneNumber fast = PhoneShapes.parse(s, region);
        if (fast == null) {
            return false;
        }
        try {
            PhoneNumber expected = PHONES.parse(s, region);
            assertTrue(expected.exactlySameAs(fast), () -> s + " in " + region + ": libphonenumber " + expected + ", ours " + fast);
            assertEquals(PHONES.format(expected, PhoneNumberFormat.E164), PHONES.format(fast, PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            fail(s + " in " + region + ": libphonenumber rejects it (" + e.getMessage() + "), ours parsed " + fast);
        }
        return true;
    }

    /** The ways a number gets written: its formats, digits only, with and without country code, mangled. */
    private static List<String> writings(PhoneNumber number, Random random) {
        List<String> out = new ArrayList<>();
        String e164 = PHONES.format(number, PhoneNumberFormat.E164);
        String national = PHONES.format(number, PhoneNumberFormat.NATIONAL);
        out.add(e164);
        out.add(PHONES.format(number, PhoneNumberFormat.INTERNATIONAL));
        out.add(national);
        out.add(e164.substring(1));
        out.add(PHONES.getNationalSignificantNumber(number));
        out.add("0" + PHONES.getNationalSignificantNumber(number));
        out.add("(" + national.replaceFirst(" ", ") "));
        for (String base : List.of(e164, national, e164.substring(1))) {
            char[] c = base.toCharArray();
            int at = 1 + random.nextInt(c.length - 1);
            if (Character.isDigit(c[at])) {
                c[at] = (char) ('0' + random.nextInt(10));
            }
            out.add(new String(c));
            out.add(base.substring(0, base.length() - 1));
            out.add(base + random.nextInt(10));
            StringBuilder spaced = new StringBuilder();
            for (char ch : base.toCharArray()) {
                spaced.append(ch);
                if (random.nextInt(3) == 0) {
                    spaced.append(" -.".charAt(random.nextInt(3)));
                }
            }
            out.add(spaced.toString());
        }
        return out;
    }
}
