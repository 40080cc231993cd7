package io.hotpass.platform.runner;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts a process is executing, each on the thread that called {@link #start}, for the
 * heartbeat that renews their leases and stops an attempt whose lease is lost.
 *
 * <p>Stopping interrupts the attempt's thread, and that thread goes on to other work once the
 * attempt ends (the next pool task, or the caller of a {@code --run} process). So an interrupt may
 * only land while the attempt is still running: {@link #stop} and {@link #finish} take the
 * attempt's lock, a finished attempt is never interrupted, and {@link #finish} clears an interrupt
 * that landed before it. Without this, a heartbeat that read the attempt just before it ended (its
 * renewal then finds the run done, "lease lost") interrupted whatever the thread did next.
 *
 * @param <L> what the service keeps of a running attempt (its claimed run, counters)
 */
public final class RunningAttempts<L> {

    /** One attempt running here. */
    public static final class Attempt<L> {
        private final UUID id;
        private final L local;
        private final Thread thread;
        private boolean finished;

        private Attempt(UUID id, L local, Thread thread) {
            this.id = id;
            this.local = local;
            this.thread = thread;
        }

        public UUID id() {
            return id;
        }

        public L local() {
            return local;
        }
    }

    private final Map<UUID, Attempt<L>> running = new ConcurrentHashMap<>();

    /** The calling thread starts executing the attempt of run {@code id}. */
    public Attempt<L> start(UUID id, L local) {
        Attempt<L> a = new Attempt<>(id, local, Thread.currentThread());
        running.put(id, a);
        return a;
    }

    /**
     * The attempt ended (call in a {@code finally} on its thread): no stop reaches its thread from
     * now on, and an interrupt from a stop before this is cleared.
     */
    public void finish(Attempt<L> a) {
        synchronized (a) {
            a.finished = true;
        }
        running.remove(a.id, a);
        Thread.interrupted();
    }

    /**
     * Stops a running attempt: {@code beforeInterrupt} runs, then its thread is interrupted. False,
     * doing nothing, when the attempt has already finished.
     */
    public boolean stop(Attempt<L> a, Runnable beforeInterrupt) {
        synchronized (a) {
            if (a.finished) {
                return false;
            }
            running.remove(a.id, a);
            beforeInterrupt.run();
            a.thread.interrupt();
            return true;
        }
    }

    /** The attempts running now (a snapshot). */
    public List<Attempt<L>> list() {
        return List.copyOf(running.values());
    }

    public int size() {
        return running.size();
    }
}
