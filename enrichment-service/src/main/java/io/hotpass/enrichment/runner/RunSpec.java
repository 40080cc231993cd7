package io.hotpass.enrichment.runner;

import io.hotpass.enrichment.plan.PlanRunner;
import java.util.List;

/**
 * What a run needs beyond the plan row, stored with the queued run ({@code plan_run.spec}): the
 * registries as they were resolved when the plan was created and whether websites are crawled.
 * Never credentials: runs use the service API key from configuration.
 */
public record RunSpec(List<PlanRunner.RegistrySource> registries, boolean website) {

    public RunSpec {
        registries = registries == null ? List.of() : List.copyOf(registries);
    }
}
