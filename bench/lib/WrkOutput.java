// bench/lib/WrkOutput.java — the figures of one `wrk --latency` run, for benchmarks that drive
// HTTP load with wrk (a C load generator: on a 2-core machine it leaves more of the CPU to the
// service under test than a JVM client does).
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public record WrkOutput(double rps, double p50, double p90, double p99, long requests, long non2xx, long errors) {

    /** Parses `wrk --latency` output; latencies in milliseconds. */
    public static WrkOutput parse(String out) {
        double rps = num(out, "Requests/sec:\\s+([0-9.]+)");
        long requests = (long) num(out, "([0-9]+) requests in");
        long non2xx = out.contains("Non-2xx") ? (long) num(out, "Non-2xx or 3xx responses:\\s+([0-9]+)") : 0;
        long errors = 0;
        Matcher m = Pattern.compile("Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)").matcher(out);
        if (m.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(m.group(i));
            }
        }
        return new WrkOutput(rps, latency(out, "50"), latency(out, "90"), latency(out, "99"), requests, non2xx, errors);
    }

    static double latency(String out, String pct) {
        Matcher m = Pattern.compile("\\s" + pct + "%\\s+([0-9.]+)(us|ms|s)\\b").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no " + pct + "% latency in wrk output:\n" + out);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    static double num(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("'" + regex + "' not in wrk output:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }
}
