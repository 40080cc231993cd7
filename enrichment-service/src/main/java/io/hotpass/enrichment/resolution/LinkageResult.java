package io.hotpass.enrichment.resolution;

import java.util.Map;

/**
 * What one record-linkage run ({@link EntityResolver#link}) found between a dataset and a reference.
 *
 * @param records dataset records read
 * @param referenceRecords reference records read
 * @param pairsCompared pairs (one of each side) compared after blocking
 * @param allPairs pairs a comparison of every record with every reference record would have made
 * @param oversizedBlocks blocks skipped because they exceeded the block size cap
 * @param ambiguous records whose best reference candidates tied (none of them is linked)
 * @param links per dataset record id, the reference record it is the same organisation as
 * @param model the model estimated from the compared pairs
 */
public record LinkageResult(int records, int referenceRecords, long pairsCompared, long allPairs, int oversizedBlocks,
        int ambiguous, Map<String, ResolutionResult.Link> links, FellegiSunterModel model) {
}
