package io.hotpass.ingest.runner;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;

import io.hotpass.platform.runner.KubernetesJobLauncher;
import io.hotpass.platform.runner.KubernetesJobSettings;
import io.hotpass.platform.runner.RunLauncher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs each claimed upload attempt as a batch/v1 Job of this image with {@code --run <runId>}
 * (the platform's {@link KubernetesJobLauncher}, configured from {@code hotpass.ingest.runners.*}):
 * a failed Job fails its run ({@code runner_failed}), a vanished Job re-queues it
 * ({@code runner_lost} when attempts are spent), finished Jobs are deleted.
 */
@ApplicationScoped
public class KubernetesLauncher implements RunLauncher<ClaimedUpload> {

    public static final String RUN_LABEL = "hotpass.io/upload-run-id";
    static final String PREFIX = "hotpass.ingest.runners.";

    @Inject
    Instance<KubernetesClient> client;

    @Inject
    UploadQueue queue;

    @ConfigProperty(name = PREFIX + "max-concurrent", defaultValue = "2")
    int maxConcurrent;
    @ConfigProperty(name = PREFIX + "kubernetes.namespace")
    Optional<String> namespace;
    @ConfigProperty(name = PREFIX + "kubernetes.image")
    Optional<String> image;
    @ConfigProperty(name = PREFIX + "kubernetes.service-account")
    Optional<String> serviceAccount;
    @ConfigProperty(name = PREFIX + "kubernetes.instance")
    Optional<String> instance;
    /** The service's own pod, whose container environment (ConfigMap, Secret references) the runner copies. */
    @ConfigProperty(name = PREFIX + "kubernetes.pod-name")
    Optional<String> podName;
    @ConfigProperty(name = PREFIX + "kubernetes.env-from-config-map")
    Optional<String> envFromConfigMap;
    @ConfigProperty(name = PREFIX + "kubernetes.name-label", defaultValue = "ingest-service-runner")
    String nameLabel;
    @ConfigProperty(name = PREFIX + "kubernetes.name-prefix", defaultValue = "upload-run")
    String namePrefix;
    @ConfigProperty(name = PREFIX + "kubernetes.ttl-seconds-after-finished", defaultValue = "3600")
    int ttlSecondsAfterFinished;
    @ConfigProperty(name = PREFIX + "kubernetes.active-deadline-seconds", defaultValue = "21600")
    long activeDeadlineSeconds;
    @ConfigProperty(name = PREFIX + "kubernetes.start-timeout", defaultValue = "PT10M")
    Duration startTimeout;
    @ConfigProperty(name = PREFIX + "kubernetes.lost-grace", defaultValue = "PT1M")
    Duration lostGrace;
    @ConfigProperty(name = PREFIX + "kubernetes.resources.requests.cpu", defaultValue = "200m")
    String requestsCpu;
    @ConfigProperty(name = PREFIX + "kubernetes.resources.requests.memory", defaultValue = "384Mi")
    String requestsMemory;
    @ConfigProperty(name = PREFIX + "kubernetes.resources.limits.cpu", defaultValue = "1")
    String limitsCpu;
    @ConfigProperty(name = PREFIX + "kubernetes.resources.limits.memory", defaultValue = "768Mi")
    String limitsMemory;
    @ConfigProperty(name = PREFIX + "kubernetes.run-as-user", defaultValue = "185")
    long runAsUser;
    @ConfigProperty(name = PREFIX + "kubernetes.run-as-group", defaultValue = "185")
    long runAsGroup;
    @ConfigProperty(name = PREFIX + "kubernetes.tmp-size-limit", defaultValue = "256Mi")
    String tmpSizeLimit;

    private volatile KubernetesJobLauncher<ClaimedUpload> jobs;

    /** The platform launcher, built on first use (a service on the in-process launcher never builds it). */
    KubernetesJobLauncher<ClaimedUpload> jobs() {
        if (jobs == null) {
            synchronized (this) {
                if (jobs == null) {
                    jobs = new KubernetesJobLauncher<>(client::get, queue, new KubernetesJobSettings("ingest-service",
                            "upload-runner", RUN_LABEL, "upload run", "Upload the file again.",
                            "HOTPASS_INGEST_RUNNERS_", maxConcurrent, namespace, image, serviceAccount, instance,
                            podName, envFromConfigMap, nameLabel, namePrefix, ttlSecondsAfterFinished,
                            activeDeadlineSeconds, startTimeout, lostGrace, requestsCpu, requestsMemory, limitsCpu,
                            limitsMemory, runAsUser, runAsGroup, tmpSizeLimit));
                }
            }
        }
        return jobs;
    }

    @Override
    public String name() {
        return KubernetesJobLauncher.NAME;
    }

    @Override
    public int freeSlots() {
        return jobs().freeSlots();
    }

    @Override
    public String runnerJob(UUID runId, int attempt) {
        return jobs().runnerJob(runId, attempt);
    }

    @Override
    public Duration initialLease() {
        return jobs().initialLease();
    }

    @Override
    public void launch(ClaimedUpload run) {
        jobs().launch(run);
    }

    @Override
    public void reconcile() {
        jobs().reconcile();
    }

    /** The Job an attempt runs in (its shape, for tests and operators' dry runs). */
    public Job job(ClaimedUpload run) {
        return jobs().job(run);
    }
}
