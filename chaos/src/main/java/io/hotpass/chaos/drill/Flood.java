package io.hotpass.chaos.drill;

import io.hotpass.chaos.scenario.Scenario;
import io.hotpass.chaos.workload.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One tenant floods the gateway while another (the victim) goes about its business: the victim is
 * measured alone for the baseline window, then again while the flooder sends {@code rps} requests a
 * second from {@code concurrency} connections. The flooder's answers are tallied by status (the
 * gateway must answer 429, never 5xx); the victim's requests go to the journal one by one.
 */
public final class Flood {

    private final Api api;
    private final Journal journal;
    private final Scenario.Flood spec;
    private final String flooderKey;
    private final String victimKey;

    public Flood(Api api, Journal journal, Scenario.Flood spec, String flooderKey, String victimKey) {
        this.api = api;
        this.journal = journal;
        this.spec = spec;
        this.flooderKey = flooderKey;
        this.victimKey = victimKey;
    }

    /** Baseline, then the flood for {@code duration}; the figures land in {@link Journal#flood}. */
    public Map<String, Object> run(Duration duration, Runnable onFloodStart) throws InterruptedException {
        int victimRps = spec.victimRps() == null ? 10 : spec.victimRps();
        journal.event("flood-baseline", "victim alone for " + spec.baselineWindow().toSeconds() + " s");
        List<Long> baseline = victim(spec.baselineWindow(), victimRps, "victim-baseline");

        int rps = spec.rps() == null ? 300 : spec.rps();
        int threads = spec.concurrency() == null ? 8 : spec.concurrency();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        LongAdder sent = new LongAdder();
        long end = System.nanoTime() + duration.toNanos();
        long intervalNanos = 1_000_000_000L / Math.max(1, rps);
        AtomicLong nextSlot = new AtomicLong(System.nanoTime());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        onFloodStart.run();
        journal.event("flood", rps + " req/s from " + threads + " connections on " + spec.path() + " for " + duration.toSeconds() + " s");
        for (int i = 0; i < threads; i++) {
            pool.submit(() -> {
                while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                    long slot = nextSlot.getAndAdd(intervalNanos);
                    long wait = slot - System.nanoTime();
                    if (wait > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(wait); // pacing the flood to its rate
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    Api.Response r = api.send(null, "GET", spec.path(), flooderKey, null, Map.of(), Duration.ofSeconds(10));
                    statuses.computeIfAbsent(r.status(), k -> new LongAdder()).increment();
                    sent.increment();
                }
            });
        }
        List<Long> during = victim(duration, victimRps, "victim-flood");
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        journal.event("flood-ended", sent.sum() + " flood requests");

        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Long> byStatus = new TreeMap<>();
        statuses.forEach((k, v) -> byStatus.put(Integer.toString(k), v.sum()));
        out.put("flooderRequests", sent.sum());
        out.put("flooderStatuses", byStatus);
        out.put("flooderRequestsPerSecond", sent.sum() / Math.max(1.0, duration.toMillis() / 1000.0));
        out.put("victimBaselineSamples", baseline.size());
        out.put("victimFloodSamples", during.size());
        out.put("victimBaselineP50Ms", percentile(baseline, 50));
        out.put("victimBaselineP99Ms", percentile(baseline, 99));
        out.put("victimFloodP50Ms", percentile(during, 50));
        out.put("victimFloodP99Ms", percentile(during, 99));
        double base = Math.max(1, percentile(baseline, 99));
        out.put("victimP99Ratio", Math.round(percentile(during, 99) / base * 100.0) / 100.0);
        return out;
    }

    /** The victim's own calls, paced at {@code rps}, for {@code window}; their latencies (failed calls count as the timeout). */
    private List<Long> victim(Duration window, int rps, String who) throws InterruptedException {
        List<Long> latencies = new ArrayList<>();
        long end = System.nanoTime() + window.toNanos();
        long interval = 1_000_000_000L / Math.max(1, rps);
        long next = System.nanoTime();
        while (System.nanoTime() < end) {
            Api.Response r = api.send(who, "GET", spec.victimPath(), victimKey, null, Map.of(), Duration.ofSeconds(10));
            latencies.add(r.ok() ? r.latencyMs() : Math.max(r.latencyMs(), 10_000));
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        return latencies;
    }

    static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }
}
