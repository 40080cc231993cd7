package io.hotpass.enrichment.runner;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs each claimed attempt as a batch/v1 Job running this service's image with
 * {@code --run <planId>}. The runner writes progress to the plan rows itself (shared database);
 * this launcher only creates Jobs, watches their status on every dispatch and cleans them up:
 * a failed Job fails its plan ({@code runner_failed}), a Job that vanished while its attempt was
 * running re-queues the plan while attempts remain ({@code runner_lost} when they are spent), and
 * finished Jobs are deleted. Concurrency is counted from the queue (runs in state running), so it
 * holds across replicas.
 */
@ApplicationScoped
public class KubernetesLauncher implements RunLauncher {

    private static final Logger LOG = Logger.getLogger(KubernetesLauncher.class);
    public static final String PLAN_LABEL = "hotpass.io/plan-id";
    public static final String TENANT_ANNOTATION = "hotpass.io/tenant";
    public static final String ATTEMPT_ANNOTATION = "hotpass.io/attempt";
    static final Map<String, String> SELECTOR = Map.of("app.kubernetes.io/managed-by", "enrichment-service",
            "app.kubernetes.io/component", "plan-runner");

    @Inject
    Instance<KubernetesClient> client;

    @Inject
    RunQueue queue;

    @ConfigProperty(name = "hotpass.enrichment.runners.max-concurrent", defaultValue = "2")
    int maxConcurrent;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.namespace")
    Optional<String> namespace;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.image")
    Optional<String> image;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.service-account")
    Optional<String> serviceAccount;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.instance")
    Optional<String> instance;

    /** The service's own pod, whose container environment (ConfigMap, Secret references) the runner copies. */
    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.pod-name")
    Optional<String> podName;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.env-from-config-map")
    Optional<String> envFromConfigMap;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.name-label", defaultValue = "enrichment-service-runner")
    String nameLabel;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.name-prefix", defaultValue = "enrichment-run")
    String namePrefix;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.ttl-seconds-after-finished", defaultValue = "3600")
    int ttlSecondsAfterFinished;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.active-deadline-seconds", defaultValue = "21600")
    long activeDeadlineSeconds;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.start-timeout", defaultValue = "PT10M")
    Duration startTimeout;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.lost-grace", defaultValue = "PT1M")
    Duration lostGrace;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.resources.requests.cpu", defaultValue = "250m")
    String requestsCpu;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.resources.requests.memory", defaultValue = "512Mi")
    String requestsMemory;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.resources.limits.cpu", defaultValue = "1")
    String limitsCpu;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.resources.limits.memory", defaultValue = "1Gi")
    String limitsMemory;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.run-as-user", defaultValue = "185")
    long runAsUser;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.run-as-group", defaultValue = "185")
    long runAsGroup;

    @ConfigProperty(name = "hotpass.enrichment.runners.kubernetes.tmp-size-limit", defaultValue = "256Mi")
    String tmpSizeLimit;

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public int freeSlots() {
        return Math.max(0, maxConcurrent - queue.active().size());
    }

    @Override
    public String runnerJob(UUID planId, int attempt) {
        return namePrefix + "-" + planId + "-" + attempt;
    }

    @Override
    public Duration initialLease() {
        return startTimeout; // the pod may wait for a node and an image pull before its first renewal
    }

    private String ns() {
        return namespace.filter(n -> !n.isBlank()).orElseGet(() -> client.get().getNamespace());
    }

    @Override
    public void launch(ClaimedRun run) {
        try {
            Job job = job(run);
            // A Job left by an earlier attempt of this plan must not run beside the new one.
            client.get().batch().v1().jobs().inNamespace(ns()).withLabel(PLAN_LABEL, run.planId().toString()).list()
                    .getItems().forEach(old -> delete(old.getMetadata().getName()));
            client.get().batch().v1().jobs().inNamespace(ns()).resource(job).create();
            LOG.infof("plan %s: attempt %d runs as Job %s", run.planId(), run.attempt(), job.getMetadata().getName());
        } catch (KubernetesClientException | IllegalStateException e) {
            LOG.errorf("plan %s: could not create runner Job %s: %s", run.planId(), run.runnerJob(), e.getMessage());
            queue.requeueOrFail(run.planId(), run.tenant(), run.attempt(), "runner_not_started",
                    "the runner Job could not be created: " + e.getMessage());
        }
    }

    /** The Job of one attempt. */
    Job job(ClaimedRun run) {
        String name = run.runnerJob();
        Map<String, String> labels = new LinkedHashMap<>();
        // Not the service's own name label: the service's Service, PDB and autoscaler must not count runner pods.
        labels.put("app.kubernetes.io/name", nameLabel);
        labels.put("app.kubernetes.io/part-of", "hotpass");
        instance.filter(i -> !i.isBlank()).ifPresent(i -> labels.put("app.kubernetes.io/instance", i));
        labels.putAll(SELECTOR);
        labels.put(PLAN_LABEL, run.planId().toString());
        Map<String, String> annotations = Map.of(TENANT_ANNOTATION, run.tenant(), ATTEMPT_ANNOTATION,
                Integer.toString(run.attempt()));
        List<EnvVar> env = new ArrayList<>();
        List<EnvFromSource> envFrom = new ArrayList<>();
        ownContainer().ifPresent(c -> {
            if (c.getEnv() != null) {
                c.getEnv().stream().filter(e -> !e.getName().startsWith("HOTPASS_ENRICHMENT_RUNNERS_")).forEach(env::add);
            }
            if (c.getEnvFrom() != null) {
                envFrom.addAll(c.getEnvFrom());
            }
        });
        envFromConfigMap.filter(n -> !n.isBlank()).ifPresent(n -> envFrom.add(new EnvFromSourceBuilder()
                .withNewConfigMapRef().withName(n).endConfigMapRef().build()));
        env.add(new EnvVar("HOTPASS_ENRICHMENT_RUNNERS_JOB", name, null));
        env.add(new EnvVar("HOTPASS_ENRICHMENT_RUNNERS_DISPATCH", "false", null));
        Container container = new ContainerBuilder()
                .withName("runner")
                .withImage(image.filter(i -> !i.isBlank()).orElseThrow(() -> new IllegalStateException(
                        "hotpass.enrichment.runners.kubernetes.image (HOTPASS_RUNNERS_IMAGE) is not set")))
                .withArgs("--run", run.planId().toString())
                .withEnv(env).withEnvFrom(envFrom)
                .withNewResources()
                .addToRequests("cpu", new Quantity(requestsCpu)).addToRequests("memory", new Quantity(requestsMemory))
                .addToLimits("cpu", new Quantity(limitsCpu)).addToLimits("memory", new Quantity(limitsMemory))
                .endResources()
                .withNewSecurityContext()
                .withRunAsNonRoot(true).withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .build();
        return new JobBuilder()
                .withNewMetadata().withName(name).withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                .withBackoffLimit(0)
                .withTtlSecondsAfterFinished(ttlSecondsAfterFinished)
                .withActiveDeadlineSeconds(activeDeadlineSeconds)
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(serviceAccount.filter(s -> !s.isBlank()).orElse(null))
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withNewSecurityContext()
                .withRunAsNonRoot(true).withRunAsUser(runAsUser).withRunAsGroup(runAsGroup).withFsGroup(runAsGroup)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withContainers(container)
                .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity(tmpSizeLimit))
                .endEmptyDir().endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The service container of this pod, when the pod can be read (its env is the runner's env). */
    private Optional<Container> ownContainer() {
        if (podName.filter(p -> !p.isBlank()).isEmpty()) {
            return Optional.empty();
        }
        try {
            Pod pod = client.get().pods().inNamespace(ns()).withName(podName.get()).get();
            if (pod == null || pod.getSpec().getContainers().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(pod.getSpec().getContainers().get(0));
        } catch (KubernetesClientException e) {
            LOG.warnf("could not read pod %s for the runner's environment: %s", podName.get(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Brings the queue in line with the Jobs: a failed Job fails its attempt, a finished Job is
     * deleted, a running attempt whose Job is gone is queued again (or failed when its attempts are spent).
     */
    @Override
    public void reconcile() {
        List<Job> jobs = client.get().batch().v1().jobs().inNamespace(ns()).withLabels(SELECTOR).list().getItems();
        Map<String, Job> byName = new HashMap<>();
        for (Job job : jobs) {
            byName.put(job.getMetadata().getName(), job);
            Map<String, String> ann = job.getMetadata().getAnnotations() == null ? Map.of()
                    : job.getMetadata().getAnnotations();
            String plan = job.getMetadata().getLabels().get(PLAN_LABEL);
            String tenant = ann.get(TENANT_ANNOTATION);
            String attempt = ann.get(ATTEMPT_ANNOTATION);
            String outcome = outcome(job.getStatus());
            if (outcome == null) {
                continue;
            }
            if (plan != null && tenant != null && attempt != null) {
                if (outcome.equals("failed")) {
                    queue.fail(UUID.fromString(plan), tenant, Integer.parseInt(attempt), "runner_failed",
                            "the runner Job " + job.getMetadata().getName() + " failed (" + reason(job.getStatus())
                                    + "); nothing of the attempt was kept. Create the plan again.");
                } else {
                    // Exited 0 without closing its run (should not happen): the attempt is over either way.
                    queue.fail(UUID.fromString(plan), tenant, Integer.parseInt(attempt), "runner_failed",
                            "the runner Job " + job.getMetadata().getName() + " ended without finishing the plan");
                }
            }
            delete(job.getMetadata().getName());
        }
        OffsetDateTime graceEnd = OffsetDateTime.now().minus(lostGrace);
        for (RunQueue.Active run : queue.active()) {
            if (run.runnerJob() != null && !byName.containsKey(run.runnerJob()) && run.claimedAt() != null
                    && !run.claimedAt().isAfter(graceEnd)) {
                LOG.warnf("plan %s: runner Job %s of attempt %d is gone", run.planId(), run.runnerJob(), run.attempt());
                queue.requeueOrFail(run.planId(), run.tenant(), run.attempt(), "runner_lost", "the runner Job "
                        + run.runnerJob() + " disappeared " + run.attempt() + " times before finishing; nothing of it"
                        + " was kept. Create the plan again.");
            }
        }
    }

    /** "succeeded", "failed" or null (still running) from a Job's status. */
    static String outcome(JobStatus status) {
        if (status == null) {
            return null;
        }
        if (status.getConditions() != null) {
            for (JobCondition c : status.getConditions()) {
                if ("True".equals(c.getStatus()) && ("Failed".equals(c.getType()) || "FailureTarget".equals(c.getType()))) {
                    return "failed";
                }
                if ("True".equals(c.getStatus()) && "Complete".equals(c.getType())) {
                    return "succeeded";
                }
            }
        }
        if (status.getFailed() != null && status.getFailed() > 0) {
            return "failed";
        }
        if (status.getSucceeded() != null && status.getSucceeded() > 0) {
            return "succeeded";
        }
        return null;
    }

    private static String reason(JobStatus status) {
        if (status.getConditions() != null) {
            for (JobCondition c : status.getConditions()) {
                if ("Failed".equals(c.getType()) && c.getReason() != null) {
                    return c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage());
                }
            }
        }
        return "exit code not 0";
    }

    private void delete(String name) {
        try {
            client.get().batch().v1().jobs().inNamespace(ns()).withName(name)
                    .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
        } catch (KubernetesClientException e) {
            LOG.debugf("runner Job %s: delete failed: %s", name, e.getMessage());
        }
    }
}
