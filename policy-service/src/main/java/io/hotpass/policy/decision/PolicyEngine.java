package io.hotpass.policy.decision;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The decision point: holds the policy version in force and answers decisions against it.
 *
 * <p>Until a version has loaded, and whenever the only version there is fails validation, every
 * decision is a deny with {@code policy_invalid} (fail closed). A newer version that fails
 * validation is rejected and the version in force stays; it is not retried until the version
 * number changes again. Every replica polls the version number each second and reloads when it
 * changes, so a published change reaches all replicas within about a second.
 */
@ApplicationScoped
public class PolicyEngine {

    private static final Logger LOG = Logger.getLogger(PolicyEngine.class);

    @Inject
    PolicyRepository repository;

    private final AtomicReference<PolicySnapshot> current = new AtomicReference<>(PolicySnapshot.invalid(0));
    private volatile long rejectedVersion = -1;

    /** After platform's DatabaseBootstrap (priority 10) has migrated the database. */
    void onStart(@Observes @Priority(20) StartupEvent event) {
        reload();
    }

    @Scheduled(identity = "policy-version-poll", every = "${hotpass.policy.decision.reload-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        long stored;
        try {
            stored = repository.currentVersion();
        } catch (SQLException e) {
            LOG.debugf("Policy version poll failed; keeping version %d: %s", current.get().version(), e.getMessage());
            return;
        }
        PolicySnapshot snapshot = current.get();
        if ((snapshot.valid() && snapshot.version() == stored) || stored == rejectedVersion) {
            return;
        }
        reload();
    }

    /** Loads the stored version; swaps it in if valid. Returns the snapshot in force afterwards. */
    public synchronized PolicySnapshot reload() {
        PolicyRepository.StoredPolicy stored;
        try {
            stored = repository.load();
        } catch (SQLException e) {
            LOG.warnf("Policy could not be read; keeping version %d: %s", current.get().version(), e.getMessage());
            return current.get();
        }
        try {
            PolicySnapshot next = PolicyLoader.load(stored.version(), stored.rules(), stored.suspendedTenants());
            PolicySnapshot previous = current.getAndSet(next);
            rejectedVersion = -1;
            LOG.infof("Policy version %d in force (%d rules; was %d)", next.version(), stored.rules().size(),
                    previous.version());
            return next;
        } catch (InvalidPolicyException e) {
            rejectedVersion = stored.version();
            PolicySnapshot snapshot = current.get();
            if (snapshot.valid()) {
                LOG.errorf("Policy version %d rejected, version %d stays in force: %s", stored.version(),
                        snapshot.version(), e.getMessage());
                return snapshot;
            }
            LOG.errorf("Policy version %d rejected and no valid version is loaded: every decision is denied"
                    + " (policy_invalid): %s", stored.version(), e.getMessage());
            PolicySnapshot invalid = PolicySnapshot.invalid(stored.version());
            current.set(invalid);
            return invalid;
        }
    }

    public PolicySnapshot snapshot() {
        return current.get();
    }

    public Decision decide(DecisionRequest request) {
        return current.get().decide(request);
    }

    /** Every request of a batch is answered under the same version. */
    public List<Decision> decideAll(List<DecisionRequest> requests) {
        PolicySnapshot snapshot = current.get();
        List<Decision> decisions = new ArrayList<>(requests.size());
        for (DecisionRequest r : requests) {
            decisions.add(snapshot.decide(r));
        }
        return decisions;
    }
}
