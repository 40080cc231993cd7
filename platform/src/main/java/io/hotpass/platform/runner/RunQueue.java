package io.hotpass.platform.runner;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the generic runner mechanism needs from a service's durable run queue (the SPI each owning
 * service implements over its own table: enrichment's {@code plan_run}, contracts'
 * {@code validation_run_queue}). Implementations claim with {@code FOR UPDATE SKIP LOCKED} in the
 * tenant's session, count attempts as the fence of every write, and never store credentials.
 */
public interface RunQueue<R extends RunAttempt> {

    /** A run a {@code SECURITY DEFINER} listing named across tenants: to be claimed in its tenant's session. */
    record Candidate(UUID runId, String tenant) {
    }

    /** A run in state running, as the queue lists it across tenants. */
    record Active(UUID runId, String tenant, int attempt, String runnerJob, OffsetDateTime claimedAt,
            OffsetDateTime leaseExpiresAt) {
    }

    /** Queued runs and runs whose lease expired, oldest first, at most {@code max}. */
    List<Candidate> claimable(int max);

    /**
     * Claims the candidate for a new attempt run by {@code launcher} (null when someone else holds
     * it, it finished, or its attempts are spent, in which case the queue fails it).
     */
    R claim(Candidate candidate, String owner, RunLauncher<R> launcher);

    /** The tenant of a queued run (for {@code --run <runId>}, which is given the run only); empty when there is none. */
    Optional<String> tenantOf(UUID runId);

    /**
     * A runner Job takes over the attempt the dispatcher claimed for it: the run must still be
     * running under that Job's name (a Job of an older attempt gets null and does nothing).
     */
    R takeOver(UUID runId, String tenant, String job, String owner);

    /** Runs in state running across tenants. */
    List<Active> active();

    /** Fails the run of this attempt with {@code code} (when that attempt still holds it). */
    void fail(UUID runId, String tenant, int attempt, String code, String detail);

    /** The runner of this attempt is gone: queue the run again while attempts remain, else fail it with {@code code}. */
    void requeueOrFail(UUID runId, String tenant, int attempt, String code, String detail);
}
