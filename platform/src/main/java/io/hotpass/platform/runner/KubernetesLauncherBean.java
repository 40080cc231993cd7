package io.hotpass.platform.runner;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The {@code kubernetes} launcher as a service's CDI bean: a {@link KubernetesJobLauncher} built on
 * first use (a service on the in-process launcher never builds it) from the service's settings
 * under {@code <prefix>max-concurrent} and {@code <prefix>kubernetes.*} (see {@link #settings}).
 * A service's {@code @ApplicationScoped} subclass names its Jobs and gives its defaults in its
 * no-argument constructor, and hands over its queue and the Kubernetes client.
 */
public abstract class KubernetesLauncherBean<R extends RunAttempt> implements RunLauncher<R> {

    /**
     * What a service calls its runner Jobs (see {@link KubernetesJobSettings} for each).
     *
     * @param namePrefix the default of {@code kubernetes.name-prefix}
     */
    public record Naming(String managedBy, String component, String runLabel, String what, String againHint,
            String namePrefix) {
    }

    /** The defaults of {@code kubernetes.resources.{requests,limits}.{cpu,memory}}. */
    public record Resources(String requestsCpu, String requestsMemory, String limitsCpu, String limitsMemory) {
    }

    private final String prefix;
    private final Naming naming;
    private final Resources resources;
    private volatile KubernetesJobLauncher<R> jobs;

    /**
     * @param prefix    the service's runner settings ({@code "hotpass.contracts.runners."}); their
     *                  environment form ({@code HOTPASS_CONTRACTS_RUNNERS_}) is not copied into Jobs
     * @param naming    the Jobs' names and labels
     * @param resources the default resources of a runner pod
     */
    protected KubernetesLauncherBean(String prefix, Naming naming, Resources resources) {
        this.prefix = prefix;
        this.naming = naming;
        this.resources = resources;
    }

    /** The client the Jobs are created with (looked up on every call). */
    protected abstract KubernetesClient client();

    /** The service's run queue. */
    protected abstract RunQueue<R> queue();

    /**
     * The settings, read as the service's injected properties were: {@code <prefix>max-concurrent}
     * (2) and {@code <prefix>kubernetes.}{@code namespace}, {@code image}, {@code service-account},
     * {@code instance}, {@code pod-name}, {@code env-from-config-map} (blank or unset: absent),
     * {@code name-label} ({@code <managedBy>-runner}), {@code name-prefix} (the naming's),
     * {@code ttl-seconds-after-finished} (3600), {@code active-deadline-seconds} (21600),
     * {@code start-timeout} (PT10M), {@code lost-grace} (PT1M),
     * {@code resources.{requests,limits}.{cpu,memory}} (the service's), {@code run-as-user} and
     * {@code run-as-group} (185), {@code tmp-size-limit} (256Mi).
     */
    public static KubernetesJobSettings settings(Config config, String prefix, Naming naming, Resources resources) {
        String k = prefix + "kubernetes.";
        return new KubernetesJobSettings(naming.managedBy(), naming.component(), naming.runLabel(), naming.what(),
                naming.againHint(), prefix.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT),
                config.getOptionalValue(prefix + "max-concurrent", Integer.class).orElse(2),
                config.getOptionalValue(k + "namespace", String.class),
                config.getOptionalValue(k + "image", String.class),
                config.getOptionalValue(k + "service-account", String.class),
                config.getOptionalValue(k + "instance", String.class),
                config.getOptionalValue(k + "pod-name", String.class),
                config.getOptionalValue(k + "env-from-config-map", String.class),
                config.getOptionalValue(k + "name-label", String.class).orElse(naming.managedBy() + "-runner"),
                config.getOptionalValue(k + "name-prefix", String.class).orElse(naming.namePrefix()),
                config.getOptionalValue(k + "ttl-seconds-after-finished", Integer.class).orElse(3600),
                config.getOptionalValue(k + "active-deadline-seconds", Long.class).orElse(21600L),
                config.getOptionalValue(k + "start-timeout", Duration.class).orElse(Duration.ofMinutes(10)),
                config.getOptionalValue(k + "lost-grace", Duration.class).orElse(Duration.ofMinutes(1)),
                config.getOptionalValue(k + "resources.requests.cpu", String.class).orElse(resources.requestsCpu()),
                config.getOptionalValue(k + "resources.requests.memory", String.class).orElse(resources.requestsMemory()),
                config.getOptionalValue(k + "resources.limits.cpu", String.class).orElse(resources.limitsCpu()),
                config.getOptionalValue(k + "resources.limits.memory", String.class).orElse(resources.limitsMemory()),
                config.getOptionalValue(k + "run-as-user", Long.class).orElse(185L),
                config.getOptionalValue(k + "run-as-group", Long.class).orElse(185L),
                config.getOptionalValue(k + "tmp-size-limit", String.class).orElse("256Mi"));
    }

    /** This service's settings from the application's configuration. */
    public KubernetesJobSettings settings() {
        return settings(ConfigProvider.getConfig(), prefix, naming, resources);
    }

    /** A setting that cannot be read (a word where a number belongs) stops the service at startup. */
    protected void checkSettings(@Observes StartupEvent event) {
        settings();
    }

    /** The platform launcher, built on first use. */
    protected KubernetesJobLauncher<R> jobs() {
        if (jobs == null) {
            synchronized (this) {
                if (jobs == null) {
                    jobs = new KubernetesJobLauncher<>(this::client, queue(), settings());
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
    public void launch(R run) {
        jobs().launch(run);
    }

    @Override
    public void reconcile() {
        jobs().reconcile();
    }

    /** The Job an attempt runs in (its shape, for tests and operators' dry runs). */
    public Job job(R run) {
        return jobs().job(run);
    }
}
