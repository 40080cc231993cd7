package io.hotpass.enrichment.resolution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The body of bench/resolve/run (not a test): resolves an NDJSON file of canonical organisation rows
 * ({@code _rowId}, name, email, phone, website, registration_number) and scores the result against
 * gen_orgs.py's truth file. Prints one JSON line in the bench/README.md shape.
 *
 * <p>Usage: {@code ResolveBenchmark ROWS.ndjson TRUTH.csv}
 */
public final class ResolveBenchmark {

    private ResolveBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path rows = Path.of(args[0]);
        List<String[]> truth = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(Path.of(args[1]), StandardCharsets.UTF_8)) {
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                truth.add(line.split(",", 2));
            }
        }
        ResolutionSettings settings = ResolutionSettings.defaults();

        // Warm-up: the same path on the first 20,000 rows, so the measured run is not the JIT's first.
        List<OrgRecord> warm = read(json, rows, 20_000);
        new EntityResolver(settings).resolve(warm);
        warm = null;

        long heapBefore = liveHeap();
        gcSeconds = 0;
        java.lang.management.ManagementFactory.getMemoryPoolMXBeans().forEach(
                java.lang.management.MemoryPoolMXBean::resetPeakUsage);
        long start = System.nanoTime();
        List<OrgRecord> records = read(json, rows, Integer.MAX_VALUE);
        long heapRecords = liveHeap() - heapBefore;
        ResolutionResult result = new EntityResolver(settings).resolve(records);
        double wallSeconds = (System.nanoTime() - start) / 1e9 - gcSeconds;
        PairwiseQuality q = PairwiseQuality.of(result.clusters(), truth);

        // Peer: all-pairs comparison. Its time is extrapolated from timing random pairs with the same comparator.
        double allPairsSeconds = estimateAllPairsSeconds(records, settings, result.allPairs());

        double ratio = (double) result.pairsCompared() / result.allPairs();
        boolean met = ratio <= 0.01 && wallSeconds <= 60 && q.f1() >= 0.95;
        ObjectNode out = json.createObjectNode();
        out.put("benchmark", "resolve");
        out.put("metric", "pairs_compared");
        ObjectNode ours = out.putObject("ours");
        ours.put("pairs_compared", result.pairsCompared());
        ours.put("wall_s", round(wallSeconds, 2));
        ours.put("precision", round(q.precision(), 4));
        ours.put("recall", round(q.recall(), 4));
        ours.put("f1", round(q.f1(), 4));
        ours.put("clusters", result.clusters().size());
        ours.put("oversized_blocks", result.oversizedBlocks());
        ours.put("links_rejected_by_chain_guard", result.linksRejectedByChainGuard());
        ours.put("em_iterations", result.model().iterations());
        ours.put("lambda", round(result.model().lambda(), 5));
        ObjectNode peer = out.putObject("peer");
        peer.put("name", "all-pairs comparison");
        peer.put("pairs_compared", result.allPairs());
        peer.put("estimated_wall_s", round(allPairsSeconds, 0));
        out.put("ratio", ratio);
        out.put("reduction_ratio", round(result.reductionRatio(), 6));
        out.put("target", "<=0.01");
        out.putPOJO("targets", Map.of("wall_s", "<=60", "f1", ">=0.95", "ratio", "<=0.01"));
        out.put("met", met);
        out.put("rows", result.records());
        out.put("true_pairs", q.truePairs());
        ObjectNode machine = out.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        // What a merge plan holds: the records read (live after a full GC), and the JVM's peak use of
        // the heap while resolving (garbage included, so an upper bound; bisect -Xmx through
        // HOTPASS_BENCH_JAVA_OPTS for the floor).
        ObjectNode memory = out.putObject("memory");
        memory.put("records_live_mib", round(heapRecords / 1048576.0, 1));
        memory.put("records_bytes_per_row", records.isEmpty() ? 0 : heapRecords / records.size());
        long peak = 0;
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        memory.put("heap_peak_mib", round(peak / 1048576.0, 1));
        System.out.println(json.writeValueAsString(out));
    }

    private static double gcSeconds;

    /** Heap in use after a full collection (the time it takes is kept out of the measured wall time). */
    private static long liveHeap() {
        long t = System.nanoTime();
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        gcSeconds += (System.nanoTime() - t) / 1e9;
        return rt.totalMemory() - rt.freeMemory();
    }

    private static List<OrgRecord> read(ObjectMapper json, Path rows, int limit) throws IOException {
        List<OrgRecord> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(rows, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null && out.size() < limit; line = r.readLine()) {
                JsonNode n = json.readTree(line);
                @SuppressWarnings("unchecked")
                Map<String, Object> row = json.convertValue(n, Map.class);
                out.add(OrgRecord.fromRow(n.get("_rowId").asText(), row));
            }
        }
        return out;
    }

    private static double estimateAllPairsSeconds(List<OrgRecord> records, ResolutionSettings s, long allPairs) {
        OrgNormaliser normaliser = new OrgNormaliser(s.phoneRegion());
        NormalisedOrg[] orgs = records.stream().map(normaliser::normalise).toArray(NormalisedOrg[]::new);
        Comparison.Comparator comparator = new Comparison.Comparator();
        SplittableRandom random = new SplittableRandom(1);
        int samples = 2_000_000;
        long sink = 0;
        long start = System.nanoTime();
        for (int i = 0; i < samples; i++) {
            sink += comparator.compare(orgs[random.nextInt(orgs.length)], orgs[random.nextInt(orgs.length)]);
        }
        double perPair = (System.nanoTime() - start) / 1e9 / samples;
        if (sink == 42) {
            System.err.print("");
        }
        return perPair * allPairs;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
