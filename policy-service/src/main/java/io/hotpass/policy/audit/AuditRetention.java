package io.hotpass.policy.audit;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Daily: removes audit entries older than {@code hotpass.policy.audit.retention} behind a checkpoint. */
@ApplicationScoped
public class AuditRetention {

    private static final Logger LOG = Logger.getLogger(AuditRetention.class);

    @Inject
    AuditLog log;

    @ConfigProperty(name = "hotpass.policy.audit.retention", defaultValue = "P400D")
    Duration retention;

    @Scheduled(cron = "${hotpass.policy.audit.retention-cron:0 30 3 * * ?}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minus(retention);
        for (String tenant : log.tenantsWithEntries()) {
            int removed = log.applyRetention(tenant, before);
            if (removed > 0) {
                LOG.infof("Audit retention removed %d entries of tenant %s older than %s", removed, tenant, before);
            }
        }
    }
}
