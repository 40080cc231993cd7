package io.hotpass.platform.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts one {@link RecordingReceiver} for a test run and points the named outbox destination
 * ({@code destination} init arg, default {@code lineage}) at it.
 */
public class RecordingReceiverResource implements QuarkusTestResourceLifecycleManager {

    public static final RecordingReceiver RECEIVER = new RecordingReceiver();
    private String destination = "lineage";

    @Override
    public void init(Map<String, String> initArgs) {
        destination = initArgs.getOrDefault("destination", destination);
    }

    @Override
    public Map<String, String> start() {
        RECEIVER.start();
        return Map.of("hotpass.outbox.destinations." + destination + ".url", RECEIVER.url("/events"),
                "hotpass.outbox.initial-backoff", "PT0.2S",
                "hotpass.outbox.max-backoff", "PT1S");
    }

    @Override
    public void stop() {
        RECEIVER.stop();
    }
}
