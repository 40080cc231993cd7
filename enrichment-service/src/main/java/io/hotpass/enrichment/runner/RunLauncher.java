package io.hotpass.enrichment.runner;

/**
 * Where claimed runs execute: {@code in-process} (a thread pool in this service) or
 * {@code kubernetes} (one batch/v1 Job per attempt running this image with {@code --run <planId>}).
 * The dispatcher asks for free slots, claims that many runs and launches them; {@link #reconcile}
 * lets a launcher bring the queue in line with what it sees (Jobs that failed or vanished).
 */
public interface RunLauncher {

    /** The value of {@code hotpass.enrichment.runners.launcher} that selects this launcher. */
    String name();

    /** How many more runs may start now (0 when the configured concurrency is reached). */
    int freeSlots();

    /** The name of the Kubernetes Job an attempt will run in, or null when it runs in this process. */
    String runnerJob(java.util.UUID planId, int attempt);

    /** How long a freshly claimed run's lease lasts before its runner first renews it. */
    java.time.Duration initialLease();

    /** Starts a run claimed for this launcher. Failures to start are recorded on the plan. */
    void launch(ClaimedRun run);

    /** Reconciles the queue with the launcher's own state; called before every dispatch. */
    default void reconcile() {
    }
}
