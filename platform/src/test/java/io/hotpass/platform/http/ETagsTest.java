package io.hotpass.platform.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.platform.problem.ProblemException;
import org.junit.jupiter.api.Test;

class ETagsTest {

    @Test
    void strongComparisonOnly() {
        assertTrue(ETags.matches("\"v3\"", "\"v3\""));
        assertTrue(ETags.matches("\"v1\", \"v3\"", "\"v3\""));
        assertFalse(ETags.matches("W/\"v3\"", "\"v3\""));
        assertTrue(ETags.matches("*", "\"v3\""));
        assertFalse(ETags.matches("\"v2\"", "\"v3\""));
    }

    @Test
    void missingHeaderIs428WhenRequiredAndMismatchIs412() {
        ProblemException missing = assertThrows(ProblemException.class, () -> ETags.checkIfMatch(null, "\"v3\"", true));
        assertEquals(428, missing.status());
        assertEquals("precondition_required", missing.code());
        ProblemException stale = assertThrows(ProblemException.class, () -> ETags.checkIfMatch("\"v2\"", "\"v3\"", true));
        assertEquals(412, stale.status());
        assertEquals("\"v3\"", stale.extensions().get("currentEtag"));
        assertDoesNotThrow(() -> ETags.checkIfMatch(null, "\"v3\"", false));
    }
}
