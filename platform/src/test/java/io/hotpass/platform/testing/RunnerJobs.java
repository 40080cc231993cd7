package io.hotpass.platform.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One service's runner Jobs in the fabric8 mock API server (CRUD mode), as the services' runner
 * tests drive them: the Jobs by run, a Job's end (what the Job controller would write), a vanished
 * Job, the service's own pod whose environment runners copy, and the run's row in the service's queue.
 */
public final class RunnerJobs {

    /** A run's row in a service's queue table. */
    public record QueueRow(String state, int attempts, String runnerJob) {
    }

    private final KubernetesClient kube;
    private final String namespace;
    private final String managedBy;
    private final String runLabel;

    /**
     * @param managedBy the service ({@code app.kubernetes.io/managed-by} of its Jobs)
     * @param runLabel  the label carrying the run id
     */
    public RunnerJobs(KubernetesClient kube, String namespace, String managedBy, String runLabel) {
        this.kube = kube;
        this.namespace = namespace;
        this.managedBy = managedBy;
        this.runLabel = runLabel;
    }

    /** The service's runner Jobs by run id. */
    public Map<String, Job> byRun() {
        return kube.batch().v1().jobs().inNamespace(namespace).withLabel("app.kubernetes.io/managed-by", managedBy)
                .list().getItems().stream()
                .collect(Collectors.toMap(j -> j.getMetadata().getLabels().get(runLabel), j -> j));
    }

    /** Ends a Job as the Job controller would: Complete, or Failed with {@code reason}. */
    public void finish(Job job, boolean succeeded, String reason) {
        Job j = kube.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName()).get();
        j.setStatus(new JobStatusBuilder().withSucceeded(succeeded ? 1 : 0).withFailed(succeeded ? 0 : 1)
                .withConditions(new JobConditionBuilder().withType(succeeded ? "Complete" : "Failed").withStatus("True")
                        .withReason(reason).build())
                .build());
        kube.batch().v1().jobs().inNamespace(namespace).resource(j).updateStatus();
    }

    /** The Job disappears (deleted by hand, its node lost). */
    public void vanish(String jobName) {
        kube.batch().v1().jobs().inNamespace(namespace).withName(jobName).delete();
    }

    /**
     * The service's pod as the chart runs it, once: its environment from Secret references
     * ({@code HOTPASS_SERVICE_API_KEY}, {@code databaseSecret}) plus the namespace and
     * {@code <envPrefix>DISPATCH=true}, which a runner must not inherit.
     */
    public void servicePod(String podName, String container, String image, String envPrefix, String databaseSecret) {
        if (kube.pods().inNamespace(namespace).withName(podName).get() != null) {
            return;
        }
        kube.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(podName).endMetadata()
                .withNewSpec().addNewContainer().withName(container).withImage(image)
                .addNewEnv().withName("HOTPASS_SERVICE_API_KEY").withNewValueFrom().withNewSecretKeyRef()
                .withName("hotpass-platform-credentials").withKey("service-api-key").endSecretKeyRef().endValueFrom().endEnv()
                .addNewEnv().withName("HOTPASS_RUNNERS_NAMESPACE").withValue(namespace).endEnv()
                .addNewEnv().withName(envPrefix + "DISPATCH").withValue("true").endEnv()
                .addNewEnvFrom().withNewSecretRef().withName(databaseSecret).endSecretRef().endEnvFrom()
                .endContainer().endSpec().build()).create();
    }

    /** A variable's value in a container's environment (null when absent or a reference). */
    public static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
    }

    /**
     * What every runner Job is, whatever the service: part of hotpass, run once ({@code backoffLimit}
     * 0, {@code restartPolicy} Never), no API token, non-root with the runtime's seccomp profile, a
     * read-only root filesystem with no privilege escalation and no capabilities, {@code /tmp} mounted.
     */
    public static void assertHardened(Job job) {
        assertEquals("hotpass", job.getMetadata().getLabels().get("app.kubernetes.io/part-of"));
        assertEquals(0, job.getSpec().getBackoffLimit());
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertEquals("Never", pod.getRestartPolicy());
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        Container ct = pod.getContainers().get(0);
        assertEquals(Boolean.TRUE, ct.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, ct.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), ct.getSecurityContext().getCapabilities().getDrop());
        assertEquals("/tmp", ct.getVolumeMounts().get(0).getMountPath());
    }

    /** The row of run {@code id} in {@code table} (keyed by {@code idColumn}) of a service's test database. */
    public static QueueRow queueRow(String database, String table, String idColumn, String id) throws Exception {
        try (Connection c = TestDatabase.asOwner(database); PreparedStatement ps = c.prepareStatement(
                "select state, attempts, runner_job from " + table + " where " + idColumn + " = ?::uuid")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new QueueRow(rs.getString(1), rs.getInt(2), rs.getString(3));
            }
        }
    }
}
