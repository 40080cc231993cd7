package io.hotpass.ingest.runner;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpass.platform.runner.KubernetesLauncherBean;
import io.hotpass.platform.runner.RunQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Runs each claimed upload attempt as a batch/v1 Job of this image with {@code --run <runId>}
 * (the platform's {@link KubernetesLauncherBean}, configured from {@code hotpass.ingest.runners.*}):
 * a failed Job fails its run ({@code runner_failed}), a vanished Job re-queues it
 * ({@code runner_lost} when attempts are spent), finished Jobs are deleted.
 */
@ApplicationScoped
public class KubernetesLauncher extends KubernetesLauncherBean<ClaimedUpload> {

    public static final String RUN_LABEL = "hotpass.io/upload-run-id";

    @Inject
    Instance<KubernetesClient> client;

    @Inject
    UploadQueue queue;

    public KubernetesLauncher() {
        super("hotpass.ingest.runners.", new Naming("ingest-service", "upload-runner", RUN_LABEL, "upload run",
                "Upload the file again.", "upload-run"), new Resources("200m", "384Mi", "1", "768Mi"));
    }

    @Override
    protected KubernetesClient client() {
        return client.get();
    }

    @Override
    protected RunQueue<ClaimedUpload> queue() {
        return queue;
    }
}
