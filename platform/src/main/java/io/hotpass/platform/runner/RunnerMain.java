package io.hotpass.platform.runner;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The entry point of a service with runners. Without arguments it serves HTTP until stopped; with
 * {@code --run <runId>} it turns its dispatcher off, runs that one queued run and exits with the
 * command's code: 0 (the run ended well), 1 (anything else) or 2 (bad arguments), which is how a
 * runner Job uses the service's own image. A service's {@code @QuarkusMain} subclass hands over its
 * command and dispatcher; it logs under its own name.
 */
public abstract class RunnerMain implements QuarkusApplication {

    private final Logger log = Logger.getLogger(getClass());

    /** The service's {@code --run} command. */
    protected abstract RunCommandBean<?> command();

    /** The service's dispatcher, off in a {@code --run} process: it runs its one run, never others. */
    protected abstract RunDispatcherBean<?> dispatcher();

    @Override
    public int run(String... args) {
        Optional<UUID> runId;
        try {
            runId = RunnerProcess.runArgument(args);
        } catch (IllegalArgumentException e) {
            log.error(e.getMessage());
            return 2;
        }
        if (runId.isPresent()) {
            dispatcher().disable();
            return command().run(runId.get());
        }
        Quarkus.waitForExit();
        return 0;
    }
}
