package io.hotpass.chaos.targets;

import io.hotpass.chaos.drill.Journal;
import io.hotpass.chaos.scenario.Scenario;
import java.time.Duration;
import java.util.Optional;

/** Where a drill injects its fault: the local stack's processes, or a Kubernetes namespace. */
public interface Target extends AutoCloseable {

    String name();

    /** The public entry point every workload and most probes go through. */
    String gatewayUrl();

    /** A service's own base URL, for direct health probes and /q/metrics; empty when not reachable from here. */
    Optional<String> serviceUrl(String service);

    /** The bootstrap platform administrator's API key, to onboard the drill's tenants. */
    String adminKey();

    /** The services' databases, read only, for the zero-loss check; empty when not reachable from here. */
    Optional<Databases> databases();

    /**
     * Undoes what an earlier drill left behind when it was killed halfway (a paused process, a
     * stopped database, a deny-all policy, a scaled-down deployment). Idempotent; runs before and
     * after every drill.
     */
    void sweep(Journal journal) throws Exception;

    /** Injects the fault; the answer undoes it. Flood faults are not the target's business (the runner floods the gateway). */
    Injected inject(Scenario.Fault fault, Journal journal) throws Exception;

    /**
     * The realm's Keycloak the target runs beside the services (policy-service onboards tenants
     * into it, the gateway trusts its tokens); empty when the drill has none.
     */
    default Optional<Keycloak> keycloak() {
        return Optional.empty();
    }

    /** Waits until every service answers ready again. */
    boolean awaitReady(Duration timeout);

    @Override
    default void close() throws Exception {
    }

    /** A fault in place. {@link #rollback()} is idempotent. */
    interface Injected {
        void rollback() throws Exception;
    }
}
