package io.hotpass.contracts.validation;

import io.hotpass.platform.outbox.Outbox;
import io.hotpass.platform.tenancy.TenantSession;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Fails validation runs still {@code running} long after they started: their request died with the
 * process or the database went away between start and finish, so nobody will finish them. Each is
 * marked {@code error} and its OpenLineage FAIL event enqueued in the same transaction, so the
 * run is closed in lineage too and the publish gate never reads a half result. A validation is one
 * synchronous request, so {@code stale-after} only has to exceed the longest one. Queued
 * (asynchronous) runs are the run queue's: their leases expire and they are claimed again or failed
 * ({@link ValidationQueue}), so {@code stale_validation_runs} never names them.
 */
@ApplicationScoped
public class StaleRunSweeper {

    private static final Logger LOG = Logger.getLogger(StaleRunSweeper.class);
    static final String ERROR = "interrupted: the service or its database stopped while the run was in progress;"
            + " nothing of it was kept. Validate the version again.";

    @ConfigProperty(name = "hotpass.contracts.validation.stale-after", defaultValue = "PT15M")
    Duration staleAfter;

    @Inject
    EntityManager em;

    @Inject
    TenantSession tenantSession;

    @Inject
    Outbox outbox;

    @Scheduled(identity = "validation-stale-sweep", every = "${hotpass.contracts.validation.sweep-interval:60s}",
            delayed = "${hotpass.contracts.validation.sweep-interval:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            failStale(staleAfter);
        } catch (RuntimeException e) {
            LOG.debugf("Stale validation sweep skipped: %s", e.getMessage()); // the database is away; next time
        }
    }

    /** Fails every run started more than {@code stale} ago that is still running; returns how many. */
    public int failStale(Duration stale) {
        @SuppressWarnings("unchecked")
        List<Object[]> found = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select run_id, run_tenant from stale_validation_runs(cast(?1 as interval))")
                .setParameter(1, stale.toSeconds() + " seconds").getResultList());
        int n = 0;
        for (Object[] r : found) {
            UUID id = (UUID) r[0];
            String tenant = (String) r[1];
            boolean failed = QuarkusTransaction.requiringNew().call(() -> {
                tenantSession.apply(tenant);
                ValidationRun run = em.find(ValidationRun.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
                if (run == null || !"running".equals(run.status)) {
                    return false; // finished meanwhile
                }
                run.status = "error";
                run.errorCode = ValidationQueue.INTERRUPTED;
                run.error = ERROR;
                run.finishedAt = OffsetDateTime.now(ZoneOffset.UTC);
                outbox.enqueue("lineage", "RunEvent", tenant, LineageEvents.fail(run, ERROR));
                return true;
            });
            if (failed) {
                n++;
                LOG.warnf("Validation run %s (tenant %s) was interrupted and is now failed", id, tenant);
            }
        }
        return n;
    }
}
