// bench/lineage/LineageBench.java — the load generator and graph builder behind bench/lineage/run.
// Compiled with bench/lib/BenchJwt.java by bench/lineage/run; the only library it needs is the
// PostgreSQL JDBC driver, for COPY. It mints its own internal JWTs with a key whose JWKS the bench
// instance of lineage-service trusts, so it needs no gateway credentials.
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

public class LineageBench {

    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "keys" -> keys(Path.of(args[1]));
            case "ingest" -> ingest(args[1], Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]), Long.parseLong(args[7]));
            case "graph" -> graph(args[1], Path.of(args[2]), args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    Integer.parseInt(args[6]), Integer.parseInt(args[7]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    // ---- keys and tokens: bench/lib/BenchJwt.java ------------------------------------------

    static void keys(Path dir) throws Exception {
        BenchJwt.keys(dir);
    }

    static String token(Path dir, String tenant) throws Exception {
        return BenchJwt.token(dir, "bench", tenant, "tenant-admin");
    }

    // ---- (a) ingestion -----------------------------------------------------------------------

    static final String PRODUCER = "https://github.com/hotpass/bench/lineage";
    static final String PAD = "x".repeat(1200);

    /** A START or COMPLETE event of about 4 KB: facets on the run, the job, two inputs and an output. */
    static String event(String type, Instant time, UUID runId, int job, int in1, int in2, int out) {
        StringBuilder b = new StringBuilder(4600);
        b.append("{\"eventType\":\"").append(type).append("\",\"eventTime\":\"").append(time).append("\",\"producer\":\"")
                .append(PRODUCER).append("\",\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\",")
                .append("\"run\":{\"runId\":\"").append(runId).append("\",\"facets\":{")
                .append("\"nominalTime\":{\"_producer\":\"").append(PRODUCER).append("\",\"_schemaURL\":\"https://openlineage.io/spec/facets/1-0-0/NominalTimeRunFacet.json\",\"nominalStartTime\":\"").append(time).append("\"},")
                .append("\"processing_engine\":{\"_producer\":\"").append(PRODUCER).append("\",\"_schemaURL\":\"https://openlineage.io/spec/facets/1-1-1/ProcessingEngineRunFacet.json\",\"version\":\"3.5.1\",\"name\":\"spark\"},")
                .append("\"benchPadding\":{\"_producer\":\"").append(PRODUCER).append("\",\"_schemaURL\":\"https://example.com/bench.json\",\"notes\":\"").append(PAD).append("\"}}},")
                .append("\"job\":{\"namespace\":\"bench\",\"name\":\"etl.job_").append(job).append("\",\"facets\":{")
                .append("\"jobType\":{\"_producer\":\"").append(PRODUCER).append("\",\"_schemaURL\":\"https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json\",\"processingType\":\"BATCH\",\"integration\":\"SPARK\",\"jobType\":\"JOB\"},")
                .append("\"sourceCodeLocation\":{\"_producer\":\"").append(PRODUCER).append("\",\"_schemaURL\":\"https://openlineage.io/spec/facets/1-0-1/SourceCodeLocationJobFacet.json\",\"type\":\"git\",\"url\":\"https://git.example.com/etl/job_").append(job).append(".py\"}}},");
        b.append("\"inputs\":[");
        dataset(b, in1, 10, null);
        b.append(',');
        dataset(b, in2, 10, null);
        b.append("],\"outputs\":[");
        dataset(b, out, 12, "COMPLETE".equals(type) ? in1 : -1);
        b.append("]}");
        return b.toString();
    }

    static void dataset(StringBuilder b, int id, int fields, Integer columnSource) {
        b.append("{\"namespace\":\"bench\",\"name\":\"warehouse.table_").append(id).append("\",\"facets\":{\"schema\":{\"_producer\":\"")
                .append(PRODUCER).append("\",\"_schemaURL\":\"https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json\",\"fields\":[");
        for (int f = 0; f < fields; f++) {
            b.append(f == 0 ? "" : ",").append("{\"name\":\"column_").append(f).append("\",\"type\":\"VARCHAR\",\"description\":\"column ").append(f).append("\"}");
        }
        b.append("]}");
        if (columnSource != null && columnSource >= 0) {
            b.append(",\"columnLineage\":{\"_producer\":\"").append(PRODUCER).append("\",\"_schemaURL\":\"https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json\",\"fields\":{");
            for (int f = 0; f < 3; f++) {
                b.append(f == 0 ? "" : ",").append("\"column_").append(f).append("\":{\"inputFields\":[{\"namespace\":\"bench\",\"name\":\"warehouse.table_")
                        .append(columnSource).append("\",\"field\":\"column_").append(f).append("\",\"transformations\":[{\"type\":\"DIRECT\",\"subtype\":\"IDENTITY\"}]}]}");
            }
            b.append("}}");
        }
        b.append("}}");
    }

    static void ingest(String base, Path keys, int events, int clients, int batch, int warmup, long servicePid)
            throws Exception {
        String token = token(keys, batch > 1 ? "bench-ingest-batch" : "bench-ingest");
        int runs = events / 2;
        int jobs = 2000;
        int datasets = 6000;
        // Warm-up (another tenant, not counted): JIT, pools, prepared statements. It has to be long:
        // on two cores C2 was still compiling 15–20 s into the service's life, half its CPU in the
        // middle of a 10,000-event run after 2,000 warm-up events (perf, 2026-11-27).
        runIngest(base, token(keys, "bench-warmup"), warmup / 2, clients, jobs, datasets, new Random(7), batch);
        double[] cpu0 = Cpu.sample(servicePid);
        long t0 = System.nanoTime();
        long[] stats = runIngest(base, token, runs, clients, jobs, datasets, new Random(42), batch);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[] cpu = Cpu.since(cpu0, servicePid);
        double rate = stats[0] / seconds;
        String path = batch > 1 ? "POST /api/v1/lineage/batch, " + batch + " events a request" : "POST /api/v1/lineage, one event a request";
        System.err.printf(Locale.ROOT, "ingest (%s): %d events (%d bytes avg) in %.1f s with %d clients: %.0f events/s, %d errors%n",
                path, stats[0], stats[2] / Math.max(1, stats[0]), seconds, clients, rate, stats[1]);
        double perEvent = 1000.0 / Math.max(1, stats[0]);
        System.err.printf(Locale.ROOT, "ingest CPU an event (measured events only): service %.2f ms, PostgreSQL %.2f ms, everything"
                + " else (this client, the kernel) %.2f ms%n", cpu[0] * perEvent, cpu[1] * perEvent, cpu[2] * perEvent);
        System.out.printf(Locale.ROOT, "{\"benchmark\":\"lineage\",\"metric\":\"events_per_s\",\"ours\":{\"events_per_s\":%.0f,"
                + "\"events\":%d,\"errors\":%d,\"avg_event_bytes\":%d,\"clients\":%d,\"seconds\":%.1f,\"warmup_events\":%d,"
                + "\"cpu_ms_per_event\":{\"service\":%.3f,\"postgres\":%.3f,\"other\":%.3f}},"
                + "\"peer\":{\"events_per_s\":2000,\"kind\":\"target from issue 8 (no Marquez on this machine to measure)\"},"
                + "\"ratio\":%.3f,\"target\":\">=1.0\",\"met\":%b,\"part\":\"a-ingestion\",\"path\":\"%s; direct to lineage-service, harness-minted JWT\","
                + "\"machine\":{\"cores\":%d,\"mem_gib\":%.1f}}%n", rate, stats[0], stats[1], stats[2] / Math.max(1, stats[0]), clients,
                seconds, warmup, cpu[0] * perEvent, cpu[1] * perEvent, cpu[2] * perEvent, rate / 2000, rate >= 2000 && stats[1] == 0, path, Runtime.getRuntime().availableProcessors(), memGib());
    }

    /** CPU seconds from /proc: the service's, PostgreSQL's (every process named postgres) and the machine's. */
    static final class Cpu {
        private static final double TICK = 100.0; // USER_HZ on Linux

        /** {service, postgres, machine} CPU seconds so far. */
        static double[] sample(long servicePid) throws IOException {
            double pg = 0;
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    try {
                        if (Files.readString(p.resolve("comm")).trim().equals("postgres")) {
                            pg += process(p);
                        }
                    } catch (IOException gone) {
                        // ended meanwhile
                    }
                }
            }
            String[] all = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            double machine = (Long.parseLong(all[1]) + Long.parseLong(all[2]) + Long.parseLong(all[3])
                    + Long.parseLong(all[6]) + Long.parseLong(all[7])) / TICK;
            return new double[] {process(Path.of("/proc", Long.toString(servicePid))), pg, machine};
        }

        /** {service, postgres, everything else} CPU seconds since {@code before}. */
        static double[] since(double[] before, long servicePid) throws IOException {
            double[] now = sample(servicePid);
            double service = now[0] - before[0];
            double pg = now[1] - before[1];
            return new double[] {service, pg, (now[2] - before[2]) - service - pg};
        }

        private static double process(Path proc) throws IOException {
            String stat = Files.readString(proc.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICK; // utime, stime (fields 14, 15)
        }
    }

    /** Posts START then COMPLETE for each run, runs spread over the clients; returns {events, errors, bytes}. */
    static long[] runIngest(String base, String token, int runs, int clients, int jobs, int datasets, Random seed, int batch)
            throws Exception {
        long[] seeds = new long[clients];
        for (int i = 0; i < clients; i++) {
            seeds[i] = seed.nextLong();
        }
        AtomicLong sent = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        Instant t = Instant.now().minusSeconds(3600);
        for (int c = 0; c < clients; c++) {
            Random r = new Random(seeds[c]);
            futures.add(pool.submit(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
                int i;
                List<String> pending = new ArrayList<>();
                while ((i = next.getAndIncrement()) < runs) {
                    UUID runId = new UUID(r.nextLong(), r.nextLong());
                    int job = r.nextInt(jobs);
                    int in1 = r.nextInt(datasets);
                    int in2 = r.nextInt(datasets);
                    int out = r.nextInt(datasets);
                    Instant start = t.plusMillis(i);
                    for (String type : new String[] {"START", "COMPLETE"}) {
                        String body = event(type, "START".equals(type) ? start : start.plusSeconds(30), runId, job, in1, in2, out);
                        bytes.addAndGet(body.length());
                        pending.add(body);
                        if (pending.size() >= batch) {
                            send(http, base, token, pending, errors);
                            sent.addAndGet(pending.size());
                            pending.clear();
                        }
                    }
                }
                if (!pending.isEmpty()) {
                    send(http, base, token, pending, errors);
                    sent.addAndGet(pending.size());
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return new long[] {sent.get(), errors.get(), bytes.get()};
    }

    /** One event to /api/v1/lineage, or several to /api/v1/lineage/batch; counts the events that failed. */
    static void send(HttpClient http, String base, String token, List<String> events, AtomicLong errors) {
        boolean single = events.size() == 1;
        String body = single ? events.get(0) : "[" + String.join(",", events) + "]";
        try {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + (single ? "/api/v1/lineage" : "/api/v1/lineage/batch")))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (single ? res.statusCode() != 201 : res.statusCode() != 200 || !res.body().contains("\"failed\":0")) {
                errors.addAndGet(single ? 1 : Math.max(1, count(res.body(), "\"index\"")));
            }
        } catch (IOException | InterruptedException e) {
            errors.addAndGet(events.size());
        }
    }

    // ---- (b) graph queries -----------------------------------------------------------------

    static void graph(String base, Path keys, String jdbcUrl, int jobs, int datasets, int queries, int depth) throws Exception {
        String tenant = "bench-graph";
        int pipelines = jobs / 100;
        int perPipeline = datasets / pipelines; // 200 datasets and 100 jobs a pipeline
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", System.getenv().getOrDefault("PGPASSWORD", "postgres"))) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String t : List.of("lineage_edge", "lineage_job", "lineage_dataset", "lineage_namespace")) {
                    s.execute("delete from " + t + " where tenant_id = '" + tenant + "'");
                }
            }
            CopyManager copy = new CopyManager(c.unwrap(BaseConnection.class));
            copy.copyIn("copy lineage_namespace (tenant_id, name) from stdin", new StringReader(tenant + "\tgraph\n"));
            // Node ids: jobs 1_000_000_001.., datasets 2_000_000_001.. (far above the sequence, so no clash).
            StringBuilder b = new StringBuilder(jobs * 48);
            for (int j = 0; j < jobs; j++) {
                b.append(jobId(j)).append('\t').append(tenant).append("\tgraph\tpipeline_").append(j / 100).append(".step_").append(j % 100).append('\n');
            }
            copy.copyIn("copy lineage_job (id, tenant_id, namespace, name) from stdin", new StringReader(b.toString()));
            b.setLength(0);
            for (int d = 0; d < datasets; d++) {
                b.append(datasetId(d)).append('\t').append(tenant).append("\tgraph\tpipeline_").append(d / perPipeline).append(".table_").append(d % perPipeline).append('\n');
            }
            copy.copyIn("copy lineage_dataset (id, tenant_id, namespace, name) from stdin", new StringReader(b.toString()));
            b.setLength(0);
            long edges = 0;
            // Chains: step k of pipeline p reads table 2k and writes tables 2k+1 and 2k+2 of its pipeline.
            // Cross links: it also reads table 2k+1 of the next pipeline (fan-in 2, and cones that widen
            // with depth). Fans: every tenth step reads one of 100 hub tables (each hub feeds 100 jobs).
            for (int p = 0; p < pipelines; p++) {
                for (int k = 0; k < 100; k++) {
                    long job = jobId(p * 100 + k);
                    edges += edge(b, ds(p, 2 * k, perPipeline), job);
                    edges += edge(b, ds((p + 1) % pipelines, 2 * k + 1, perPipeline), job);
                    if (k % 10 == 0 && ds((p * 7 + k) % 100, 0, perPipeline) != ds(p, 2 * k, perPipeline)) {
                        edges += edge(b, ds((p * 7 + k) % 100, 0, perPipeline), job);
                    }
                    edges += edge(b, job, ds(p, 2 * k + 1, perPipeline));
                    if (2 * k + 2 < perPipeline) {
                        edges += edge(b, job, ds(p, 2 * k + 2, perPipeline));
                    }
                }
            }
            copy.copyIn("copy lineage_edge (tenant_id, src, dst) from stdin", new StringReader(b.toString().replace("T\t", tenant + "\t")));
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("analyze lineage_edge");
                s.execute("analyze lineage_job");
                s.execute("analyze lineage_dataset");
            }
            System.err.printf(Locale.ROOT, "graph: loaded %d jobs, %d datasets, %d edges with COPY in %.1f s%n", jobs, datasets, edges,
                    (System.nanoTime() - t0) / 1e9);
        }
        String token = token(keys, tenant);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Random r = new Random(42);
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < queries + 20; i++) {
            if (r.nextInt(3) == 0) {
                int j = r.nextInt(jobs);
                nodes.add("job:graph:pipeline_" + (j / 100) + ".step_" + (j % 100));
            } else {
                int d = r.nextInt(datasets);
                nodes.add("dataset:graph:pipeline_" + (d / perPipeline) + ".table_" + (d % perPipeline));
            }
        }
        double[] ms = new double[queries];
        long nodeTotal = 0;
        long bytesTotal = 0;
        for (int i = 0; i < nodes.size(); i++) {
            long q0 = System.nanoTime();
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/lineage?depth=" + depth + "&nodeId="
                    + java.net.URLEncoder.encode(nodes.get(i), StandardCharsets.UTF_8))).header("Authorization", "Bearer " + token)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            double elapsed = (System.nanoTime() - q0) / 1e6;
            if (res.statusCode() != 200) {
                throw new IllegalStateException(nodes.get(i) + " answered " + res.statusCode() + ": " + res.body());
            }
            if (i >= 20) { // the first 20 are warm-up
                ms[i - 20] = elapsed;
                nodeTotal += count(res.body(), "\"inEdges\"");
                bytesTotal += res.body().length();
            }
        }
        Arrays.sort(ms);
        double p50 = ms[(int) Math.ceil(0.50 * queries) - 1];
        double p95 = ms[(int) Math.ceil(0.95 * queries) - 1];
        System.err.printf(Locale.ROOT, "graph: %d queries at depth %d: p50 %.1f ms, p95 %.1f ms, max %.1f ms, %d nodes and %d KB an answer on average%n",
                queries, depth, p50, p95, ms[queries - 1], nodeTotal / queries, bytesTotal / queries / 1024);
        System.out.printf(Locale.ROOT, "{\"benchmark\":\"lineage\",\"metric\":\"p95_ms\",\"ours\":{\"p50_ms\":%.1f,\"p95_ms\":%.1f,"
                + "\"max_ms\":%.1f,\"avg_nodes\":%d,\"avg_kb\":%d,\"queries\":%d,\"depth\":%d,\"jobs\":%d,\"datasets\":%d},"
                + "\"peer\":{\"p95_ms\":10000,\"kind\":\"Marquez /api/v1/lineage in production, 10-15 s (MarquezProject/marquez#3058), cited not measured\"},"
                + "\"ratio\":%.4f,\"target\":\"<=0.01\",\"met\":%b,\"part\":\"b-graph\",\"machine\":{\"cores\":%d,\"mem_gib\":%.1f}}%n",
                p50, p95, ms[queries - 1], nodeTotal / queries, bytesTotal / queries / 1024, queries, depth, jobs, datasets,
                p95 / 10000, p95 <= 100, Runtime.getRuntime().availableProcessors(), memGib());
    }

    static long jobId(int j) {
        return 1_000_000_001L + j;
    }

    static long ds(int pipeline, int index, int perPipeline) {
        return 2_000_000_001L + (long) pipeline * perPipeline + index;
    }

    static long datasetId(int d) {
        return 2_000_000_001L + d;
    }

    static int edge(StringBuilder b, long src, long dst) {
        b.append("T\t").append(src).append('\t').append(dst).append('\n');
        return 1;
    }

    static long count(String s, String needle) {
        long n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    static double memGib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return 0;
    }
}
