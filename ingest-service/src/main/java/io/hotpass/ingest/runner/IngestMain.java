package io.hotpass.ingest.runner;

import io.hotpass.platform.runner.RunCommandBean;
import io.hotpass.platform.runner.RunDispatcherBean;
import io.hotpass.platform.runner.RunnerMain;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

/**
 * The service's entry point (the platform's {@link RunnerMain}). Without arguments it serves HTTP
 * until stopped; with {@code --run <runId>} it parses that one queued upload into its version and
 * exits 0 (stored), 1 (anything else) or 2 (bad arguments), which is how a runner Job uses the
 * service's own image.
 */
@QuarkusMain
public class IngestMain extends RunnerMain {

    @Inject
    RunCommand command;

    @Inject
    UploadDispatcher dispatcher;

    @Override
    protected RunCommandBean<?> command() {
        return command;
    }

    @Override
    protected RunDispatcherBean<?> dispatcher() {
        return dispatcher;
    }
}
