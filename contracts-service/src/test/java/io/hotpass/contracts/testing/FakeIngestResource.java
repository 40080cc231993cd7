package io.hotpass.contracts.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts one {@link FakeIngest} for the test run and points {@code hotpass.gateway.url} at it. */
public class FakeIngestResource implements QuarkusTestResourceLifecycleManager {

    public static final FakeIngest INGEST = new FakeIngest();

    @Override
    public Map<String, String> start() {
        return Map.of("hotpass.gateway.url", INGEST.start());
    }

    @Override
    public void stop() {
        INGEST.stop();
    }
}
