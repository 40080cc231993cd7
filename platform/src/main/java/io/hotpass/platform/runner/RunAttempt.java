package io.hotpass.platform.runner;

import java.util.UUID;

/**
 * One attempt of a queued run, as a service's queue hands it to a launcher: the run, its tenant,
 * the attempt number that fences every write the runner makes, and the Kubernetes Job the attempt
 * runs in (null in-process). Each service's claimed-run record implements it with its own facts.
 */
public interface RunAttempt {

    UUID runId();

    String tenant();

    int attempt();

    String runnerJob();
}
