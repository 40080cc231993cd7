package io.hotpass.enrichment.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class NameNormaliserTest {

    @Test
    void stripsLegalFormsCaseAndPunctuation() {
        assertEquals("blue sky aviation", NameNormaliser.normalise("Blue Sky Aviation (Pty) Ltd"));
        assertEquals("blue sky aviation", NameNormaliser.normalise("BLUE SKY AVIATION (PTY) LTD"));
        assertEquals("blue sky aviation", NameNormaliser.normalise("  Blue-Sky   Aviation CC "));
        assertEquals("eagle air services", NameNormaliser.normalise("Eagle Air Services Inc."));
        assertEquals("karoo aero club", NameNormaliser.normalise("Karoo Aero Club NPC"));
    }

    @Test
    void keepsLegalWordsInsideTheNameAndNeverEmptiesIt() {
        assertEquals("trust aviation", NameNormaliser.normalise("Trust Aviation Ltd"));
        assertEquals("ltd", NameNormaliser.normalise("Ltd"));
        assertNull(NameNormaliser.normalise("  --  "));
        assertNull(NameNormaliser.normalise(null));
    }

    @Test
    void foldsAccentsAndAmpersand() {
        assertEquals("societe and fils", NameNormaliser.normalise("Société & Fils"));
    }

    @Test
    void sortedTokenKeyIgnoresWordOrder() {
        assertEquals(NameNormaliser.sortedTokenKey("sky blue aviation"),
                NameNormaliser.sortedTokenKey("blue sky aviation"));
    }
}
