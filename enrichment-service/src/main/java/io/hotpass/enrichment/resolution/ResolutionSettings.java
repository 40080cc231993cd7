package io.hotpass.enrichment.resolution;

/**
 * Tunables of one entity-resolution run. {@link #defaults()} are the values the benchmark and the
 * tests use; see docs/explanation/entity-resolution.md for why each is what it is.
 *
 * @param phoneRegion region assumed for phone numbers without a country code
 * @param namePrefixLength characters of the space-less normalised name used as the prefix block key
 * @param maxBlockSize blocks with more records than this are skipped for that rule (they would
 *        cost size² comparisons and say little); other rules still pair their records
 * @param matchProbability posterior match probability at or above which a pair is linked
 * @param strongLinkProbability probability a link needs to join two clusters that both already
 *        have several members (the long-chain guard)
 * @param maxClusterSize no cluster grows beyond this many records (the other long-chain guard)
 * @param emMaxIterations upper bound on EM iterations
 * @param emTolerance EM stops when no parameter moves more than this
 * @param uSampleSize random record pairs drawn to initialise the u probabilities
 * @param seed seed of that sample, so runs are reproducible
 */
public record ResolutionSettings(String phoneRegion, int namePrefixLength, int maxBlockSize,
        double matchProbability, double strongLinkProbability, int maxClusterSize, int emMaxIterations,
        double emTolerance, int uSampleSize, long seed) {

    public ResolutionSettings {
        if (matchProbability <= 0 || matchProbability >= 1) {
            throw new IllegalArgumentException("matchProbability must be in (0, 1)");
        }
        if (strongLinkProbability < matchProbability || strongLinkProbability >= 1) {
            throw new IllegalArgumentException("strongLinkProbability must be in [matchProbability, 1)");
        }
        if (maxClusterSize < 2 || maxBlockSize < 2 || namePrefixLength < 1) {
            throw new IllegalArgumentException("maxClusterSize, maxBlockSize and namePrefixLength are too small");
        }
    }

    public static ResolutionSettings defaults() {
        return new ResolutionSettings("ZA", 10, 1000, 0.95, 0.999, 10, 200, 1e-7, 200_000, 7L);
    }

    public ResolutionSettings withMatchProbability(double p) {
        return new ResolutionSettings(phoneRegion, namePrefixLength, maxBlockSize, p, Math.max(p, strongLinkProbability),
                maxClusterSize, emMaxIterations, emTolerance, uSampleSize, seed);
    }

    public ResolutionSettings withMaxClusterSize(int n) {
        return new ResolutionSettings(phoneRegion, namePrefixLength, maxBlockSize, matchProbability,
                strongLinkProbability, n, emMaxIterations, emTolerance, uSampleSize, seed);
    }

    public ResolutionSettings withMaxBlockSize(int n) {
        return new ResolutionSettings(phoneRegion, namePrefixLength, n, matchProbability, strongLinkProbability,
                maxClusterSize, emMaxIterations, emTolerance, uSampleSize, seed);
    }
}
