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
        assertEquals("0", env.get("FAKETIME_FORCE_MONOTONIC_FIX"));
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

    /**
     * A JVM under the fake clock: its wall clock is ahead, and its timed waits last as long as asked.
     * With libfaketime's monotonic fix on (its own default for this glibc) this sequence of 2,000 ms
     * ended after about 1,670 ms, and such a JVM spins in its waits.
     */
    @Test
    void aJvmUnderTheFakeClockWaitsAsLongAsItAsks(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        if (FakeClock.library().isEmpty()) {
            return; // asserted by the test above: CI installs libfaketime
        }
        java.nio.file.Path source = dir.resolve("Waits.java");
        java.nio.file.Files.writeString(source, """
                public class Waits {
                    public static void main(String[] a) throws Exception {
                        long wall = System.currentTimeMillis();
                        long t0 = System.nanoTime();
                        Thread.sleep(1000);
                        Object o = new Object();
                        synchronized (o) { o.wait(500); }
                        new java.util.concurrent.LinkedBlockingQueue<Integer>().poll(300, java.util.concurrent.TimeUnit.MILLISECONDS);
                        java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
                        System.out.println(wall + " " + (System.nanoTime() - t0) / 1_000_000);
                    }
                }
                """);
        ProcessBuilder pb = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                source.toString()).redirectErrorStream(true);
        pb.environment().putAll(FakeClock.env("+3m"));
        long before = System.currentTimeMillis();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String[] parts = out.substring(out.lastIndexOf('\n') + 1).split(" ");
        long ahead = (Long.parseLong(parts[0]) - before) / 1000;
        assertTrue(ahead >= 178 && ahead <= 190, "the JVM's wall clock ran " + ahead + " s ahead: " + out);
        long waited = Long.parseLong(parts[1]);
        assertTrue(waited >= 1990, "asked to wait 2,000 ms in all, the JVM under the fake clock waited " + waited + " ms");
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
