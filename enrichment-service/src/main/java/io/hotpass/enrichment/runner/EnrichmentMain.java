package io.hotpass.enrichment.runner;

import io.hotpass.platform.runner.RunCommandBean;
import io.hotpass.platform.runner.RunDispatcherBean;
import io.hotpass.platform.runner.RunnerMain;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

/**
 * The service's entry point (the platform's {@link RunnerMain}). Without arguments it serves HTTP
 * until stopped; with {@code --run <planId>} it computes that one plan and exits 0 (ready), 1
 * (anything else) or 2 (bad arguments), which is how a runner Job uses the service's own image.
 */
@QuarkusMain
public class EnrichmentMain extends RunnerMain {

    @Inject
    RunCommand command;

    @Inject
    RunDispatcher dispatcher;

    @Override
    protected RunCommandBean<?> command() {
        return command;
    }

    @Override
    protected RunDispatcherBean<?> dispatcher() {
        return dispatcher;
    }
}
