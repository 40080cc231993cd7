package io.hotpass.contracts.runner;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpass.contracts.validation.ClaimedValidation;
import io.hotpass.contracts.validation.ValidationQueue;
import io.hotpass.platform.runner.KubernetesLauncherBean;
import io.hotpass.platform.runner.RunQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Runs each claimed validation attempt as a batch/v1 Job of this image with {@code --run <runId>}
 * (the platform's {@link KubernetesLauncherBean}, configured from {@code hotpass.contracts.runners.*}):
 * a failed Job ends its run in error ({@code runner_failed}), a vanished Job re-queues it
 * ({@code runner_lost} when attempts are spent), finished Jobs are deleted.
 */
@ApplicationScoped
public class KubernetesLauncher extends KubernetesLauncherBean<ClaimedValidation> {

    public static final String RUN_LABEL = "hotpass.io/validation-run-id";

    @Inject
    Instance<KubernetesClient> client;

    @Inject
    ValidationQueue queue;

    public KubernetesLauncher() {
        super("hotpass.contracts.runners.", new Naming("contracts-service", "validation-runner", RUN_LABEL,
                "validation run", "Validate the version again.", "validation-run"),
                new Resources("200m", "384Mi", "1", "768Mi"));
    }

    @Override
    protected KubernetesClient client() {
        return client.get();
    }

    @Override
    protected RunQueue<ClaimedValidation> queue() {
        return queue;
    }
}
