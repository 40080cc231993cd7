package io.hotpass.policy.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlaintextApiKeyTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void generatedKeysParseBackAndDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            PlaintextApiKey key = PlaintextApiKey.generate(random);
            assertTrue(key.value().matches("hp_[a-z0-9]{12}_[A-Za-z0-9]{32}"), key.toString());
            assertEquals(key, PlaintextApiKey.parse(key.value()).orElseThrow());
            assertTrue(seen.add(key.value()));
        }
    }

    @Test
    void malformedKeysDoNotParse() {
        for (String bad : new String[] {null, "", "hp_", "hp_abc_def", "xx_testadmin001_TestAdminSecret00000000000000001",
                "hp_TESTADMIN001_TestAdminSecret00000000000000001", "hp_testadmin001_TestAdminSecret0000000000000000-",
                "hp_testadmin001_TestAdminSecret000000000000000012", " hp_testadmin001_TestAdminSecret00000000000000001"}) {
            assertTrue(PlaintextApiKey.parse(bad).isEmpty(), String.valueOf(bad));
        }
    }

    @Test
    void toStringNeverShowsTheSecret() {
        PlaintextApiKey key = PlaintextApiKey.generate(random);
        assertFalse(key.toString().contains(key.secret()));
        assertEquals(64, key.secretSha256().length());
    }
}
