package io.hotpass.platform.runner;

import java.time.Duration;
import java.util.Optional;

/**
 * How a service's runner Jobs are shaped and watched. Each service fills it from its own
 * configuration keys ({@code hotpass.<service>.runners.kubernetes.*}); the chart sets them from
 * the same {@code HOTPASS_RUNNERS_*} variables for every service.
 *
 * @param managedBy      {@code app.kubernetes.io/managed-by} of the Jobs: the owning service ("enrichment-service")
 * @param component      {@code app.kubernetes.io/component} ("plan-runner", "validation-runner")
 * @param runLabel       the label carrying the run id ("hotpass.io/plan-id")
 * @param what           the run as messages name it ("plan", "validation run")
 * @param againHint      what the user does after a runner failure ("Create the plan again.")
 * @param envPrefix      the prefix of the service's runner settings in the environment
 *                       ("HOTPASS_ENRICHMENT_RUNNERS_"): not copied from the service's pod, the Job
 *                       gets {@code <prefix>JOB} (its own name) and {@code <prefix>DISPATCH=false}
 * @param maxConcurrent  Jobs at once across the release (counted from the queue's running runs)
 * @param namespace      empty: the client's namespace
 * @param podName        the service's own pod, whose container environment the runner copies
 * @param nameLabel      {@code app.kubernetes.io/name} of runner pods, not the service's own: its
 *                       Service, PodDisruptionBudget and autoscaler must not count them
 * @param namePrefix     Jobs are {@code <prefix>-<runId>-<attempt>}
 * @param startTimeout   the first lease: the pod may wait for a node and an image pull
 * @param lostGrace      how long after the claim a missing Job counts as vanished
 */
public record KubernetesJobSettings(String managedBy, String component, String runLabel, String what,
        String againHint, String envPrefix, int maxConcurrent, Optional<String> namespace, Optional<String> image,
        Optional<String> serviceAccount, Optional<String> instance, Optional<String> podName,
        Optional<String> envFromConfigMap, String nameLabel, String namePrefix, int ttlSecondsAfterFinished,
        long activeDeadlineSeconds, Duration startTimeout, Duration lostGrace, String requestsCpu,
        String requestsMemory, String limitsCpu, String limitsMemory, long runAsUser, long runAsGroup,
        String tmpSizeLimit) {

    /** Blank optional settings (an unset environment variable) are absent. */
    public KubernetesJobSettings {
        namespace = present(namespace);
        image = present(image);
        serviceAccount = present(serviceAccount);
        instance = present(instance);
        podName = present(podName);
        envFromConfigMap = present(envFromConfigMap);
    }

    private static Optional<String> present(Optional<String> o) {
        return o == null ? Optional.empty() : o.filter(s -> !s.isBlank());
    }
}
