package io.hotpass.contracts.contract;

import io.hotpass.contracts.client.IngestClient;
import io.hotpass.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** A contract must name a dataset that exists in the caller's tenant (asked of ingest-service). */
@ApplicationScoped
public class DatasetCheck {

    @Inject
    IngestClient ingest;

    @Inject
    JsonWebToken jwt;

    @ConfigProperty(name = "hotpass.contracts.registry.require-dataset", defaultValue = "true")
    boolean required;

    public void requireDataset(String name) {
        if (!required) {
            return;
        }
        boolean exists = ingest.datasets(jwt.getRawToken()).stream().anyMatch(d -> d.name().equals(name));
        if (!exists) {
            throw new ProblemException(422, "unknown_dataset", "Unknown dataset",
                    "dataset: no dataset named '" + name + "' in this tenant")
                    .with("errors", List.of(Map.of("field", "dataset", "reason", "no dataset with this name")));
        }
    }
}
