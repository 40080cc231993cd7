package io.hotpass.enrichment.resolution;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Normalises the fields entity resolution compares: names ({@link NameNormaliser}), phones to
 * E.164 with libphonenumber, the e-mail domain (free-mail domains dropped: sharing gmail.com says
 * nothing), the registration number (letters and digits only, upper case) and the website host
 * (without {@code www.}).
 */
public final class OrgNormaliser {

    static final Set<String> FREE_MAIL = Set.of("gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk",
            "hotmail.com", "outlook.com", "live.com", "icloud.com", "me.com", "aol.com", "protonmail.com",
            "proton.me", "gmx.com", "gmx.net", "mail.com", "webmail.co.za", "mweb.co.za", "telkomsa.net",
            "vodamail.co.za", "iafrica.com", "yandex.ru", "qq.com");

    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private final String defaultRegion;

    /** @param defaultRegion ISO 3166 region assumed for phone numbers written without a country code */
    public OrgNormaliser(String defaultRegion) {
        this.defaultRegion = defaultRegion;
    }

    public NormalisedOrg normalise(OrgRecord r) {
        String name = NameNormaliser.normalise(r.name());
        return new NormalisedOrg(r.id(), name, NameNormaliser.sortedTokenKey(name), phone(r.phone()),
                emailDomain(r.email()), registration(r.registrationNumber()), websiteHost(r.website()));
    }

    /**
     * E.164 when libphonenumber finds a possible number; otherwise a best-effort key in the same
     * shape (country code of the default region + the digits without trunk prefix), because a
     * number the library rejects (an unassigned area code, say) still identifies its owner when
     * written the same way twice. {@code null} for fewer than 7 digits.
     */
    public String phone(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String s = raw.strip();
        String digits = s.replaceAll("[^0-9]", "");
        if (digits.length() < 7) {
            return null;
        }
        String cc = Integer.toString(phones.getCountryCodeForRegion(defaultRegion));
        // "27821234567" is a national number written with its country code but without '+';
        // libphonenumber needs the '+' to read a country code from digits alone.
        if (!s.startsWith("+") && !s.startsWith("0") && digits.startsWith(cc) && digits.length() >= 11) {
            s = "+" + digits;
        }
        try {
            Phonenumber.PhoneNumber n = phones.parse(s, defaultRegion);
            if (phones.isPossibleNumber(n)) {
                return phones.format(n, PhoneNumberUtil.PhoneNumberFormat.E164);
            }
        } catch (NumberParseException e) {
            // fall through to the digit key
        }
        String national = s.startsWith("+") && digits.startsWith(cc) ? digits.substring(cc.length())
                : digits.startsWith("0") ? digits.substring(1) : digits;
        while (national.startsWith("0")) {
            national = national.substring(1);
        }
        return "+" + cc + national;
    }

    public static String emailDomain(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip().toLowerCase(Locale.ROOT);
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1) {
            return null;
        }
        String domain = s.substring(at + 1);
        if (!domain.contains(".") || domain.startsWith(".") || domain.endsWith(".")) {
            return null;
        }
        return FREE_MAIL.contains(domain) ? null : domain;
    }

    public static String registration(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.replaceAll("[^A-Za-z0-9]", "").toUpperCase(Locale.ROOT);
        return s.length() < 4 ? null : s;
    }

    public static String websiteHost(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String s = raw.strip().toLowerCase(Locale.ROOT);
        if (!s.contains("://")) {
            s = "http://" + s;
        }
        try {
            String host = new URI(s).getHost();
            if (host == null || !host.contains(".")) {
                return null;
            }
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            return host.startsWith("www.") ? host.substring(4) : host;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
