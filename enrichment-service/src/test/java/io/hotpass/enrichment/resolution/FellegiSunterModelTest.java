package io.hotpass.enrichment.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** EM must recover known parameters from an unlabelled mixture drawn from them. */
class FellegiSunterModelTest {

    // Levels per comparison: NAME has 4, the others 2. Index 0 = best agreement.
    private static final double[][] M = {{0.6, 0.3, 0.07, 0.03}, {0.9, 0.1}, {0.85, 0.15}, {0.97, 0.03}};
    private static final double[][] U = {{0.05, 0.01, 0.14, 0.80}, {0.001, 0.999}, {0.2, 0.8}, {0.0001, 0.9999}};

    @Test
    void emRecoversMixtureParametersWithoutLabels() {
        SplittableRandom random = new SplittableRandom(42);
        long[] observed = new long[Comparison.PATTERNS];
        long[] randomPairs = new long[Comparison.PATTERNS];
        double lambda = 0.08;
        for (int i = 0; i < 400_000; i++) {
            observed[draw(random, random.nextDouble() < lambda ? M : U)]++;
        }
        for (int i = 0; i < 100_000; i++) {
            randomPairs[draw(random, U)]++;
        }
        FellegiSunterModel model = FellegiSunterModel.estimate(observed, randomPairs, 500, 1e-9);

        assertEquals(lambda, model.lambda(), 0.01);
        for (FellegiSunterModel.LevelParameters p : model.parameters()) {
            Comparison c = Comparison.valueOf(p.comparison().toUpperCase());
            int l = c.levels().indexOf(p.level());
            assertEquals(M[c.ordinal()][l], p.m(), 0.03, "m of " + p.comparison() + " " + p.level());
            assertEquals(U[c.ordinal()][l], p.u(), 0.03, "u of " + p.comparison() + " " + p.level());
        }
        // Full agreement is overwhelming evidence; full disagreement the opposite.
        assertTrue(model.probability(pattern(0, 0, 0, 0)) > 0.999);
        assertTrue(model.probability(pattern(3, 1, 1, 1)) < 0.001);
    }

    @Test
    void missingFieldsAddNoEvidence() {
        long[] counts = new long[Comparison.PATTERNS];
        counts[pattern(0, 0, 0, 0)] = 100;
        counts[pattern(3, 1, 1, 1)] = 10_000;
        FellegiSunterModel model = FellegiSunterModel.estimate(counts, counts, 100, 1e-9);
        int allMissing = pattern(-1, -1, -1, -1);
        assertEquals(Math.log(model.lambda() / (1 - model.lambda())) / Math.log(2), model.weight(allMissing), 1e-9);
    }

    private static int draw(SplittableRandom random, double[][] params) {
        int[] levels = new int[params.length];
        for (int k = 0; k < params.length; k++) {
            double x = random.nextDouble();
            int l = 0;
            while (l < params[k].length - 1 && x >= params[k][l]) {
                x -= params[k][l];
                l++;
            }
            levels[k] = l;
        }
        return pattern(levels);
    }

    /** Packs levels (−1 = missing) in {@link Comparison} order into a pattern. */
    static int pattern(int... levels) {
        int p = 0;
        int radix = 1;
        for (int k = 0; k < levels.length; k++) {
            int size = Comparison.ALL[k].levels().size();
            p += radix * (levels[k] < 0 ? size : levels[k]);
            radix *= size + 1;
        }
        return p;
    }
}
