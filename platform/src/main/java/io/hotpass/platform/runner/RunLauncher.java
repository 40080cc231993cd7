package io.hotpass.platform.runner;

import java.time.Duration;
import java.util.UUID;

/**
 * Where claimed runs execute: {@code in-process} ({@link InProcessPool}, a thread pool in the
 * service) or {@code kubernetes} ({@link KubernetesJobLauncher}, one batch/v1 Job per attempt
 * running the service's image with {@code --run <runId>}). The dispatcher asks for free slots,
 * claims that many runs and launches them; {@link #reconcile} lets a launcher bring the queue in
 * line with what it sees (Jobs that failed or vanished).
 */
public interface RunLauncher<R extends RunAttempt> {

    /** The value of the service's {@code runners.launcher} setting that selects this launcher. */
    String name();

    /** How many more runs may start now (0 when the configured concurrency is reached). */
    int freeSlots();

    /** The name of the Kubernetes Job an attempt will run in, or null when it runs in this process. */
    String runnerJob(UUID runId, int attempt);

    /** How long a freshly claimed run's lease lasts before its runner first renews it. */
    Duration initialLease();

    /** Starts a run claimed for this launcher. Failures to start are recorded on the run. */
    void launch(R run);

    /** Reconciles the queue with the launcher's own state; called before every dispatch. */
    default void reconcile() {
    }
}
