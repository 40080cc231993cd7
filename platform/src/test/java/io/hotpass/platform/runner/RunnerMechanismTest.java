package io.hotpass.platform.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import java.time.Duration;
import java.util.List;
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
}
