package io.hotpass.chaos.targets;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attaching to a stack like bin/hotpass's and starting a killed process again exactly as it ran.
 * A shell loop stands in for a service: it writes its marker environment variable and working
 * directory to a file, so the restarted process proves what it was given.
 */
class LocalStackTest {

    @Test
    void aKilledProcessStartsAgainWithItsCommandEnvironmentAndDirectoryAndItsPidFileIsUpdated(@TempDir Path root) throws Exception {
        Path run = Files.createDirectories(root.resolve(".hotpass/run"));
        Files.createDirectories(root.resolve(".hotpass/logs"));
        Files.writeString(root.resolve(".hotpass/secrets.env"), "HOTPASS_BOOTSTRAP_ADMIN_KEY=hp_a\nHOTPASS_SERVICE_API_KEY=hp_b\n");
        Path work = Files.createDirectories(root.resolve("work"));
        Path seen = root.resolve("seen.txt");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "echo \"$CHAOS_MARK $PWD $HOTPASS_DB_CLEAN_AT_START\" >> " + seen + "; while :; do sleep 0.2; done")
                .directory(work.toFile());
        pb.environment().put("CHAOS_MARK", "mark-42");
        Process first = pb.start();
        Files.writeString(run.resolve("lineage-service.pid"), first.pid() + "\n");
        awaitLines(seen, 1);

        LocalStack stack = LocalStack.attach(root);
        assertEquals("hp_a", stack.adminKey);
        assertEquals(first.pid(), stack.pid("lineage-service").orElseThrow());
        stack.signal("lineage-service", "KILL");
        assertTrue(stack.awaitExit("lineage-service", Duration.ofSeconds(10)));
        assertTrue(stack.pid("lineage-service").isEmpty());

        stack.restart("lineage-service");
        long second = stack.pid("lineage-service").orElseThrow();
        try {
            assertNotEquals(first.pid(), second);
            assertEquals(Long.toString(second), Files.readString(run.resolve("lineage-service.pid")).trim());
            awaitLines(seen, 2);
            List<String> lines = Files.readAllLines(seen);
            assertEquals("mark-42 " + work.toRealPath() + " false", lines.get(1), "same environment and directory; a restart never wipes the database");
        } finally {
            ProcessHandle.of(second).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aPausedProcessIsContinuedBySignal(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve(".hotpass/run"));
        Files.writeString(root.resolve(".hotpass/secrets.env"), "HOTPASS_BOOTSTRAP_ADMIN_KEY=hp_a\n");
        Process p = new ProcessBuilder("sleep", "300").start();
        try {
            Files.writeString(root.resolve(".hotpass/run/ingest-service.pid"), Long.toString(p.pid()));
            LocalStack stack = LocalStack.attach(root);
            stack.signal("ingest-service", "STOP");
            assertEquals("T", state(p.pid()));
            stack.signal("ingest-service", "CONT");
            assertEquals("S", state(p.pid()));
        } finally {
            p.destroyForcibly();
        }
    }

    /** The process's state letter once it has left R (the kernel applies a signal asynchronously). */
    private static String state(long pid) {
        return await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> stateNow(pid), s -> !s.equals("R"));
    }

    private static String stateNow(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    }

    /** Until the child shell has written {@code n} lines to {@code file}. */
    private static void awaitLines(Path file, int n) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(file) && Files.readAllLines(file).size() >= n);
    }
}
