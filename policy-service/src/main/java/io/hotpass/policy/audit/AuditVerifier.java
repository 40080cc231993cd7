package io.hotpass.policy.audit;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Verifies every tenant's audit chain on a schedule ({@code hotpass.policy.audit.verify-every},
 * hourly by default), so that tampering is noticed without an auditor asking: each result counts in
 * {@code hotpass_policy_audit_chain_verifications_total{result}}, which the alert
 * HotpassAuditChainVerificationFailed watches, and a broken chain is logged as an error naming the
 * tenant and the first broken link (never an entry's content).
 */
@ApplicationScoped
public class AuditVerifier {

    private static final Logger LOG = Logger.getLogger(AuditVerifier.class);

    @Inject
    AuditLog log;

    @Scheduled(identity = "audit-chain-verify", every = "${hotpass.policy.audit.verify-every:1h}",
            delayed = "${hotpass.policy.audit.verify-delay:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        int broken = 0;
        int tenants = 0;
        for (String tenant : log.tenantsWithEntries()) {
            tenants++;
            ChainVerification v = log.verify(tenant);
            if (!v.valid()) {
                broken++;
                LOG.errorf("Audit chain of tenant %s is broken at entry %s: %s (preserve the database; runbook:"
                        + " docs/operations/README.md#audit-chain-verification-failed)", tenant, v.firstBrokenSeq(), v.reason());
            }
        }
        LOG.debugf("Verified the audit chains of %d tenants: %d broken", tenants, broken);
    }
}
