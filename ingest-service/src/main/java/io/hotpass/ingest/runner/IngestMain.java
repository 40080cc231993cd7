package io.hotpass.ingest.runner;

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
 * {@code --run <runId>} it parses that one queued upload into its version and exits 0 (stored),
 * 1 (anything else) or 2 (bad arguments), which is how a runner Job uses the service's own image.
 */
@QuarkusMain
public class IngestMain implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(IngestMain.class);

    @Inject
    RunCommand command;

    @Inject
    UploadDispatcher dispatcher;

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
            dispatcher.disable(); // this process runs its one upload, never others
            return command.run(runId.get());
        }
        Quarkus.waitForExit();
        return 0;
    }
}
