package io.hotpass.enrichment.resolution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Finds records of one organisation among many: normalise, block, compare, estimate a
 * Fellegi-Sunter model by EM, link pairs above a match probability, and cluster links by connected
 * components with a guard against long chains. Pure computation, no I/O; one instance per run
 * (not thread-safe).
 */
public final class EntityResolver {

    /**
     * Blocking rules whose pairs train m (see {@link FellegiSunterModel#train}): identifiers specific
     * enough that the pairs sharing one are mostly matches, so EM there separates the right classes.
     */
    private static final BlockingRule[] TRAINING_SESSIONS = {BlockingRule.REGISTRATION_NUMBER, BlockingRule.PHONE};
    private static final Comparison[] SESSION_FIXES = {Comparison.REGISTRATION_NUMBER, Comparison.PHONE};

    private final ResolutionSettings settings;

    public EntityResolver(ResolutionSettings settings) {
        this.settings = settings;
    }

    public ResolutionResult resolve(List<OrgRecord> input) {
        Compared c = compare(input, -1);
        return cluster(input, c.links(), c.pairsCompared(), c.model(), c.oversizedBlocks());
    }

    /**
     * Record linkage: for each record of {@code records} (a dataset), the one record of
     * {@code reference} (a registry) it is the same organisation as, if any. Only pairs across the
     * two lists are compared and trained on (duplicates within either list are not this method's
     * business). A record is linked when its best pair reaches the match probability and no other
     * reference record scores as well: two equally good candidates (a registry listing one
     * organisation twice) are ambiguous and link neither, as an exact key matching two rows does.
     */
    public LinkageResult link(List<OrgRecord> records, List<OrgRecord> reference) {
        int split = records.size();
        List<OrgRecord> all = new ArrayList<>(split + reference.size());
        all.addAll(records);
        all.addAll(reference);
        Compared c = compare(all, split);
        FellegiSunterModel model = c.model();
        CandidatePairs pairs = c.links();
        int[] best = new int[split];
        double[] bestWeight = new double[split];
        boolean[] tied = new boolean[split];
        Arrays.fill(best, -1);
        // Every pair compare() kept is a link (at or above the match probability).
        for (int p = 0; p < pairs.size(); p++) {
            int pattern = pairs.pattern(p);
            // Pairs are (smaller, larger) index, so the left one is the record, the right one the reference row.
            int i = pairs.left(p);
            double w = model.weight(pattern);
            if (best[i] < 0 || w > bestWeight[i]) {
                best[i] = p;
                bestWeight[i] = w;
                tied[i] = false;
            } else if (w == bestWeight[i]) {
                tied[i] = true;
            }
        }
        Map<String, ResolutionResult.Link> links = new LinkedHashMap<>();
        int ambiguous = 0;
        for (int i = 0; i < split; i++) {
            if (best[i] < 0) {
                continue;
            }
            if (tied[i]) {
                ambiguous++;
                continue;
            }
            int p = best[i];
            int pattern = pairs.pattern(p);
            links.put(all.get(i).id(), new ResolutionResult.Link(all.get(i).id(), all.get(pairs.right(p)).id(),
                    model.weight(pattern), model.probability(pattern), model.explain(pattern)));
        }
        return new LinkageResult(split, reference.size(), c.pairsCompared(), (long) split * reference.size(),
                c.oversizedBlocks(), ambiguous, links, model);
    }

    /** The pairs the model links (at or above the match probability), how many were compared, and the model. */
    private record Compared(CandidatePairs links, long pairsCompared, FellegiSunterModel model, int oversizedBlocks) {
    }

    /**
     * Normalises, blocks and compares the records, then estimates the model by EM. With
     * {@code split} ≥ 0 only pairs of one record below {@code split} and one at or above it are
     * compared (and sampled for u); with −1, every pair a block holds.
     */
    private Compared compare(List<OrgRecord> input, int split) {
        OrgNormaliser normaliser = new OrgNormaliser(settings.phoneRegion());
        int n = input.size();
        NormalisedOrg[] orgs = new NormalisedOrg[n];
        for (int i = 0; i < n; i++) {
            orgs[i] = normaliser.normalise(input.get(i));
        }
        BlockingRule[] rules = BlockingRule.values();
        String[][] keys = new String[rules.length][n];
        for (int r = 0; r < rules.length; r++) {
            for (int i = 0; i < n; i++) {
                keys[r][i] = rules[r].key(orgs[i], settings);
            }
        }
        // Blocks per rule, the oversized ones left out (and remembered, so a pair an earlier rule's
        // skipped block held is still compared by a later rule).
        List<List<int[]>> blocksByRule = new ArrayList<>();
        List<Set<String>> oversized = new ArrayList<>();
        int oversizedBlocks = 0;
        for (int r = 0; r < rules.length; r++) {
            Set<String> skipped = new HashSet<>();
            List<int[]> kept = new ArrayList<>();
            for (int[] block : blocks(keys[r])) {
                if (block.length > settings.maxBlockSize()) {
                    skipped.add(keys[r][block[0]]);
                    oversizedBlocks++;
                } else {
                    kept.add(block);
                }
            }
            oversized.add(skipped);
            blocksByRule.add(kept);
        }
        // Pass 1: compare every candidate pair once, keeping only its pattern (2 bytes; the pair's
        // indices are found again by enumerating the blocks in the same order), and count patterns
        // for EM. Holding (i, j, pattern) for every pair cost 10 bytes a pair: 200,000 generated rows
        // make 19.5 million pairs, and a 512 MiB heap was not enough.
        Comparison.Comparator comparator = new Comparison.Comparator();
        Patterns patterns = new Patterns();
        long[] counts = new long[Comparison.PATTERNS];
        long[][] sessionCounts = new long[TRAINING_SESSIONS.length][Comparison.PATTERNS];
        forEachPair(blocksByRule, keys, oversized, split, (i, j) -> {
            int pattern = comparator.compare(orgs[i], orgs[j]);
            patterns.add(pattern);
            counts[pattern]++;
            for (int s = 0; s < TRAINING_SESSIONS.length; s++) {
                String[] k = keys[TRAINING_SESSIONS[s].ordinal()];
                String key = k[i];
                if (key != null && key.equals(k[j])) {
                    sessionCounts[s][pattern]++;
                }
            }
        });
        List<FellegiSunterModel.Session> sessions = new ArrayList<>();
        for (int s = 0; s < TRAINING_SESSIONS.length; s++) {
            sessions.add(new FellegiSunterModel.Session(sessionCounts[s], SESSION_FIXES[s]));
        }
        FellegiSunterModel model = FellegiSunterModel.train(sessions, counts, randomPairPatterns(orgs, comparator, split),
                settings.emMaxIterations(), settings.emTolerance());
        // Pass 2: the same enumeration; only the pairs the model links are kept.
        CandidatePairs links = new CandidatePairs();
        int[] next = {0};
        forEachPair(blocksByRule, keys, oversized, split, (i, j) -> {
            int pattern = patterns.get(next[0]++);
            if (model.probability(pattern) >= settings.matchProbability()) {
                links.add(i, j, pattern);
            }
        });
        return new Compared(links, patterns.size(), model, oversizedBlocks);
    }

    /** Receives one candidate pair, i &lt; j. */
    @FunctionalInterface
    private interface PairVisitor {
        void visit(int i, int j);
    }

    /**
     * Every candidate pair once, in a fixed order: per rule, per kept block, i &lt; j; a pair an
     * earlier rule's kept block held is not repeated; with a split, only pairs across it.
     */
    private static void forEachPair(List<List<int[]>> blocksByRule, String[][] keys, List<Set<String>> oversized,
            int split, PairVisitor visitor) {
        for (int r = 0; r < blocksByRule.size(); r++) {
            for (int[] block : blocksByRule.get(r)) {
                for (int x = 0; x < block.length; x++) {
                    for (int y = x + 1; y < block.length; y++) {
                        // Blocks list their records in index order, so i < j.
                        int i = block[x];
                        int j = block[y];
                        if (split >= 0 && (i < split) == (j < split)) {
                            continue;
                        }
                        if (!comparedByEarlierRule(keys, oversized, r, i, j)) {
                            visitor.visit(i, j);
                        }
                    }
                }
            }
        }
    }

    /** Comparison patterns of the compared pairs, in enumeration order: a growable short array. */
    private static final class Patterns {
        private short[] values = new short[1024];
        private int size;

        void add(int pattern) {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length + (values.length >> 1));
            }
            values[size++] = (short) pattern;
        }

        int get(int i) {
            return values[i];
        }

        long size() {
            return size;
        }
    }

    /** A pair was already compared if an earlier rule put both records in the same, non-skipped block. */
    private static boolean comparedByEarlierRule(String[][] keys, List<Set<String>> oversized, int rule, int i, int j) {
        for (int r = 0; r < rule; r++) {
            String k = keys[r][i];
            if (k != null && k.equals(keys[r][j]) && !oversized.get(r).contains(k)) {
                return true;
            }
        }
        return false;
    }

    /** Groups record indices by key (records without a key are in no block); blocks of one are dropped. */
    private static List<int[]> blocks(String[] keys) {
        Integer[] order = new Integer[keys.length];
        int m = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                order[m++] = i;
            }
        }
        Integer[] present = Arrays.copyOf(order, m);
        Arrays.sort(present, Comparator.comparing((Integer i) -> keys[i]).thenComparing(i -> i));
        List<int[]> blocks = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= m; i++) {
            if (i == m || !keys[present[i]].equals(keys[present[start]])) {
                if (i - start > 1) {
                    int[] b = new int[i - start];
                    for (int x = start; x < i; x++) {
                        b[x - start] = present[x];
                    }
                    blocks.add(b);
                }
                start = i;
            }
        }
        return blocks;
    }

    /** Patterns of random pairs (across the split when there is one), which are almost all non-matches: u's start. */
    private long[] randomPairPatterns(NormalisedOrg[] orgs, Comparison.Comparator comparator, int split) {
        long[] counts = new long[Comparison.PATTERNS];
        boolean linking = split >= 0;
        if (linking ? split == 0 || split == orgs.length : orgs.length < 2) {
            return counts;
        }
        SplittableRandom random = new SplittableRandom(settings.seed());
        for (int s = 0; s < settings.uSampleSize(); s++) {
            int i;
            int j;
            if (linking) {
                i = random.nextInt(split);
                j = split + random.nextInt(orgs.length - split);
            } else {
                i = random.nextInt(orgs.length);
                j = random.nextInt(orgs.length - 1);
                if (j >= i) {
                    j++;
                }
            }
            counts[comparator.compare(orgs[i], orgs[j])]++;
        }
        return counts;
    }

    private ResolutionResult cluster(List<OrgRecord> input, CandidatePairs pairs, long pairsCompared,
            FellegiSunterModel model, int oversizedBlocks) {
        int n = input.size();
        List<Integer> links = new ArrayList<>();
        for (int p = 0; p < pairs.size(); p++) {
            links.add(p); // compare() kept only the links
        }
        // Strongest links first, so a weak link cannot use up a cluster's room before a strong one.
        links.sort(Comparator.comparingDouble((Integer p) -> -model.weight(pairs.pattern(p))).thenComparing(p -> p));
        int[] parent = new int[n];
        int[] size = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
            size[i] = 1;
        }
        List<Integer> accepted = new ArrayList<>();
        int rejected = 0;
        for (int p : links) {
            int ra = find(parent, pairs.left(p));
            int rb = find(parent, pairs.right(p));
            if (ra == rb) {
                accepted.add(p);
                continue;
            }
            boolean tooBig = size[ra] + size[rb] > settings.maxClusterSize();
            boolean weakBridge = size[ra] > 1 && size[rb] > 1
                    && model.probability(pairs.pattern(p)) < settings.strongLinkProbability();
            if (tooBig || weakBridge) {
                rejected++;
                continue;
            }
            if (size[ra] < size[rb]) {
                int t = ra;
                ra = rb;
                rb = t;
            }
            parent[rb] = ra;
            size[ra] += size[rb];
            accepted.add(p);
        }
        Map<Integer, List<String>> members = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            int root = find(parent, i);
            if (size[root] > 1) {
                members.computeIfAbsent(root, k -> new ArrayList<>()).add(input.get(i).id());
            }
        }
        Map<Integer, List<ResolutionResult.Link>> clusterLinks = new LinkedHashMap<>();
        for (int p : accepted) {
            int pattern = pairs.pattern(p);
            clusterLinks.computeIfAbsent(find(parent, pairs.left(p)), k -> new ArrayList<>())
                    .add(new ResolutionResult.Link(input.get(pairs.left(p)).id(), input.get(pairs.right(p)).id(),
                            model.weight(pattern), model.probability(pattern), model.explain(pattern)));
        }
        List<ResolutionResult.Cluster> clusters = new ArrayList<>();
        members.forEach((root, ids) -> clusters.add(new ResolutionResult.Cluster(List.copyOf(ids),
                List.copyOf(clusterLinks.getOrDefault(root, List.of())))));
        return new ResolutionResult(n, pairsCompared, (long) n * (n - 1) / 2, oversizedBlocks, accepted.size(),
                rejected, clusters, model);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
