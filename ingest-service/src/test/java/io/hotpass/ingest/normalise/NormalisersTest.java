package io.hotpass.ingest.normalise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.ingest.profile.Profile;
import io.hotpass.ingest.profile.Profiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The normalisation registry, one intent at a time: canonical value or a stable reason code. */
class NormalisersTest {

    static final Profile ORG = new Profiles().get("organisation");

    static String norm(String field, String raw, String region) {
        Profile.Field f = ORG.field(field).orElseThrow();
        Normalisers.Result r = Normalisers.normalise(f, raw, region);
        return r.ok() ? String.valueOf(r.value()) : "!" + r.reason();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "+27 18 159 0830|ZA|+27181590830",
            "(056) 321-2233|ZA|+27563212233",
            "27819093786|ZA|+27819093786",
            "082 123 4567|ZA|+27821234567",
            "020 7946 0958|GB|+442079460958",
            "12|ZA|!invalid_phone",
            "call me|ZA|!invalid_phone"})
    void phonesBecomeE164(String raw, String region, String expected) {
        assertEquals(expected, norm("phone", raw, region));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "' INFO@Atlas.CO.ZA '|info@atlas.co.za",
            "mailto:ops@sun.aero|ops@sun.aero",
            "not-an-email|!invalid_email",
            "a@b|!invalid_email"})
    void emails(String raw, String expected) {
        assertEquals(expected, norm("email", raw, null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "example.co.za|http://example.co.za/",
            "HTTPS://WWW.Example.com:443/About|https://www.example.com/About",
            "http://example.com:8080|http://example.com:8080/",
            "https://example.com/a?b=c#frag|https://example.com/a?b=c",
            "ftp://example.com|!invalid_url",
            "user@example.com|!invalid_url",
            "Cape Town|!invalid_url"})
    void websites(String raw, String expected) {
        assertEquals(expected, norm("website", raw, null));
    }

    @Test
    void theFastPathForSimpleWebsitesAgreesWithUriParsing() {
        // simpleUrl answers only where it is sure; wherever it answers it must say what java.net.URI says.
        java.util.Random random = new java.util.Random(7);
        String alphabet = "abcXYZ019.-:/_~?#@% ";
        String[] prefixes = {"", "http://", "HTTPS://", "https://", "ftp://", "www.", "http:/"};
        int answered = 0;
        for (int n = 0; n < 100_000; n++) {
            StringBuilder b = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
            int len = 1 + random.nextInt(20);
            for (int i = 0; i < len; i++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = Normalisers.collapse(b.toString());
            if (s.isEmpty()) {
                continue;
            }
            Normalisers.Result fast = Normalisers.simpleUrl(s);
            if (fast != null) {
                answered++;
                assertEquals(Normalisers.urlByUri(s), fast, s);
            }
        }
        for (String s : new String[] {"example.co.za", "example.co.za/", "Example.CO.za:80", "https://a.b.c:443/x/y_z~1.html",
                "http://1.2.3.4/", "example.123", "a..b", "-a.com", "a-.com", "x.com:99999", "x.com:", "x.com//a"}) {
            Normalisers.Result fast = Normalisers.simpleUrl(s);
            if (fast != null) {
                answered++;
                assertEquals(Normalisers.urlByUri(s), fast, s);
            }
        }
        assertTrue(answered > 2_000, "the fast path answered only " + answered + " times");
    }

    /** Random text over {@code alphabet}, up to {@code max} characters. */
    static String random(java.util.Random random, String alphabet, int max) {
        char[] c = new char[random.nextInt(max + 1)];
        for (int i = 0; i < c.length; i++) {
            c[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(c);
    }

    @Test
    void collapsingAgreesWithTheRegexForAnyText() {
        // collapse returns ordinary cells untouched; on everything it must say what collapseAny (the regex) says.
        java.util.Random random = new java.util.Random(11);
        String alphabet = "ab Z9 .-\t\n\r\u000b\f\u00a0\u0000\u001f\u007f\u0085\u2028\u3000é";
        for (int n = 0; n < 200_000; n++) {
            String s = random(random, alphabet, 12);
            assertEquals(Normalisers.collapseAny(s), Normalisers.collapse(s), () -> java.util.Arrays.toString(s.chars().toArray()));
        }
        String plain = "Atlas Karoo Flying Academy NPC";
        assertTrue(plain == Normalisers.collapse(plain), "an ordinary cell is returned as it is");
    }

    static final java.util.regex.Pattern EMAIL_REGEX = java.util.regex.Pattern.compile(
            "^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$");
    static final java.util.regex.Pattern HOST_REGEX = java.util.regex.Pattern.compile(
            "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$");

    @Test
    void emailHostAndIntegerScansAcceptExactlyWhatTheirRegexesAccept() {
        java.util.Random random = new java.util.Random(13);
        String mail = "ab9-.@@_+'A~é ";
        for (int n = 0; n < 300_000; n++) {
            String e = random(random, mail, 14);
            assertEquals(EMAIL_REGEX.matcher(e).matches(), Normalisers.emailShape(e), e);
            String h = random(random, "ab9-.", 12);
            assertEquals(HOST_REGEX.matcher(h).matches(), Normalisers.hostShape(h, 0, h.length()), h);
            String i = random(random, "+-09a ", 5);
            assertEquals(i.matches("^[+-]?\\d+$"), Normalisers.integerShape(i), i);
        }
        // label lengths at the limits
        for (int len = 1; len <= 66; len++) {
            String host = "a".repeat(len) + ".co";
            assertEquals(HOST_REGEX.matcher(host).matches(), Normalisers.hostShape(host, 0, host.length()), host);
            String mid = "a" + "-".repeat(Math.max(0, len - 2)) + (len > 1 ? "b" : "") + ".co";
            assertEquals(HOST_REGEX.matcher(mid).matches(), Normalisers.hostShape(mid, 0, mid.length()), mid);
        }
    }

    @Test
    void isoDatesReadWithoutAFormatterAgreeWithTheFormats() {
        java.util.Random random = new java.util.Random(17);
        int read = 0;
        for (int n = 0; n < 100_000; n++) {
            String s = n % 2 == 0
                    ? String.format("%04d-%02d-%02d", random.nextInt(10_000), random.nextInt(14), random.nextInt(33))
                    : random(random, "0129-/. ", 10);
            Normalisers.Result expected = Normalisers.dateByFormats(s);
            assertEquals(expected, Normalisers.date(s), s);
            read += expected.ok() ? 1 : 0;
        }
        assertTrue(read > 20_000, "only " + read + " valid dates drawn");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "South Africa|ZA", "south africa|ZA", "RSA|ZA", "ZA|ZA", "ZAF|ZA", "United Kingdom|GB", "UK|GB",
            "Germany|DE", "Narnia|!invalid_country"})
    void countries(String raw, String expected) {
        assertEquals(expected, norm("country", raw, null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2023-05-01|2023-05-01", "01/05/2023|2023-05-01", "1/5/2023|2023-05-01", "2023/05/01|2023-05-01",
            "1 May 2023|2023-05-01", "May 1, 2023|2023-05-01", "20230501|2023-05-01", "29/02/2024|2024-02-29",
            "31/02/2023|!invalid_date", "29/02/2023|!invalid_date", "2023-13-01|!invalid_date", "yesterday|!invalid_date"})
    void datesAreIsoAndImpossibleDatesRejected(String raw, String expected) {
        assertEquals(expected, norm("last_inspection_date", raw, null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "fleet_size|37|37", "fleet_size|1,200|1200", "fleet_size|-3|!out_of_range", "fleet_size|many|!invalid_integer",
            "founded_year|1965|1965", "founded_year|65 years|!invalid_year", "founded_year|3000|!out_of_range",
            "name|'  Atlas   Aero\u00a0 CC '|Atlas Aero CC"})
    void numbersAndWhitespace(String field, String raw, String expected) {
        assertEquals(expected, norm(field, raw, null));
    }
}
