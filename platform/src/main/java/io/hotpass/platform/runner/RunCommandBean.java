package io.hotpass.platform.runner;

import jakarta.annotation.PostConstruct;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * {@code --run <runId>} as a service's CDI bean: this process runs that one queued run and exits.
 * In a runner Job ({@code <prefix>job}, from the Job's {@code HOTPASS_<SERVICE>_RUNNERS_JOB}, names
 * it) the attempt the dispatcher claimed for this Job is taken over; started by hand, a queued run
 * (or one whose lease expired) is claimed here for the in-process launcher. Exit code 0 when the run
 * ended well, 1 otherwise (failed, not found, or not this Job's any more). A service's
 * {@code @ApplicationScoped} subclass gives its words in its no-argument constructor and runs the
 * attempt in {@link #execute}; it logs under its own name.
 */
public abstract class RunCommandBean<R extends RunAttempt> {

    private final Logger log = Logger.getLogger(getClass());
    private final String prefix;
    private final String run;
    private final String noSuchRun;
    private final String ended;
    private Optional<String> job = Optional.empty();

    /**
     * @param prefix    the service's runner settings ({@code "hotpass.contracts.runners."})
     * @param run       what a run is called in messages ("run", "plan")
     * @param noSuchRun what was not found ("queued validation run")
     * @param ended     how a run that ended well ended ("finished", "stored", "ready")
     */
    protected RunCommandBean(String prefix, String run, String noSuchRun, String ended) {
        this.prefix = prefix;
        this.run = run;
        this.noSuchRun = noSuchRun;
        this.ended = ended;
    }

    /** The service's run queue. */
    protected abstract RunQueue<R> queue();

    /** The launcher a hand-started run is claimed for. */
    protected abstract RunLauncher<R> inProcess();

    /** Runs the attempt to its end; true when the run ended well. A Job stopped midway is the dispatcher's to judge. */
    protected abstract boolean execute(R attempt);

    @PostConstruct
    protected void readJob() {
        job = ConfigProvider.getConfig().getOptionalValue(prefix + "job", String.class);
    }

    public int run(UUID runId) {
        return run(runId, job);
    }

    /** Runs the run as the runner of {@code job} (empty: claims it here, as a hand-started run). */
    public int run(UUID runId, Optional<String> job) {
        Optional<String> tenant = queue().tenantOf(runId);
        if (tenant.isEmpty()) {
            log.errorf("--run %s: no such %s", runId, noSuchRun);
            return 1;
        }
        R attempt = job.filter(j -> !j.isBlank())
                .map(j -> queue().takeOver(runId, tenant.get(), j, RunnerProcess.owner()))
                .orElseGet(() -> queue().claim(new RunQueue.Candidate(runId, tenant.get()), RunnerProcess.owner(),
                        inProcess()));
        if (attempt == null) {
            log.errorf("--run %s: the %s is not queued for this runner (finished, or claimed by another attempt)", runId,
                    run);
            return 1;
        }
        log.infof("--run %s: attempt %d of tenant %s", runId, attempt.attempt(), attempt.tenant());
        boolean done = execute(attempt);
        log.infof("--run %s: %s", runId, done ? ended : "not " + ended + " (see the " + run + "'s error)");
        return done ? 0 : 1;
    }
}
