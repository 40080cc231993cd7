package io.hotpass.platform.runner;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * One dispatch of a service's run queue: let the launcher reconcile, ask how many runs may start,
 * claim that many (queued runs and runs whose lease expired, oldest first) and launch them. One
 * dispatcher at a time across all replicas of the service: a tick holds a PostgreSQL advisory lock
 * ({@code lockKey}, one per service), so the concurrency limit is never overshot by two replicas
 * claiming at once. Not a bean: the owning service's dispatcher bean holds one and calls
 * {@link #poll} from its timer.
 */
public final class RunDispatch<R extends RunAttempt> {

    private static final Logger LOG = Logger.getLogger(RunDispatch.class);

    private final String what;
    private final DataSource dataSource;
    private final long lockKey;
    private final RunQueue<R> queue;
    private final Supplier<RunLauncher<R>> launcher;
    private volatile String lastProblem;
    private volatile long lastWarned;

    /**
     * @param what     what is dispatched, for logs ("plan", "validation")
     * @param lockKey  the service's advisory lock key
     * @param launcher the configured launcher (looked up on every tick)
     */
    public RunDispatch(String what, DataSource dataSource, long lockKey, RunQueue<R> queue,
            Supplier<RunLauncher<R>> launcher) {
        this.what = what;
        this.dataSource = dataSource;
        this.lockKey = lockKey;
        this.queue = queue;
        this.launcher = launcher;
    }

    /**
     * A timer's tick: like {@link #tick} but a failure (the database or the Kubernetes API is away, or
     * refuses: RBAC) is logged once a minute while it lasts, and retried on the next tick.
     */
    public void poll() {
        try {
            tick();
            lastProblem = null;
        } catch (RuntimeException e) {
            String problem = String.valueOf(e.getMessage());
            long now = System.nanoTime();
            if (!problem.equals(lastProblem) || now - lastWarned > TimeUnit.MINUTES.toNanos(1)) {
                LOG.warnf("%s dispatch skipped: %s", what, problem);
                lastProblem = problem;
                lastWarned = now;
            } else {
                LOG.debugf("%s dispatch skipped: %s", what, problem);
            }
        }
    }

    /** One dispatch: reconcile, claim up to the free slots, launch. Returns how many runs were launched. */
    public synchronized int tick() {
        RunLauncher<R> l = launcher.get();
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(true);
            if (!advisory(lock, "pg_try_advisory_lock")) {
                return 0; // another replica is dispatching
            }
            try {
                l.reconcile();
                int free = l.freeSlots();
                if (free <= 0) {
                    return 0;
                }
                int launched = 0;
                for (RunQueue.Candidate cand : queue.claimable(free)) {
                    if (launched >= free) {
                        break;
                    }
                    R run = queue.claim(cand, RunnerProcess.owner(), l);
                    if (run != null) {
                        l.launch(run);
                        launched++;
                    }
                }
                return launched;
            } finally {
                advisory(lock, "pg_advisory_unlock");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(what + " dispatch: " + e.getMessage(), e);
        }
    }

    private boolean advisory(Connection c, String function) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + function + "(?)")) {
            ps.setLong(1, lockKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
