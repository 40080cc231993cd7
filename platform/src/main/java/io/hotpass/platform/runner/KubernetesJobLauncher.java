package io.hotpass.platform.runner;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
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
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The {@code kubernetes} launcher: each claimed attempt runs as a batch/v1 Job of the service's own
 * image with {@code --run <runId>}. The runner writes its progress to the service's database
 * itself; this launcher only creates Jobs, watches their status on every dispatch and cleans them
 * up: a failed Job fails its run ({@code runner_failed}, no retry: the same Job shape would most
 * likely fail the same way), a Job that vanished while its attempt was running re-queues the run
 * while attempts remain ({@code runner_lost} when they are spent), and finished Jobs are deleted.
 * Concurrency is counted from the queue (runs in state running), so it holds across replicas.
 * Not a bean: the owning service's launcher bean builds one from its configuration.
 */
public class KubernetesJobLauncher<R extends RunAttempt> implements RunLauncher<R> {

    private static final Logger LOG = Logger.getLogger(KubernetesJobLauncher.class);
    public static final String NAME = "kubernetes";
    public static final String TENANT_ANNOTATION = "hotpass.io/tenant";
    public static final String ATTEMPT_ANNOTATION = "hotpass.io/attempt";

    private final Supplier<KubernetesClient> client;
    private final RunQueue<R> queue;
    private final KubernetesJobSettings s;

    public KubernetesJobLauncher(Supplier<KubernetesClient> client, RunQueue<R> queue, KubernetesJobSettings settings) {
        this.client = client;
        this.queue = queue;
        this.s = settings;
    }

    public KubernetesJobSettings settings() {
        return s;
    }

    /** The labels every runner Job of this service carries (how reconcile finds them). */
    public Map<String, String> selector() {
        return Map.of("app.kubernetes.io/managed-by", s.managedBy(), "app.kubernetes.io/component", s.component());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int freeSlots() {
        return Math.max(0, s.maxConcurrent() - queue.active().size());
    }

    @Override
    public String runnerJob(UUID runId, int attempt) {
        return s.namePrefix() + "-" + runId + "-" + attempt;
    }

    @Override
    public Duration initialLease() {
        return s.startTimeout(); // the pod may wait for a node and an image pull before its first renewal
    }

    private String ns() {
        return s.namespace().orElseGet(() -> client.get().getNamespace());
    }

    @Override
    public void launch(R run) {
        try {
            Job job = job(run);
            // A Job left by an earlier attempt of this run must not run beside the new one.
            client.get().batch().v1().jobs().inNamespace(ns()).withLabel(s.runLabel(), run.runId().toString()).list()
                    .getItems().forEach(old -> delete(old.getMetadata().getName()));
            client.get().batch().v1().jobs().inNamespace(ns()).resource(job).create();
            LOG.infof("%s %s: attempt %d runs as Job %s", s.what(), run.runId(), run.attempt(), job.getMetadata().getName());
        } catch (KubernetesClientException | IllegalStateException e) {
            LOG.errorf("%s %s: could not create runner Job %s: %s", s.what(), run.runId(), run.runnerJob(), e.getMessage());
            queue.requeueOrFail(run.runId(), run.tenant(), run.attempt(), "runner_not_started",
                    "the runner Job could not be created: " + e.getMessage());
        }
    }

    /** The Job of one attempt. */
    public Job job(R run) {
        String name = run.runnerJob();
        Map<String, String> labels = new LinkedHashMap<>();
        // Not the service's own name label: the service's Service, PDB and autoscaler must not count runner pods.
        labels.put("app.kubernetes.io/name", s.nameLabel());
        labels.put("app.kubernetes.io/part-of", "hotpass");
        s.instance().ifPresent(i -> labels.put("app.kubernetes.io/instance", i));
        labels.putAll(selector());
        labels.put(s.runLabel(), run.runId().toString());
        Map<String, String> annotations = Map.of(TENANT_ANNOTATION, run.tenant(), ATTEMPT_ANNOTATION,
                Integer.toString(run.attempt()));
        List<EnvVar> env = new ArrayList<>();
        List<EnvFromSource> envFrom = new ArrayList<>();
        ownContainer().ifPresent(c -> {
            if (c.getEnv() != null) {
                c.getEnv().stream().filter(e -> !e.getName().startsWith(s.envPrefix())).forEach(env::add);
            }
            if (c.getEnvFrom() != null) {
                envFrom.addAll(c.getEnvFrom());
            }
        });
        s.envFromConfigMap().ifPresent(n -> envFrom.add(new EnvFromSourceBuilder()
                .withNewConfigMapRef().withName(n).endConfigMapRef().build()));
        env.add(new EnvVar(s.envPrefix() + "JOB", name, null));
        env.add(new EnvVar(s.envPrefix() + "DISPATCH", "false", null));
        Container container = new ContainerBuilder()
                .withName("runner")
                .withImage(s.image().orElseThrow(() -> new IllegalStateException(
                        "the runner image (HOTPASS_RUNNERS_IMAGE) is not set")))
                .withArgs("--run", run.runId().toString())
                .withEnv(env).withEnvFrom(envFrom)
                .withNewResources()
                .addToRequests("cpu", new Quantity(s.requestsCpu())).addToRequests("memory", new Quantity(s.requestsMemory()))
                .addToLimits("cpu", new Quantity(s.limitsCpu())).addToLimits("memory", new Quantity(s.limitsMemory()))
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
                .withTtlSecondsAfterFinished(s.ttlSecondsAfterFinished())
                .withActiveDeadlineSeconds(s.activeDeadlineSeconds())
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(s.serviceAccount().orElse(null))
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withNewSecurityContext()
                .withRunAsNonRoot(true).withRunAsUser(s.runAsUser()).withRunAsGroup(s.runAsGroup()).withFsGroup(s.runAsGroup())
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withContainers(container)
                .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity(s.tmpSizeLimit()))
                .endEmptyDir().endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The service container of this pod, when the pod can be read (its env is the runner's env). */
    private Optional<Container> ownContainer() {
        if (s.podName().isEmpty()) {
            return Optional.empty();
        }
        try {
            Pod pod = client.get().pods().inNamespace(ns()).withName(s.podName().get()).get();
            if (pod == null || pod.getSpec().getContainers().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(pod.getSpec().getContainers().get(0));
        } catch (KubernetesClientException e) {
            LOG.warnf("could not read pod %s for the runner's environment: %s", s.podName().get(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Brings the queue in line with the Jobs: a failed Job fails its attempt, a finished Job is
     * deleted, a running attempt whose Job is gone is queued again (or failed when its attempts are spent).
     */
    @Override
    public void reconcile() {
        List<Job> jobs = client.get().batch().v1().jobs().inNamespace(ns()).withLabels(selector()).list().getItems();
        Map<String, Job> byName = new HashMap<>();
        for (Job job : jobs) {
            byName.put(job.getMetadata().getName(), job);
            Map<String, String> ann = job.getMetadata().getAnnotations() == null ? Map.of()
                    : job.getMetadata().getAnnotations();
            String runId = job.getMetadata().getLabels().get(s.runLabel());
            String tenant = ann.get(TENANT_ANNOTATION);
            String attempt = ann.get(ATTEMPT_ANNOTATION);
            String outcome = outcome(job.getStatus());
            if (outcome == null) {
                continue;
            }
            if (runId != null && tenant != null && attempt != null) {
                String jobName = job.getMetadata().getName();
                // A runner that finished its run closed it itself; these fail only a run its attempt still holds.
                if (outcome.equals("failed")) {
                    queue.fail(UUID.fromString(runId), tenant, Integer.parseInt(attempt), "runner_failed",
                            "the runner Job " + jobName + " failed (" + reason(job.getStatus())
                                    + "); nothing of the attempt was kept. " + s.againHint());
                } else {
                    queue.fail(UUID.fromString(runId), tenant, Integer.parseInt(attempt), "runner_failed",
                            "the runner Job " + jobName + " ended without finishing the " + s.what() + ". " + s.againHint());
                }
            }
            delete(job.getMetadata().getName());
        }
        OffsetDateTime graceEnd = OffsetDateTime.now().minus(s.lostGrace());
        for (RunQueue.Active run : queue.active()) {
            if (run.runnerJob() != null && !byName.containsKey(run.runnerJob()) && run.claimedAt() != null
                    && !run.claimedAt().isAfter(graceEnd)) {
                LOG.warnf("%s %s: runner Job %s of attempt %d is gone", s.what(), run.runId(), run.runnerJob(), run.attempt());
                queue.requeueOrFail(run.runId(), run.tenant(), run.attempt(), "runner_lost", "the runner Job "
                        + run.runnerJob() + " disappeared " + run.attempt() + " times before finishing; nothing of it"
                        + " was kept. " + s.againHint());
            }
        }
    }

    /** "succeeded", "failed" or null (still running) from a Job's status. */
    public static String outcome(JobStatus status) {
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

    /** Why a Job failed, from its Failed condition. */
    public static String reason(JobStatus status) {
        if (status != null && status.getConditions() != null) {
            for (JobCondition c : status.getConditions()) {
                if ("Failed".equals(c.getType()) && c.getReason() != null) {
                    return c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage());
                }
            }
        }
        return "exit code not 0";
    }

    /** Deletes a runner Job and its pods (in the background); a failure is logged and retried next reconcile. */
    public void delete(String name) {
        try {
            client.get().batch().v1().jobs().inNamespace(ns()).withName(name)
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        } catch (KubernetesClientException e) {
            LOG.debugf("runner Job %s: delete failed: %s", name, e.getMessage());
        }
    }
}
