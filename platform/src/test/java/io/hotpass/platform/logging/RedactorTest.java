package io.hotpass.platform.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void redactsAuthorizationHeadersAndKeys() {
        String line = "GET /x Authorization: Bearer abc.def.ghi X-API-Key: hp_k1a2b3c4_s3cr3tvalue0123456789 ok";
        String out = Redactor.redact(line);
        assertFalse(out.contains("abc.def.ghi"), out);
        assertFalse(out.contains("s3cr3tvalue"), out);
        assertTrue(out.contains("Authorization: Bearer [REDACTED]"), out);
        assertTrue(out.endsWith(" ok"), out);
    }

    @Test
    void redactsJwtsAnywhere() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl";
        assertEquals("token was [REDACTED].", Redactor.redact("token was " + jwt + "."));
    }

    @Test
    void redactsPasswordPairsInTextAndJson() {
        assertEquals("password=[REDACTED]&user=bob", Redactor.redact("password=hunter2&user=bob"));
        assertEquals("{\"client_secret\":\"[REDACTED]\",\"a\":1}", Redactor.redact("{\"client_secret\":\"xyz\",\"a\":1}"));
    }

    @Test
    void leavesOrdinaryTextAlone() {
        String text = "Uploaded 10000 rows to dataset orgs (tenant demo) in 1.2 s";
        assertEquals(text, Redactor.redact(text));
    }
}
