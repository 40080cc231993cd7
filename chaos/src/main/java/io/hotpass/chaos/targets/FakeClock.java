package io.hotpass.chaos.targets;

import io.hotpass.chaos.drill.PrometheusText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A process's clock set off from the machine's, for the clock-skew drill (FM-11): the service is
 * started with Debian's libfaketime preloaded ({@code apt-get install libfaketime}), which shifts
 * what {@code clock_gettime}/{@code gettimeofday} answer by a fixed offset — the JVM's wall clock
 * ({@code System.currentTimeMillis}, {@code Instant.now}) follows; the monotonic clock does not
 * ({@code FAKETIME_DONT_FAKE_MONOTONIC}), so timeouts and schedulers behave. That is how a pod
 * started on a node whose clock is wrong runs.
 *
 * <p>{@code FAKETIME_FORCE_MONOTONIC_FIX=0}: libfaketime 0.9.10 turns its "monotonic fix" on for
 * this glibc by itself, and under it a JVM's timed waits end early (a 2 s sequence of sleep, wait,
 * poll and park measured 1.67 s), so the JVM spins re-waiting, and every clock read costs ~1.8 µs
 * instead of 0.35: ingest-service took 23.5 s to start instead of 1.9 and answered slowly for
 * seconds after it was ready (wolfcw/libfaketime#425, CPU-bound Java). The fix is for faking the
 * monotonic clock, which this does not do. {@code FakeClockTest} checks a JVM's waits are whole.
 */
public final class FakeClock {

    /** libfaketime's relative offset: {@code +3m}, {@code -90s}, {@code +1h} (s, m, h, d; seconds without a unit). */
    static final Pattern OFFSET = Pattern.compile("[+-]\\d{1,6}[smhd]?");

    private static final List<Path> LIBRARIES = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"),
            Path.of("/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1"),
            Path.of("/usr/lib/faketime/libfaketimeMT.so.1"));

    private FakeClock() {
    }

    /** The multi-threaded libfaketime of this machine, if installed. */
    public static Optional<Path> library() {
        return LIBRARIES.stream().filter(Files::isReadable).findFirst();
    }

    /** The offset in seconds, or an exception naming what is wrong with it. */
    public static long seconds(String offset) {
        if (offset == null || !OFFSET.matcher(offset).matches()) {
            throw new IllegalArgumentException("clock-skew needs params.offset like +3m, -90s or +1h, not '" + offset + "'");
        }
        char unit = offset.charAt(offset.length() - 1);
        long n = Long.parseLong(Character.isDigit(unit) ? offset.substring(1) : offset.substring(1, offset.length() - 1));
        long mult = switch (unit) {
            case 'm' -> 60;
            case 'h' -> 3600;
            case 'd' -> 86_400;
            default -> 1;
        };
        return (offset.charAt(0) == '-' ? -1 : 1) * n * mult;
    }

    /** The environment that starts a process with its clock {@code offset} off. */
    public static Map<String, String> env(String offset) {
        seconds(offset);
        Path lib = library().orElseThrow(() -> new IllegalStateException(
                "clock-skew needs libfaketime (apt-get install libfaketime); none found in " + LIBRARIES));
        return Map.of("LD_PRELOAD", lib.toString(), "FAKETIME", offset, "FAKETIME_DONT_FAKE_MONOTONIC", "1",
                "FAKETIME_FORCE_MONOTONIC_FIX", "0");
    }

    /**
     * How far the service's wall clock is from this machine's, in seconds (positive: ahead), from
     * its own metrics: {@code process_start_time_seconds} (the JVM's wall clock at start) plus
     * {@code process_uptime_seconds} (monotonic) is its "now". Accurate to about a second.
     */
    public static Optional<Double> measure(String serviceUrl) {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            double before = System.currentTimeMillis() / 1000.0;
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(serviceUrl + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            double after = System.currentTimeMillis() / 1000.0;
            if (r.statusCode() != 200) {
                return Optional.empty();
            }
            Double start = PrometheusText.sum(r.body(), "process_start_time_seconds");
            Double uptime = PrometheusText.sum(r.body(), "process_uptime_seconds");
            if (start == null || uptime == null) {
                return Optional.empty();
            }
            return Optional.of(start + uptime - (before + after) / 2);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
