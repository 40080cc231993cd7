package io.hotpass.chaos.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FakeClockTest {

    @Test
    void offsetsAreLibfaketimesRelativeFormat() {
        assertEquals(180, FakeClock.seconds("+3m"));
        assertEquals(-90, FakeClock.seconds("-90s"));
        assertEquals(-90, FakeClock.seconds("-90"));
        assertEquals(7200, FakeClock.seconds("+2h"));
        assertEquals(86_400, FakeClock.seconds("+1d"));
        for (String bad : new String[] {null, "", "3m", "+3 m", "+3w", "@2026-01-01 00:00:00", "+3m; rm -rf /"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FakeClock.seconds(bad), String.valueOf(bad));
            assertTrue(e.getMessage().contains("params.offset"), e.getMessage());
        }
    }

    @Test
    void theEnvironmentShiftsAProcesssWallClockAndNotItsMonotonicOne() throws Exception {
        // CI installs libfaketime (.ci/run); without it the drill refuses to inject, which this asserts instead.
        if (FakeClock.library().isEmpty()) {
            assertThrows(IllegalStateException.class, () -> FakeClock.env("+3m"));
            return;
        }
        Map<String, String> env = FakeClock.env("+3m");
        assertEquals("1", env.get("FAKETIME_DONT_FAKE_MONOTONIC"));
        assertTrue(LocalStack.fakeClockVariable("LD_PRELOAD", env.get("LD_PRELOAD")));
        ProcessBuilder pb = new ProcessBuilder("date", "+%s").redirectErrorStream(true);
        pb.environment().putAll(env);
        long before = System.currentTimeMillis() / 1000;
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        long skew = Long.parseLong(out) - before;
        assertTrue(skew >= 178 && skew <= 182, "date under the fake clock ran " + skew + " s ahead");
    }

    @Test
    void onlyFakeClockVariablesAreDroppedOnRestart() {
        assertTrue(LocalStack.fakeClockVariable("FAKETIME", "+3m"));
        assertTrue(LocalStack.fakeClockVariable("FAKETIME_DONT_FAKE_MONOTONIC", "1"));
        assertTrue(LocalStack.fakeClockVariable("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"));
        assertFalse(LocalStack.fakeClockVariable("LD_PRELOAD", "/usr/lib/libjemalloc.so.2"));
        assertFalse(LocalStack.fakeClockVariable("HOTPASS_DB_URL", "jdbc:postgresql://127.0.0.1/x"));
    }
}
