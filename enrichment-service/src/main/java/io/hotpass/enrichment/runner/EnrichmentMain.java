package io.hotpass.enrichment.runner;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
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
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--run")) {
                if (i + 1 >= args.length) {
                    LOG.error("--run needs a plan id");
                    return 2;
                }
                UUID planId;
                try {
                    planId = UUID.fromString(args[i + 1]);
                } catch (IllegalArgumentException e) {
                    LOG.errorf("--run: '%s' is not a plan id", args[i + 1]);
                    return 2;
                }
                dispatcher.disable(); // this process runs its one plan, never others
                return command.run(planId);
            }
        }
        Quarkus.waitForExit();
        return 0;
    }
}
