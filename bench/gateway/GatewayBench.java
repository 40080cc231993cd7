// bench/gateway/GatewayBench.java — helpers for bench/gateway/run: keys in the formats the gateway
// and the services read, a direct token minted exactly as the gateway mints its internal tokens,
// and the JSON lines from two wrk runs.
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class GatewayBench {

    private GatewayBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "keys" -> keys(Path.of(args[1]));
            // An internal token with the gateway's claims and key id, for calling the service directly.
            case "token" -> System.out.println(BenchJwt.tokenWithKid(Path.of(args[1]), args[2], args[3], args[4], args[5]));
            case "report" -> report(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), Path.of(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]), args[7]);
            default -> throw new IllegalArgumentException("keys | token | report");
        }
    }

    /** The gateway's signing key as PEM (what hotpass.gateway.signing.key-location reads) and as DER. */
    static void keys(Path dir) throws Exception {
        BenchJwt.keys(dir);
        byte[] der = Files.readAllBytes(dir.resolve("private-key.der"));
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(dir.resolve("signing-key.pem"), pem);
    }

    record Wrk(double rps, double p50, double p90, double p99, long requests, long non2xx, long errors) {
    }

    /** Parses `wrk --latency` output. */
    static Wrk parse(String out) {
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
        return new Wrk(rps, latency(out, "50"), latency(out, "90"), latency(out, "99"), requests, non2xx, errors);
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

    static void report(Path gatewayOut, Path directOut, Path gatewayOne, Path directOne, int connections, int seconds,
            String load) throws Exception {
        Wrk g = parse(Files.readString(gatewayOut));
        Wrk d = parse(Files.readString(directOut));
        Wrk g1 = parse(Files.readString(gatewayOne));
        Wrk d1 = parse(Files.readString(directOne));
        for (Wrk w : new Wrk[] {g, d, g1, d1}) {
            if (w.non2xx() > 0 || w.errors() > 0) {
                throw new IllegalStateException("errors during the run: gateway " + g + ", direct " + d + ", one connection: "
                        + g1 + ", " + d1);
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        double memGib = Math.round(((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize() / (1024.0 * 1024 * 1024) * 10) / 10.0;
        String machine = String.format(Locale.ROOT, "{\"cores\":%d,\"mem_gib\":%.1f,\"load_before\":\"%s\"}", cores, memGib, load);
        String common = String.format(Locale.ROOT, "\"connections\":%d,\"seconds\":%d,\"requests\":{\"gateway\":%d,\"direct\":%d},"
                + "\"route\":\"GET /api/v1/ingest/datasets?limit=1 (gateway) vs GET /datasets?limit=1 (ingest-service)\"",
                connections, seconds, g.requests(), d.requests());
        double ratio = g.rps() / d.rps();
        System.out.println(String.format(Locale.ROOT, "{\"benchmark\":\"gateway\",\"metric\":\"requests_per_s\","
                + "\"ours\":{\"requests_per_s\":%.0f,\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f},"
                + "\"peer\":{\"requests_per_s\":%.0f,\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f},"
                + "\"ratio\":%.3f,\"target\":\">=0.7\",\"met\":%b,%s,\"machine\":%s}",
                g.rps(), g.p50(), g.p90(), g.p99(), d.rps(), d.p50(), d.p90(), d.p99(), ratio, ratio >= 0.7, common, machine));
        // Added latency is measured with one connection (no queueing behind other requests on two cores).
        double added = g1.p99() - d1.p99();
        System.out.println(String.format(Locale.ROOT, "{\"benchmark\":\"gateway\",\"metric\":\"p99_ms\","
                + "\"ours\":{\"p50_ms\":%.2f,\"p99_ms\":%.2f},\"peer\":{\"p50_ms\":%.2f,\"p99_ms\":%.2f},\"ratio\":%.3f,"
                + "\"added_p50_ms\":%.2f,\"added_p99_ms\":%.2f,\"target\":\"added_p99_ms<=2.0\",\"met\":%b,"
                + "\"connections\":1,\"seconds\":%d,\"requests\":{\"gateway\":%d,\"direct\":%d},\"machine\":%s}",
                g1.p50(), g1.p99(), d1.p50(), d1.p99(), g1.p99() / d1.p99(), g1.p50() - d1.p50(), added, added <= 2.0,
                seconds, g1.requests(), d1.requests(), machine));
    }
}
