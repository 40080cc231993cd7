// bench/policy/PolicyBench.java — load generator behind bench/policy/run: installs a realistic
// policy through policy-service's own API, then measures single and batch decisions over HTTP.
// Compiled with bench/lib/BenchJwt.java; needs no library.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

public class PolicyBench {

    static final String[] ROLES = {"tenant-admin", "steward", "viewer", "auditor"};
    static final String[] SERVICES = {"ingest", "contracts", "enrichment", "lineage", "policy"};
    static final String[] OBJECTS = {"dataset", "upload", "version", "rows", "run", "contract", "validation", "plan",
        "registry", "event", "audit", "apikey"};
    static final String[] VERBS = {"read", "list", "create", "update", "delete", "commit", "query", "verify"};

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "keys" -> BenchJwt.keys(Path.of(args[1]));
            case "setup" -> setup(args[1], Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            case "decide" -> decide(args[1], Path.of(args[2]), args[3], Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]),
                    Integer.parseInt(args[8]));
            // The single part driven by wrk: request bodies for its script, the bearer token, its report.
            case "bodies" -> bodies(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            case "token" -> System.out.println(BenchJwt.token(Path.of(args[1]), "bench-gateway", "platform", "hotpass-service"));
            case "wrk-report" -> wrkReport(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Long.parseLong(args[4]), args.length > 5 ? args[5] : "0", args.length > 6 && args[6].equals("1"));
            case "wrk-floor" -> {
                WrkOutput w = WrkOutput.parse(Files.readString(Path.of(args[1])));
                System.err.printf(Locale.ROOT, "policy floor (GET /policy/version, wrk): %.0f calls/s, p50 %.2f ms, p90 %.2f ms,"
                        + " p99 %.2f ms, %d errors%n", w.rps(), w.p50(), w.p90(), w.p99(), w.non2xx() + w.errors());
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static String tenant(int i) {
        return String.format(Locale.ROOT, "bench-t%02d", i);
    }

    /**
     * The policy: the default rules, plus per tenant {@code rulesPerTenant} tenant-scoped
     * permissions (allow and deny on varied action patterns) and {@code bindings} subject bindings
     * spread over the tenants. Installed as one bundle import, so it is validated like any change.
     */
    static void setup(String base, Path keys, int tenants, int rulesPerTenant, int bindings) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String admin = BenchJwt.token(keys, "bench-admin", "platform", "platform-admin");
        HttpResponse<String> current = http.send(HttpRequest.newBuilder(URI.create(base + "/policy/bundle"))
                .header("Authorization", "Bearer " + admin).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (current.statusCode() != 200) {
            throw new IllegalStateException("GET /policy/bundle: " + current.statusCode() + " " + current.body());
        }
        String existing = current.body().replaceAll("(?s).*\"rules\":\\[(.*)\\].*", "$1");
        StringBuilder rules = new StringBuilder(existing);
        Random r = new Random(42);
        int count = 0;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int t = 0; t < tenants; t++) {
            for (int k = 0; k < rulesPerTenant; k++) {
                String action = SERVICES[r.nextInt(SERVICES.length)] + ":" + OBJECTS[r.nextInt(OBJECTS.length)] + ":"
                        + (r.nextBoolean() ? "*" : VERBS[r.nextInt(VERBS.length)]);
                String effect = k % 4 == 0 ? "deny" : "allow";
                String resource = "tenant/" + tenant(t) + (r.nextBoolean() ? "/*" : "/datasets/" + r.nextInt(50) + "*");
                if (!seen.add(effect + ROLES[k % ROLES.length] + t + action + resource)) {
                    k--; // the same rule twice is refused (duplicate_rule): draw another
                    continue;
                }
                rules.append(",{\"type\":\"").append(effect).append("\",\"role\":\"").append(ROLES[k % ROLES.length])
                        .append("\",\"tenant\":\"").append(tenant(t)).append("\",\"action\":\"").append(action)
                        .append("\",\"resource\":\"").append(resource).append("\"}");
                count++;
            }
        }
        for (int b = 0; b < bindings; b++) {
            rules.append(",{\"type\":\"binding\",\"subject\":\"user-").append(b).append("\",\"role\":\"")
                    .append(ROLES[b % ROLES.length]).append("\",\"tenant\":\"").append(tenant(b % tenants)).append("\"}");
        }
        String bundle = "{\"format\":\"hotpass-policy-bundle/1\",\"comment\":\"bench policy\",\"rules\":[" + rules + "]}";
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + "/policy/bundle"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(bundle)).build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 201) {
            throw new IllegalStateException("PUT /policy/bundle: " + put.statusCode() + " " + put.body());
        }
        System.err.printf(Locale.ROOT, "policy: installed %d tenant rules and %d bindings for %d tenants (%s)%n", count,
                bindings, tenants, put.body());
    }

    static String request(Random r, int tenants, int bindings) {
        int t = r.nextInt(tenants);
        int resourceTenant = r.nextInt(10) == 0 ? r.nextInt(tenants) : t; // one in ten reaches elsewhere
        boolean bound = r.nextInt(3) == 0;
        String subject = bound ? "user-" + (r.nextInt(bindings / tenants) * tenants + t) : "user-x" + r.nextInt(10_000);
        String roles = bound ? "[]" : "[\"" + ROLES[r.nextInt(ROLES.length)] + "\"]";
        String action = SERVICES[r.nextInt(SERVICES.length)] + ":" + OBJECTS[r.nextInt(OBJECTS.length)] + ":"
                + VERBS[r.nextInt(VERBS.length)];
        return "{\"subject\":\"" + subject + "\",\"tenant\":\"" + tenant(t) + "\",\"roles\":" + roles + ",\"action\":\""
                + action + "\",\"resource\":\"tenant/" + tenant(resourceTenant) + "/datasets/" + r.nextInt(200) + "\"}";
    }

    /** {@code count} single-decision bodies, one a line, drawn as the JVM client draws them. */
    static void bodies(Path file, int count, int tenants, int bindings) throws Exception {
        Random r = new Random(7);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.append(request(r, tenants, bindings)).append('\n');
        }
        Files.writeString(file, b);
    }

    /**
     * The single part's JSON line from a {@code wrk --latency} run over the bodies above, with the
     * service's CPU time (user + system, ms) over the run, each connection's think time between calls
     * (ms; 0 = a closed loop) and whether service and load were pinned to a CPU each.
     */
    static void wrkReport(Path wrkOut, int clients, int seconds, long serviceCpuMs, String thinkMs, boolean pinned) throws Exception {
        WrkOutput w = WrkOutput.parse(Files.readString(wrkOut));
        long errors = w.non2xx() + w.errors();
        double cpuPerCall = w.requests() == 0 ? 0 : serviceCpuMs * 1000.0 / w.requests();
        String ours = String.format(Locale.ROOT, "\"decisions_per_s\":%.0f,\"decisions\":%d,\"calls\":%d,"
                + "\"call_p50_ms\":%.3f,\"call_p90_ms\":%.3f,\"call_p99_ms\":%.3f,\"service_cpu_us_per_call\":%.0f,"
                + "\"errors\":%d,\"clients\":%d,\"batch\":1,\"seconds\":%d,\"client\":\"wrk\",\"think_ms\":%s,\"pinned\":%b",
                w.rps(), w.requests(), w.requests(), w.p50(), w.p90(), w.p99(), cpuPerCall, errors, clients, seconds,
                new java.math.BigDecimal(thinkMs).toPlainString(), pinned);
        singleLine(ours, w.p99(), errors);
        System.err.printf(Locale.ROOT, "policy single (wrk, think %s ms%s): %.0f decisions/s, call p50 %.2f ms, p99 %.2f ms, service CPU %.0f µs"
                + " a call, %d errors%n", thinkMs, pinned ? ", pinned" : "", w.rps(), w.p50(), w.p99(), cpuPerCall, errors);
    }

    static void singleLine(String ours, double p99, long errors) {
        System.out.printf(Locale.ROOT, "{\"benchmark\":\"policy\",\"part\":\"single\",\"metric\":\"call_p99_ms\","
                + "\"ours\":{%s},\"peer\":{\"call_p99_ms\":2.0,\"kind\":\"target from issue 4\"},"
                + "\"ratio\":%.3f,\"target\":\"<=1.0\",\"met\":%b,\"machine\":{\"cores\":%d}}%n", ours,
                p99 / 2.0, p99 <= 2.0 && errors == 0, Runtime.getRuntime().availableProcessors());
    }

    /** {@code batch} 1 posts to /decisions; more posts that many requests a call to /decisions/batch. */
    static void decide(String base, Path keys, String part, int clients, int seconds, int batch, int tenants,
            int bindings) throws Exception {
        String token = BenchJwt.token(keys, "bench-gateway", "platform", "hotpass-service");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String path = batch == 1 ? "/decisions" : "/decisions/batch";
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong decisions = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong allowed = new AtomicLong();
        List<Future<long[]>> futures = new ArrayList<>();
        // Warm-up: 5 s, not counted.
        for (int phase = 0; phase < 2; phase++) {
            long end = System.nanoTime() + Duration.ofSeconds(phase == 0 ? 5 : seconds).toNanos();
            boolean measured = phase == 1;
            futures.clear();
            for (int c = 0; c < clients; c++) {
                int seed = c + phase * 1000;
                futures.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    long[] lat = new long[1 << 20];
                    int n = 0;
                    while (System.nanoTime() < end) {
                        String body;
                        if (batch == 1) {
                            body = request(r, tenants, bindings);
                        } else {
                            StringBuilder b = new StringBuilder("{\"requests\":[");
                            for (int i = 0; i < batch; i++) {
                                b.append(i == 0 ? "" : ",").append(request(r, tenants, bindings));
                            }
                            body = b.append("]}").toString();
                        }
                        long t0 = System.nanoTime();
                        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + path))
                                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        long t1 = System.nanoTime();
                        if (!measured) {
                            continue;
                        }
                        if (res.statusCode() != 200) {
                            errors.incrementAndGet();
                            continue;
                        }
                        decisions.addAndGet(batch);
                        allowed.addAndGet(count(res.body(), "\"allow\":true"));
                        if (n < lat.length) {
                            lat[n++] = t1 - t0;
                        }
                    }
                    return Arrays.copyOf(lat, n);
                }));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> f : futures) {
                all.add(f.get());
            }
            if (measured) {
                long[] lat = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
                double rate = decisions.get() / (double) seconds;
                double p50 = lat.length == 0 ? 0 : lat[lat.length / 2] / 1e6;
                double p99 = lat.length == 0 ? 0 : lat[(int) Math.min(lat.length - 1, Math.ceil(lat.length * 0.99) - 1)] / 1e6;
                double cores = Runtime.getRuntime().availableProcessors();
                String ours = String.format(Locale.ROOT, "\"decisions_per_s\":%.0f,\"decisions\":%d,\"calls\":%d,"
                        + "\"call_p50_ms\":%.3f,\"call_p99_ms\":%.3f,\"allowed_fraction\":%.3f,\"errors\":%d,"
                        + "\"clients\":%d,\"batch\":%d,\"seconds\":%d", rate, decisions.get(), lat.length, p50, p99,
                        decisions.get() == 0 ? 0 : allowed.get() / (double) decisions.get(), errors.get(), clients, batch,
                        seconds);
                if (batch == 1) {
                    singleLine(ours + ",\"client\":\"jvm\"", p99, errors.get());
                } else {
                    System.out.printf(Locale.ROOT, "{\"benchmark\":\"policy\",\"part\":\"batch\",\"metric\":\"decisions_per_s\","
                            + "\"ours\":{%s},\"peer\":{\"decisions_per_s\":20000,\"kind\":\"target from issue 4\"},"
                            + "\"ratio\":%.3f,\"target\":\">=1.0\",\"met\":%b,\"machine\":{\"cores\":%.0f}}%n", ours,
                            rate / 20000, rate >= 20000 && errors.get() == 0, cores);
                }
                System.err.printf(Locale.ROOT, "policy %s: %.0f decisions/s, call p50 %.2f ms, p99 %.2f ms, %d errors%n",
                        part, rate, p50, p99, errors.get());
            }
        }
        pool.shutdownNow();
    }

    static long count(String s, String needle) {
        long n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
