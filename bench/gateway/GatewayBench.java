// bench/gateway/GatewayBench.java — helpers for bench/gateway/run: keys in the formats the gateway
// and the services read, a direct token minted exactly as the gateway mints its internal tokens,
// and the JSON lines from two wrk runs (parsed by bench/lib/WrkOutput.java).
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;

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

    static void report(Path gatewayOut, Path directOut, Path gatewayOne, Path directOne, int connections, int seconds,
            String load) throws Exception {
        WrkOutput g = WrkOutput.parse(Files.readString(gatewayOut));
        WrkOutput d = WrkOutput.parse(Files.readString(directOut));
        WrkOutput g1 = WrkOutput.parse(Files.readString(gatewayOne));
        WrkOutput d1 = WrkOutput.parse(Files.readString(directOne));
        for (WrkOutput w : new WrkOutput[] {g, d, g1, d1}) {
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
