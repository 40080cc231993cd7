package io.hotpass.contracts.runner;

import io.hotpass.platform.runner.RunCommandBean;
import io.hotpass.platform.runner.RunDispatcherBean;
import io.hotpass.platform.runner.RunnerMain;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

/**
 * The service's entry point (the platform's {@link RunnerMain}). Without arguments it serves HTTP
 * until stopped; with {@code --run <runId>} it validates that one queued run and exits 0 (finished
 * with a result), 1 (anything else) or 2 (bad arguments), which is how a runner Job uses the
 * service's own image.
 */
@QuarkusMain
public class ContractsMain extends RunnerMain {

    @Inject
    RunCommand command;

    @Inject
    ValidationDispatcher dispatcher;

    @Override
    protected RunCommandBean<?> command() {
        return command;
    }

    @Override
    protected RunDispatcherBean<?> dispatcher() {
        return dispatcher;
    }
}
