package io.hotpass.platform.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The service-independent parts of the runner mechanism: the {@code --run} argument, a Job's
 * outcome and reason from its status, and the in-process pool's slots. The Job launcher and the
 * dispatcher against a queue are tested in the services that own a queue (enrichment's
 * KubernetesRunnersTest, contracts' ValidationRunnersTest) with the fabric8 mock server.
 */
class RunnerMechanismTest {

    record Attempt(UUID runId, String tenant, int attempt, String runnerJob) implements RunAttempt {
    }

    @Test
    void theRunArgumentNamesOneRun() {
        UUID id = UUID.randomUUID();
        assertEquals(Optional.of(id), RunnerProcess.runArgument("--run", id.toString()));
        assertEquals(Optional.empty(), RunnerProcess.runArgument());
        assertEquals(Optional.empty(), RunnerProcess.runArgument("--other"));
        assertThrows(IllegalArgumentException.class, () -> RunnerProcess.runArgument("--run"));
        assertThrows(IllegalArgumentException.class, () -> RunnerProcess.runArgument("--run", "plan-7"));
        assertTrue(RunnerProcess.isRunner("--run", id.toString()));
        assertTrue(!RunnerProcess.isRunner() && !RunnerProcess.isRunner((String[]) null));
    }

    @Test
    void aStopReachesOnlyAnAttemptStillRunning() throws Exception {
        RunningAttempts<String> attempts = new RunningAttempts<>();
        // Stopped while running: the thread is interrupted, and the interrupt does not outlive the attempt.
        RunningAttempts.Attempt<String> a = attempts.start(UUID.randomUUID(), "a");
        assertEquals(List.of(a), attempts.list());
        List<String> said = new java.util.ArrayList<>();
        assertTrue(attempts.stop(a, () -> said.add("stop requested")));
        assertTrue(Thread.currentThread().isInterrupted());
        assertEquals(List.of("stop requested"), said);
        assertEquals(0, attempts.size(), "a stopped attempt is no longer renewed");
        attempts.finish(a);
        assertTrue(!Thread.currentThread().isInterrupted(), "the thread goes on to its next work uninterrupted");

        // A heartbeat that listed the attempt just before it ended: the stop finds it finished and leaves
        // the thread (now doing something else) alone.
        RunningAttempts.Attempt<String> b = attempts.start(UUID.randomUUID(), "b");
        List<RunningAttempts.Attempt<String>> seenByHeartbeat = attempts.list();
        attempts.finish(b);
        assertEquals(0, attempts.size());
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread heartbeat = new Thread(() -> stopped.set(attempts.stop(seenByHeartbeat.get(0), () -> said.add("late"))));
        heartbeat.start();
        heartbeat.join();
        assertTrue(!stopped.get(), "a finished attempt is not stopped");
        assertTrue(!Thread.currentThread().isInterrupted());
        assertEquals(List.of("stop requested"), said, "nothing runs for a finished attempt");
    }

    @Test
    void aJobsOutcomeAndReasonComeFromItsStatus() {
        assertNull(KubernetesJobLauncher.outcome(null));
        assertNull(KubernetesJobLauncher.outcome(new JobStatusBuilder().withActive(1).build()), "still running");
        JobStatus deadline = new JobStatusBuilder().withFailed(1).withConditions(new JobConditionBuilder().withType("Failed")
                .withStatus("True").withReason("DeadlineExceeded").withMessage("Job was active longer than specified")
                .build()).build();
        assertEquals("failed", KubernetesJobLauncher.outcome(deadline));
        assertEquals("DeadlineExceeded: Job was active longer than specified", KubernetesJobLauncher.reason(deadline));
        JobStatus target = new JobStatusBuilder().withConditions(new JobConditionBuilder().withType("FailureTarget")
                .withStatus("True").build()).build();
        assertEquals("failed", KubernetesJobLauncher.outcome(target), "failing already counts (pods still terminating)");
        assertEquals("succeeded", KubernetesJobLauncher.outcome(new JobStatusBuilder().withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build()).build()));
        assertEquals("succeeded", KubernetesJobLauncher.outcome(new JobStatusBuilder().withSucceeded(1).build()));
        assertEquals("failed", KubernetesJobLauncher.outcome(new JobStatusBuilder().withFailed(1).build()));
        assertEquals("exit code not 0", KubernetesJobLauncher.reason(new JobStatusBuilder().withFailed(1).build()));
        assertNull(KubernetesJobLauncher.outcome(new JobStatusBuilder().withConditions(new JobConditionBuilder()
                .withType("Failed").withStatus("False").build()).build()), "a condition that is not true says nothing");
    }

    @Test
    void theInProcessPoolRunsAtMostItsConcurrencyAndFreesSlotsWhenRunsEnd() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        List<UUID> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        InProcessPool<Attempt> pool = new InProcessPool<>("test-runner", 2, Duration.ofSeconds(60), run -> {
            ran.add(run.runId());
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (run.attempt() == 2) {
                throw new IllegalStateException("a run that ends abnormally still frees its slot");
            }
        });
        assertEquals("in-process", pool.name());
        assertNull(pool.runnerJob(UUID.randomUUID(), 1));
        assertEquals(Duration.ofSeconds(60), pool.initialLease());
        assertEquals(2, pool.freeSlots());
        pool.launch(new Attempt(UUID.randomUUID(), "t", 1, null));
        pool.launch(new Attempt(UUID.randomUUID(), "t", 2, null));
        assertEquals(0, pool.freeSlots(), "both slots taken while the runs execute");
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertEquals(2, ran.size());
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.freeSlots() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(2, pool.freeSlots());
        pool.shutdown(Duration.ofSeconds(5));
        assertThrows(RuntimeException.class, () -> pool.launch(new Attempt(UUID.randomUUID(), "t", 1, null)),
                "a stopped pool takes no more runs");
        assertEquals(2, pool.freeSlots(), "a refused launch holds no slot");
    }

    @Test
    void aServicesJobSettingsComeFromItsOwnKeysWithItsDefaults() {
        KubernetesLauncherBean.Naming naming = new KubernetesLauncherBean.Naming("x-service", "x-runner", "hotpass.io/x-id",
                "x run", "Run it again.", "x-run");
        KubernetesLauncherBean.Resources resources = new KubernetesLauncherBean.Resources("100m", "128Mi", "1", "256Mi");
        KubernetesJobSettings defaults = KubernetesLauncherBean.settings(config(Map.of()), "hotpass.x.runners.", naming,
                resources);
        assertEquals(new KubernetesJobSettings("x-service", "x-runner", "hotpass.io/x-id", "x run", "Run it again.",
                "HOTPASS_X_RUNNERS_", 2, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), "x-service-runner", "x-run", 3600, 21600L, Duration.ofMinutes(10),
                Duration.ofMinutes(1), "100m", "128Mi", "1", "256Mi", 185L, 185L, "256Mi"), defaults);

        Map<String, String> m = new HashMap<>();
        String k = "hotpass.x.runners.kubernetes.";
        m.put("hotpass.x.runners.max-concurrent", "4");
        m.put(k + "namespace", "");
        m.put(k + "image", "ghcr.io/hotpass/x:1");
        m.put(k + "service-account", "x-runner");
        m.put(k + "instance", "hotpass");
        m.put(k + "pod-name", "x-6d9f7-x2x4q");
        m.put(k + "env-from-config-map", "hotpass-x");
        m.put(k + "name-label", "x-label");
        m.put(k + "name-prefix", "xr");
        m.put(k + "ttl-seconds-after-finished", "60");
        m.put(k + "active-deadline-seconds", "7200");
        m.put(k + "start-timeout", "PT2M");
        m.put(k + "lost-grace", "PT0S");
        m.put(k + "resources.requests.cpu", "500m");
        m.put(k + "resources.requests.memory", "1Gi");
        m.put(k + "resources.limits.cpu", "2");
        m.put(k + "resources.limits.memory", "3Gi");
        m.put(k + "run-as-user", "1000");
        m.put(k + "run-as-group", "2000");
        m.put(k + "tmp-size-limit", "2Gi");
        m.put("hotpass.y.runners.max-concurrent", "9");
        assertEquals(new KubernetesJobSettings("x-service", "x-runner", "hotpass.io/x-id", "x run", "Run it again.",
                "HOTPASS_X_RUNNERS_", 4, Optional.empty(), Optional.of("ghcr.io/hotpass/x:1"), Optional.of("x-runner"),
                Optional.of("hotpass"), Optional.of("x-6d9f7-x2x4q"), Optional.of("hotpass-x"), "x-label", "xr", 60, 7200L,
                Duration.ofMinutes(2), Duration.ZERO, "500m", "1Gi", "2", "3Gi", 1000L, 2000L, "2Gi"),
                KubernetesLauncherBean.settings(config(m), "hotpass.x.runners.", naming, resources));

        m.put(k + "run-as-user", "root");
        assertThrows(IllegalArgumentException.class,
                () -> KubernetesLauncherBean.settings(config(m), "hotpass.x.runners.", naming, resources));
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 100)).build();
    }
}
