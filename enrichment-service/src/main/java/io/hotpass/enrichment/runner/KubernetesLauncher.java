package io.hotpass.enrichment.runner;

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
 * Runs each claimed attempt as a batch/v1 Job of this image with {@code --run <planId>} (the
 * platform's {@link KubernetesJobLauncher}, configured from {@code hotpass.enrichment.runners.*}):
 * a failed Job fails its plan ({@code runner_failed}), a Job that vanished while its attempt was
 * running re-queues the plan while attempts remain ({@code runner_lost} when they are spent), and
 * finished Jobs are deleted.
 */
@ApplicationScoped
public class KubernetesLauncher implements RunLauncher<ClaimedRun> {

    public static final String PLAN_LABEL = "hotpass.io/plan-id";
    public static final String TENANT_ANNOTATION = KubernetesJobLauncher.TENANT_ANNOTATION;
    public static final String ATTEMPT_ANNOTATION = KubernetesJobLauncher.ATTEMPT_ANNOTATION;
    static final String PREFIX = "hotpass.enrichment.runners.";

    @Inject
    Instance<KubernetesClient> client;

    @Inject
    RunQueue queue;

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
    @ConfigProperty(name = PREFIX + "kubernetes.name-label", defaultValue = "enrichment-service-runner")
    String nameLabel;
    @ConfigProperty(name = PREFIX + "kubernetes.name-prefix", defaultValue = "enrichment-run")
    String namePrefix;
    @ConfigProperty(name = PREFIX + "kubernetes.ttl-seconds-after-finished", defaultValue = "3600")
    int ttlSecondsAfterFinished;
    @ConfigProperty(name = PREFIX + "kubernetes.active-deadline-seconds", defaultValue = "21600")
    long activeDeadlineSeconds;
    @ConfigProperty(name = PREFIX + "kubernetes.start-timeout", defaultValue = "PT10M")
    Duration startTimeout;
    @ConfigProperty(name = PREFIX + "kubernetes.lost-grace", defaultValue = "PT1M")
    Duration lostGrace;
    @ConfigProperty(name = PREFIX + "kubernetes.resources.requests.cpu", defaultValue = "250m")
    String requestsCpu;
    @ConfigProperty(name = PREFIX + "kubernetes.resources.requests.memory", defaultValue = "512Mi")
    String requestsMemory;
    @ConfigProperty(name = PREFIX + "kubernetes.resources.limits.cpu", defaultValue = "1")
    String limitsCpu;
    @ConfigProperty(name = PREFIX + "kubernetes.resources.limits.memory", defaultValue = "1Gi")
    String limitsMemory;
    @ConfigProperty(name = PREFIX + "kubernetes.run-as-user", defaultValue = "185")
    long runAsUser;
    @ConfigProperty(name = PREFIX + "kubernetes.run-as-group", defaultValue = "185")
    long runAsGroup;
    @ConfigProperty(name = PREFIX + "kubernetes.tmp-size-limit", defaultValue = "256Mi")
    String tmpSizeLimit;

    private volatile KubernetesJobLauncher<ClaimedRun> jobs;

    /** The platform launcher, built on first use (a service on the in-process launcher never builds it). */
    KubernetesJobLauncher<ClaimedRun> jobs() {
        if (jobs == null) {
            synchronized (this) {
                if (jobs == null) {
                    jobs = new KubernetesJobLauncher<>(client::get, queue, new KubernetesJobSettings("enrichment-service",
                            "plan-runner", PLAN_LABEL, "plan", "Create the plan again.", "HOTPASS_ENRICHMENT_RUNNERS_",
                            maxConcurrent, namespace, image, serviceAccount, instance, podName, envFromConfigMap,
                            nameLabel, namePrefix, ttlSecondsAfterFinished, activeDeadlineSeconds, startTimeout,
                            lostGrace, requestsCpu, requestsMemory, limitsCpu, limitsMemory, runAsUser, runAsGroup,
                            tmpSizeLimit));
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
    public String runnerJob(UUID planId, int attempt) {
        return jobs().runnerJob(planId, attempt);
    }

    @Override
    public Duration initialLease() {
        return jobs().initialLease();
    }

    @Override
    public void launch(ClaimedRun run) {
        jobs().launch(run);
    }

    @Override
    public void reconcile() {
        jobs().reconcile();
    }

    /** The Job of one attempt. */
    Job job(ClaimedRun run) {
        return jobs().job(run);
    }
}
