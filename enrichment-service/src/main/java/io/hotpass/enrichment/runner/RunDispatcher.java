package io.hotpass.enrichment.runner;

import io.quarkus.runtime.annotations.CommandLineArguments;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Moves queued plans to a launcher: on every tick (and right after a plan is created) it lets the
 * launcher reconcile, asks how many runs may start, claims that many (queued runs and runs whose
 * lease expired, oldest first) and launches them. One dispatcher at a time across all replicas: a
 * tick holds a PostgreSQL advisory lock, so the concurrency limit is never overshot by two replicas
 * claiming at once.
 */
@ApplicationScoped
public class RunDispatcher {

    private static final Logger LOG = Logger.getLogger(RunDispatcher.class);
    /** pg advisory lock key of the dispatcher ("ENRDISP" as a number). */
    static final long LOCK_KEY = 0x454e5244495350L;

    /** Fired by plan creation; after the creating transaction commits, the dispatcher wakes. */
    public record Enqueued(UUID planId, String callerToken) {
    }

    @Inject
    DataSource dataSource;

    @Inject
    RunQueue queue;

    @Inject
    RunExecutor executor;

    @Inject
    @Any
    Instance<RunLauncher> launchers;

    @ConfigProperty(name = "hotpass.enrichment.runners.launcher", defaultValue = "in-process")
    String launcherName;

    @ConfigProperty(name = "hotpass.enrichment.runners.dispatch", defaultValue = "true")
    boolean dispatch;

    @ConfigProperty(name = "hotpass.enrichment.runners.wake-on-create", defaultValue = "true")
    boolean wakeOnCreate;

    /** The process's arguments: a {@code --run} process never dispatches, not even before its main runs. */
    @Inject
    @CommandLineArguments
    String[] args;

    private final ExecutorService waker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "plan-dispatch");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean oneShot;

    /** The configured launcher. */
    public RunLauncher launcher() {
        for (RunLauncher l : launchers) {
            if (l.name().equals(launcherName)) {
                return l;
            }
        }
        throw new IllegalStateException("hotpass.enrichment.runners.launcher must be in-process or kubernetes, got '"
                + launcherName + "'");
    }

    /** A {@code --run} process runs its one plan and never dispatches others. */
    public void disable() {
        oneShot = true;
    }

    void onEnqueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) Enqueued e) {
        executor.rememberCallerToken(e.planId(), e.callerToken());
        if (dispatch && wakeOnCreate && !oneShot) {
            waker.submit(this::poll);
        }
    }

    @Scheduled(identity = "plan-run-dispatch", every = "${hotpass.enrichment.runners.poll-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        try {
            tick();
            lastProblem = null;
        } catch (RuntimeException e) {
            // The database or the Kubernetes API is away (or refuses: RBAC): say so once a minute, retry every tick.
            String problem = String.valueOf(e.getMessage());
            long now = System.nanoTime();
            if (!problem.equals(lastProblem) || now - lastWarned > java.util.concurrent.TimeUnit.MINUTES.toNanos(1)) {
                LOG.warnf("plan dispatch skipped (%s launcher): %s", launcherName, problem);
                lastProblem = problem;
                lastWarned = now;
            } else {
                LOG.debugf("plan dispatch skipped: %s", problem);
            }
        }
    }

    private volatile String lastProblem;
    private volatile long lastWarned;

    /** One dispatch: reconcile, claim up to the free slots, launch. Returns how many runs were launched. */
    public synchronized int tick() {
        if (!dispatch || oneShot || java.util.Arrays.asList(args).contains("--run")) {
            return 0;
        }
        RunLauncher launcher = launcher();
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(true);
            if (!advisory(lock, "pg_try_advisory_lock")) {
                return 0; // another replica is dispatching
            }
            try {
                launcher.reconcile();
                int free = launcher.freeSlots();
                int launched = 0;
                if (free <= 0) {
                    return 0;
                }
                for (RunQueue.Candidate cand : queue.claimable(free)) {
                    if (launched >= free) {
                        break;
                    }
                    ClaimedRun run = queue.claim(cand, RunExecutor.owner(), launcher);
                    if (run != null) {
                        launcher.launch(run);
                        launched++;
                    }
                }
                return launched;
            } finally {
                advisory(lock, "pg_advisory_unlock");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("plan dispatch: " + e.getMessage(), e);
        }
    }

    private static boolean advisory(Connection c, String function) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + function + "(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
