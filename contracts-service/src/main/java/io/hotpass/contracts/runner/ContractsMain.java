package io.hotpass.contracts.runner;

import io.hotpass.platform.runner.RunnerProcess;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The service's entry point. Without arguments it serves HTTP until stopped; with
 * {@code --run <runId>} it validates that one queued run and exits 0 (finished with a result),
 * 1 (anything else) or 2 (bad arguments), which is how a runner Job uses the service's own image.
 */
@QuarkusMain
public class ContractsMain implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(ContractsMain.class);

    @Inject
    RunCommand command;

    @Inject
    ValidationDispatcher dispatcher;

    @Override
    public int run(String... args) {
        Optional<UUID> runId;
        try {
            runId = RunnerProcess.runArgument(args);
        } catch (IllegalArgumentException e) {
            LOG.error(e.getMessage());
            return 2;
        }
        if (runId.isPresent()) {
            dispatcher.disable(); // this process runs its one validation, never others
            return command.run(runId.get());
        }
        Quarkus.waitForExit();
        return 0;
    }
}
