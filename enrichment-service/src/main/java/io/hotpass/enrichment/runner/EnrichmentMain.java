package io.hotpass.enrichment.runner;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import io.hotpass.platform.runner.RunnerProcess;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The service's entry point. Without arguments it serves HTTP until stopped; with
 * {@code --run <planId>} it computes that one plan and exits 0 (ready) or 1 (anything else), which
 * is how a runner Job uses the service's own image.
 */
@QuarkusMain
public class EnrichmentMain implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(EnrichmentMain.class);

    @Inject
    RunCommand command;

    @Inject
    RunDispatcher dispatcher;

    @Override
    public int run(String... args) {
        Optional<UUID> planId;
        try {
            planId = RunnerProcess.runArgument(args);
        } catch (IllegalArgumentException e) {
            LOG.error(e.getMessage());
            return 2;
        }
        if (planId.isPresent()) {
            dispatcher.disable(); // this process runs its one plan, never others
            return command.run(planId.get());
        }
        Quarkus.waitForExit();
        return 0;
    }
}
