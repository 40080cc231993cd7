package io.hotpass.enrichment.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class OrgNormaliserTest {

    private final OrgNormaliser normaliser = new OrgNormaliser("ZA");

    @Test
    void phonesInEveryHouseFormatBecomeOneE164() {
        for (String raw : new String[] {"+27 82 123 4567", "082 123 4567", "(082) 123-4567", "27821234567",
                "0821234567"}) {
            assertEquals("+27821234567", normaliser.phone(raw), raw);
        }
        // A number libphonenumber rejects (here an unassigned "00" area code) still gets one key for
        // all the ways it is written.
        String key = normaliser.phone("(003) 278-9488");
        for (String raw : new String[] {"+27 03 278 9488", "003 278 9488", "27032789488", "0032789488"}) {
            assertEquals(key, normaliser.phone(raw), raw);
        }
        assertNull(normaliser.phone("12"));
        assertNull(normaliser.phone("call us"));
        assertNull(normaliser.phone(" "));
    }

    @Test
    void emailDomainIsLowerCasedAndFreeMailIsNoEvidence() {
        assertEquals("skyaero.co.za", OrgNormaliser.emailDomain(" INFO@SkyAero.co.za "));
        assertNull(OrgNormaliser.emailDomain("someone@gmail.com"));
        assertNull(OrgNormaliser.emailDomain("not-an-email"));
        assertNull(OrgNormaliser.emailDomain("x@localhost"));
    }

    @Test
    void websiteHostWithoutSchemeOrWww() {
        assertEquals("skyaero.co.za", OrgNormaliser.websiteHost("https://www.SkyAero.co.za/"));
        assertEquals("skyaero.co.za", OrgNormaliser.websiteHost("skyaero.co.za"));
        assertEquals("skyaero.co.za", OrgNormaliser.websiteHost("www.skyaero.co.za/about"));
        assertNull(OrgNormaliser.websiteHost("not a url"));
    }

    @Test
    void registrationNumberKeepsLettersAndDigits() {
        assertEquals("200112345607", OrgNormaliser.registration("2001/123456/07"));
        assertEquals("200112345607", OrgNormaliser.registration(" 2001 123456 07 "));
        assertNull(OrgNormaliser.registration("/-"));
    }
}
