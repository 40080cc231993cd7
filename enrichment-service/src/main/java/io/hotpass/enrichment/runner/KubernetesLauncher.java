package io.hotpass.enrichment.runner;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpass.platform.runner.KubernetesLauncherBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Runs each claimed attempt as a batch/v1 Job of this image with {@code --run <planId>} (the
 * platform's {@link KubernetesLauncherBean}, configured from {@code hotpass.enrichment.runners.*}):
 * a failed Job fails its plan ({@code runner_failed}), a Job that vanished while its attempt was
 * running re-queues the plan while attempts remain ({@code runner_lost} when they are spent), and
 * finished Jobs are deleted.
 */
@ApplicationScoped
public class KubernetesLauncher extends KubernetesLauncherBean<ClaimedRun> {

    public static final String PLAN_LABEL = "hotpass.io/plan-id";

    @Inject
    Instance<KubernetesClient> client;

    @Inject
    RunQueue queue;

    public KubernetesLauncher() {
        super("hotpass.enrichment.runners.", new Naming("enrichment-service", "plan-runner", PLAN_LABEL, "plan",
                "Create the plan again.", "enrichment-run"), new Resources("250m", "512Mi", "1", "1Gi"));
    }

    @Override
    protected KubernetesClient client() {
        return client.get();
    }

    @Override
    protected RunQueue queue() {
        return queue;
    }
}
