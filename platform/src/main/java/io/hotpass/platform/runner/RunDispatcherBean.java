package io.hotpass.platform.runner;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.CommandLineArguments;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A service's dispatcher as a CDI bean: moves queued runs to the launcher its
 * {@code <prefix>launcher} names ({@code in-process}, the default, or {@code kubernetes}) through the
 * platform's {@link RunDispatch} (one dispatcher at a time across replicas, by advisory lock).
 * Dispatching is on unless {@code <prefix>dispatch} is false, the process was started with
 * {@code --run} or {@link #disable} was called; a service's {@code @ApplicationScoped} subclass
 * gives its names in its no-argument constructor, hands over its queue and launchers, calls
 * {@link #onTimer} from its {@code @Scheduled} method (its {@code <prefix>poll-interval}) and
 * {@link #wake} when a run is queued (unless its wake-up setting is false).
 */
public abstract class RunDispatcherBean<R extends RunAttempt> {

    @Inject
    protected DataSource dataSource;

    /** The process's arguments: a {@code --run} process never dispatches, not even before its main runs. */
    @Inject
    @CommandLineArguments
    protected String[] args;

    private final String prefix;
    private final String what;
    private final long lockKey;
    private final String wakeSetting;
    private final ExecutorService waker;
    private volatile boolean oneShot;
    private String launcherName;
    private boolean dispatch;
    private boolean wakeOnQueue;
    private RunDispatch<R> dispatcher;

    /**
     * @param prefix      the service's runner settings ({@code "hotpass.contracts.runners."})
     * @param what        what is dispatched, for logs ("validation")
     * @param threadName  the thread that dispatches when a run is queued
     * @param lockKey     the service's advisory lock key
     * @param wakeSetting the setting (under the prefix) that turns the wake-up on queueing off ({@code wake-on-queue})
     */
    protected RunDispatcherBean(String prefix, String what, String threadName, long lockKey, String wakeSetting) {
        this.prefix = prefix;
        this.what = what;
        this.lockKey = lockKey;
        this.wakeSetting = wakeSetting;
        this.waker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** The service's run queue. */
    protected abstract RunQueue<R> queue();

    /** The service's launchers (every {@code RunLauncher} bean of its run type). */
    protected abstract Iterable<RunLauncher<R>> launchers();

    @PostConstruct
    protected void start() {
        Config config = ConfigProvider.getConfig();
        launcherName = config.getOptionalValue(prefix + "launcher", String.class).orElse(InProcessPool.NAME);
        dispatch = config.getOptionalValue(prefix + "dispatch", Boolean.class).orElse(true);
        wakeOnQueue = config.getOptionalValue(prefix + wakeSetting, Boolean.class).orElse(true);
        dispatcher = new RunDispatch<>(what, dataSource, lockKey, queue(), this::launcher);
    }

    /** Created at startup, so that a setting that cannot be read (a word where a boolean belongs) stops the service there. */
    protected void onStart(@Observes StartupEvent event) {
        // start() has read the settings
    }

    /** The configured launcher. */
    public RunLauncher<R> launcher() {
        for (RunLauncher<R> l : launchers()) {
            if (l.name().equals(launcherName)) {
                return l;
            }
        }
        throw new IllegalStateException(prefix + "launcher must be in-process or kubernetes, got '" + launcherName + "'");
    }

    /** A {@code --run} process runs its one run and never dispatches others. */
    public void disable() {
        oneShot = true;
    }

    private boolean active() {
        return dispatch && !oneShot && !RunnerProcess.isRunner(args);
    }

    /** A run was queued: dispatch now, on the dispatcher's own thread. */
    protected void wake() {
        if (wakeOnQueue && active()) {
            waker.submit(this::onTimer);
        }
    }

    /** A tick of the service's timer: a dispatch whose failure is logged (see {@link RunDispatch#poll}). */
    protected void onTimer() {
        if (active()) {
            dispatcher.poll();
        }
    }

    /** One dispatch (see {@link RunDispatch#tick}); 0 when dispatching is off here. */
    public int tick() {
        return active() ? dispatcher.tick() : 0;
    }
}
