package io.hotpass.enrichment.resolution;

import java.util.List;

/**
 * What one entity-resolution run found.
 *
 * @param records records read
 * @param pairsCompared distinct pairs compared after blocking
 * @param allPairs pairs an all-pairs comparison would have made (n(n−1)/2)
 * @param oversizedBlocks blocks skipped because they exceeded the block size cap
 * @param linksAccepted pairs at or above the match probability that joined clusters
 * @param linksRejectedByChainGuard pairs above the threshold that the long-chain guard refused
 * @param clusters groups of two or more records judged to be one organisation
 * @param model the estimated model
 */
public record ResolutionResult(int records, long pairsCompared, long allPairs, int oversizedBlocks, int linksAccepted,
        int linksRejectedByChainGuard, List<Cluster> clusters, FellegiSunterModel model) {

    /** 1 − compared / all pairs: the share of comparisons blocking saved. */
    public double reductionRatio() {
        return allPairs == 0 ? 0 : 1 - (double) pairsCompared / allPairs;
    }

    /** Records judged to be one organisation, with the links that joined them. */
    public record Cluster(List<String> recordIds, List<Link> links) {
    }

    /**
     * A link between two records: its match weight and probability, and the comparison levels with
     * the weight each contributed.
     */
    public record Link(String left, String right, double weight, double probability,
            java.util.Map<String, Double> evidence) {
    }
}
