package io.hotpass.enrichment.resolution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Fellegi-Sunter model: for each comparison and level, m = P(level | same organisation) and
 * u = P(level | different organisations), plus the prior λ = P(same) among compared pairs. The
 * match weight of a pattern is log₂(λ/(1−λ)) + Σ log₂(m/u) over its non-missing levels, and its
 * match probability is 1 / (1 + 2^−weight). Fields are assumed conditionally independent given
 * the match status, as in the original model.
 *
 * <p>Parameters are estimated without labels by expectation-maximisation over the histogram of
 * observed patterns (the E-step gives each pattern a posterior match probability; the M-step
 * re-estimates the parameters from the expected counts): {@link #estimate} fits m, u and λ at
 * once; {@link #train} fits m per blocking session with u from random pairs, then λ.
 */
public final class FellegiSunterModel {

    /** Keeps a probability off 0 and 1, so no level gives an infinite weight. */
    private static final double FLOOR = 1e-4;
    /**
     * Weight, in pairs, of the starting values as a Dirichlet prior in every M-step. Negligible for
     * thousands of compared pairs; for a handful it keeps EM from collapsing to m = u (no evidence).
     */
    static final double PRIOR_PAIRS = 10;

    private final double lambda;
    private final double[][] m;
    private final double[][] u;
    private final int iterations;
    private final double[] patternWeight = new double[Comparison.PATTERNS];

    FellegiSunterModel(double lambda, double[][] m, double[][] u, int iterations) {
        this.lambda = lambda;
        this.m = m;
        this.u = u;
        this.iterations = iterations;
        for (int p = 0; p < Comparison.PATTERNS; p++) {
            patternWeight[p] = computeWeight(p);
        }
    }

    /**
     * Estimates m, u and λ together by EM over all compared pairs. Sound when the fields are
     * conditionally independent given the match status; see {@link #train} for data where they are not.
     *
     * @param patternCounts how many compared pairs showed each pattern
     * @param randomPatternCounts patterns of random record pairs (almost all non-matches), used for the initial u
     */
    public static FellegiSunterModel estimate(long[] patternCounts, long[] randomPatternCounts, int maxIterations,
            double tolerance) {
        double[][] u = randomU(randomPatternCounts);
        double[][] m = initialM();
        Em em = em(patternCounts, m, u, 0.05, true, true, maxIterations, tolerance);
        return new FellegiSunterModel(em.lambda, em.m, em.u, em.iterations);
    }

    /**
     * Estimates the model in training sessions, the way record-linkage practice does when fields are
     * correlated among non-matches (here: organisations named alike share a web domain):
     * <ol>
     * <li>u from random record pairs, which are almost all non-matches;</li>
     * <li>m by EM (u held at its estimate) within each session: the pairs that share one blocking key.
     * A session says nothing about the comparison its key fixes (pairs blocked on the registration
     * number all agree on it), so each comparison's m is averaged over the sessions that do not fix it;</li>
     * <li>λ, the share of matches among all compared pairs, by EM with m and u held.</li>
     * </ol>
     *
     * @param sessions per session, the pattern counts of its pairs and the comparison its blocking key fixes
     */
    public static FellegiSunterModel train(List<Session> sessions, long[] allCounts, long[] randomPatternCounts,
            int maxIterations, double tolerance) {
        Comparison[] cs = Comparison.ALL;
        double[][] u = randomU(randomPatternCounts);
        double[][] sum = new double[cs.length][];
        int[] estimates = new int[cs.length];
        for (int k = 0; k < cs.length; k++) {
            sum[k] = new double[cs[k].levels().size()];
        }
        int iterations = 0;
        for (Session session : sessions) {
            Em em = em(session.patternCounts(), initialM(), u, 0.5, true, false, maxIterations, tolerance);
            iterations += em.iterations;
            for (int k = 0; k < cs.length; k++) {
                if (cs[k] != session.fixes()) {
                    for (int l = 0; l < sum[k].length; l++) {
                        sum[k][l] += em.m[k][l];
                    }
                    estimates[k]++;
                }
            }
        }
        double[][] m = initialM();
        for (int k = 0; k < cs.length; k++) {
            if (estimates[k] > 0) {
                for (int l = 0; l < sum[k].length; l++) {
                    sum[k][l] /= estimates[k];
                }
                m[k] = normalise(sum[k]);
            }
        }
        Em em = em(allCounts, m, u, 0.05, false, false, maxIterations, tolerance);
        return new FellegiSunterModel(em.lambda, em.m, em.u, iterations + em.iterations);
    }

    /** The pairs of one training session and the comparison its blocking key holds fixed. */
    public record Session(long[] patternCounts, Comparison fixes) {
    }

    private record Em(double lambda, double[][] m, double[][] u, int iterations) {
    }

    private static double[][] randomU(long[] randomPatternCounts) {
        double[][] u = new double[Comparison.ALL.length][];
        for (int k = 0; k < u.length; k++) {
            u[k] = levelFrequencies(randomPatternCounts, Comparison.ALL[k]);
        }
        return u;
    }

    /** Starting m: most mass on the best level, halving for each worse level. */
    private static double[][] initialM() {
        double[][] m = new double[Comparison.ALL.length][];
        for (int k = 0; k < m.length; k++) {
            int levels = Comparison.ALL[k].levels().size();
            m[k] = new double[levels];
            for (int l = 0; l < levels; l++) {
                m[k][l] = l == 0 ? 0.9 : 0.1 / Math.pow(2, l);
            }
            m[k] = normalise(m[k]);
        }
        return m;
    }

    /** The EM loop; {@code trainM}/{@code trainU} say which of m and u it re-estimates (λ always). */
    private static Em em(long[] patternCounts, double[][] mStart, double[][] uStart, double lambdaStart, boolean trainM,
            boolean trainU, int maxIterations, double tolerance) {
        Comparison[] cs = Comparison.ALL;
        double[][] m = new double[cs.length][];
        double[][] u = new double[cs.length][];
        double[][] m0 = new double[cs.length][];
        double[][] u0 = new double[cs.length][];
        for (int k = 0; k < cs.length; k++) {
            m[k] = mStart[k].clone();
            u[k] = uStart[k].clone();
            m0[k] = mStart[k].clone();
            u0[k] = uStart[k].clone();
        }
        double lambda = lambdaStart;
        double lambda0 = lambdaStart;
        double n = 0;
        for (long c : patternCounts) {
            n += c;
        }
        int it = 0;
        while (n > 0 && it < maxIterations) {
            it++;
            double[][] mNum = new double[cs.length][];
            double[][] uNum = new double[cs.length][];
            for (int k = 0; k < cs.length; k++) {
                mNum[k] = new double[cs[k].levels().size()];
                uNum[k] = new double[cs[k].levels().size()];
                for (int l = 0; l < mNum[k].length; l++) {
                    mNum[k][l] = PRIOR_PAIRS * lambda0 * m0[k][l];
                    uNum[k][l] = PRIOR_PAIRS * (1 - lambda0) * u0[k][l];
                }
            }
            double matched = PRIOR_PAIRS * lambda0;
            for (int p = 0; p < patternCounts.length; p++) {
                long c = patternCounts[p];
                if (c == 0) {
                    continue;
                }
                double logM = Math.log(lambda);
                double logU = Math.log(1 - lambda);
                for (int k = 0; k < cs.length; k++) {
                    int l = cs[k].level(p);
                    if (l != Comparison.MISSING) {
                        logM += Math.log(m[k][l]);
                        logU += Math.log(u[k][l]);
                    }
                }
                double g = 1 / (1 + Math.exp(logU - logM));
                matched += c * g;
                for (int k = 0; k < cs.length; k++) {
                    int l = cs[k].level(p);
                    if (l != Comparison.MISSING) {
                        mNum[k][l] += c * g;
                        uNum[k][l] += c * (1 - g);
                    }
                }
            }
            double newLambda = clamp(matched / (n + PRIOR_PAIRS));
            double delta = Math.abs(newLambda - lambda);
            lambda = newLambda;
            for (int k = 0; k < cs.length; k++) {
                if (trainM) {
                    double[] nm = normalise(mNum[k]);
                    for (int l = 0; l < nm.length; l++) {
                        delta = Math.max(delta, Math.abs(nm[l] - m[k][l]));
                    }
                    m[k] = nm;
                }
                if (trainU) {
                    double[] nu = normalise(uNum[k]);
                    for (int l = 0; l < nu.length; l++) {
                        delta = Math.max(delta, Math.abs(nu[l] - u[k][l]));
                    }
                    u[k] = nu;
                }
            }
            if (delta < tolerance) {
                break;
            }
        }
        return new Em(lambda, m, u, it);
    }

    private static double[] levelFrequencies(long[] counts, Comparison c) {
        double[] f = new double[c.levels().size()];
        for (int p = 0; p < counts.length; p++) {
            int l = c.level(p);
            if (l != Comparison.MISSING) {
                f[l] += counts[p];
            }
        }
        for (int l = 0; l < f.length; l++) {
            f[l] += 1; // add-one smoothing: a level never seen among random pairs is rare, not impossible
        }
        return normalise(f);
    }

    private static double[] normalise(double[] v) {
        double total = 0;
        for (double x : v) {
            total += x;
        }
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = total == 0 ? 1.0 / v.length : clamp(v[i] / total);
        }
        return r;
    }

    private static double clamp(double p) {
        return Math.min(1 - FLOOR, Math.max(FLOOR, p));
    }

    private double computeWeight(int pattern) {
        double w = log2(lambda / (1 - lambda));
        for (Comparison c : Comparison.ALL) {
            int l = c.level(pattern);
            if (l != Comparison.MISSING) {
                w += log2(m[c.ordinal()][l] / u[c.ordinal()][l]);
            }
        }
        return w;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** The match weight (log₂ posterior odds) of a pattern. */
    public double weight(int pattern) {
        return patternWeight[pattern];
    }

    /** The posterior probability that a pair with this pattern is the same organisation. */
    public double probability(int pattern) {
        return 1 / (1 + Math.pow(2, -patternWeight[pattern]));
    }

    /** The Bayes factor log₂(m/u) each non-missing level of a pattern contributed: the "why" of a link. */
    public Map<String, Double> explain(int pattern) {
        Map<String, Double> why = new LinkedHashMap<>();
        for (Comparison c : Comparison.ALL) {
            int l = c.level(pattern);
            String key = c.name().toLowerCase() + (l == Comparison.MISSING ? ":missing" : ":" + c.levels().get(l));
            why.put(key, l == Comparison.MISSING ? 0.0 : log2(m[c.ordinal()][l] / u[c.ordinal()][l]));
        }
        return why;
    }

    public double lambda() {
        return lambda;
    }

    public int iterations() {
        return iterations;
    }

    /** The estimated parameters, one entry per comparison level, for reports and reviews. */
    public List<LevelParameters> parameters() {
        List<LevelParameters> out = new ArrayList<>();
        for (Comparison c : Comparison.ALL) {
            for (int l = 0; l < c.levels().size(); l++) {
                out.add(new LevelParameters(c.name().toLowerCase(), c.levels().get(l), m[c.ordinal()][l],
                        u[c.ordinal()][l], log2(m[c.ordinal()][l] / u[c.ordinal()][l])));
            }
        }
        return out;
    }

    public record LevelParameters(String comparison, String level, double m, double u, double weight) {
    }
}
