package io.hotpass.ingest.run;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Live counters of a run in this process; persisted to {@code upload_run} every few seconds. */
public final class RunProgress {

    public final UUID id;
    public final String tenant;
    public final long totalBytes;
    public final long startNanos = System.nanoTime();
    public final AtomicLong bytesRead = new AtomicLong();
    public final AtomicLong rowsRead = new AtomicLong();
    public final AtomicLong rowsStored = new AtomicLong();
    public final AtomicLong rowsQuarantined = new AtomicLong();
    public volatile String state = RunStates.RECEIVED;

    public RunProgress(UUID id, String tenant, long totalBytes) {
        this.id = id;
        this.tenant = tenant;
        this.totalBytes = totalBytes;
    }

    public double rowsPerSecond() {
        double secs = (System.nanoTime() - startNanos) / 1e9;
        return secs <= 0 ? 0 : Math.round(rowsRead.get() / secs * 10) / 10.0;
    }

    /** Seconds left, from the byte rate so far and the request's Content-Length; null when unknown. */
    public Long etaSeconds() {
        long read = bytesRead.get();
        double secs = (System.nanoTime() - startNanos) / 1e9;
        if (totalBytes <= 0 || read <= 0 || secs <= 0) {
            return null;
        }
        return Math.max(0, Math.round((totalBytes - read) / (read / secs)));
    }
}
