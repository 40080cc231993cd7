package io.hotpass.enrichment.resolution;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Precision, recall and F1 over record pairs: a predicted pair is any two records in one predicted
 * cluster; a true pair is any two records in one true cluster (the transitive closure of the
 * labelled duplicate pairs, so a record duplicated twice makes three true pairs).
 */
public record PairwiseQuality(long truePositives, long predictedPairs, long truePairs) {

    public static PairwiseQuality of(List<ResolutionResult.Cluster> predicted, Collection<String[]> truthPairs) {
        Set<String> truth = pairsOf(closure(truthPairs));
        Set<String> pred = new HashSet<>();
        for (ResolutionResult.Cluster c : predicted) {
            addPairs(c.recordIds(), pred);
        }
        long tp = pred.stream().filter(truth::contains).count();
        return new PairwiseQuality(tp, pred.size(), truth.size());
    }

    public double precision() {
        return predictedPairs == 0 ? 1 : (double) truePositives / predictedPairs;
    }

    public double recall() {
        return truePairs == 0 ? 1 : (double) truePositives / truePairs;
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    private static Collection<List<String>> closure(Collection<String[]> pairs) {
        Map<String, String> parent = new HashMap<>();
        for (String[] p : pairs) {
            String a = root(parent, p[0]);
            String b = root(parent, p[1]);
            if (!a.equals(b)) {
                parent.put(a, b);
            }
        }
        Map<String, List<String>> groups = new HashMap<>();
        for (String id : parent.keySet()) {
            groups.computeIfAbsent(root(parent, id), k -> new java.util.ArrayList<>()).add(id);
        }
        return groups.values();
    }

    private static String root(Map<String, String> parent, String id) {
        String cur = id;
        parent.putIfAbsent(cur, cur);
        while (!parent.get(cur).equals(cur)) {
            cur = parent.get(cur);
        }
        parent.put(id, cur);
        return cur;
    }

    private static Set<String> pairsOf(Collection<List<String>> groups) {
        Set<String> out = new HashSet<>();
        for (List<String> g : groups) {
            addPairs(g, out);
        }
        return out;
    }

    private static void addPairs(List<String> ids, Set<String> out) {
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                String a = ids.get(i);
                String b = ids.get(j);
                out.add(a.compareTo(b) < 0 ? a + "\u0000" + b : b + "\u0000" + a);
            }
        }
    }
}
