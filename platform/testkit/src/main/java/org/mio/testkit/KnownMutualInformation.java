package org.mio.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.estimator.Sampling;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Samples with a known mutual information, and the check that an estimator recovers it. d pairs
 * (x_k, y_k) of standard normals with correlation ρ, independent across k, have I(X; Y) =
 * −(d/2)·log(1 − ρ²); the "cubed" variant maps every coordinate through v ↦ v + v³, smooth and
 * invertible, which leaves the MI unchanged but makes the pair far from Gaussian.
 */
public final class KnownMutualInformation {
    private KnownMutualInformation() {}

    /**
     * One case.
     *
     * @param dims d, the columns of X and of Y
     * @param mi the true MI in nats
     * @param cubed whether coordinates go through v ↦ v + v³
     */
    public record Case(int dims, double mi, boolean cubed) {
        /** E.g. {@code gaussian 5+5 at 1 nat}. */
        @Override
        public String toString() {
            return (cubed ? "cubed" : "gaussian") + " " + dims + "+" + dims + " at " + mi + " nats";
        }

        /** The per-pair correlation that gives {@link #mi}. */
        public double rho() {
            return Math.sqrt(-Math.expm1(-2 * mi / dims));
        }
    }

    /** 1 nat in 5 + 5 Gaussian dimensions: what a trained estimator's unit test checks first. */
    public static final Case GAUSSIAN = new Case(5, 1.0, false);

    /** 1 nat in 5 + 5 cubed dimensions: heavy tails, harder for a critic. */
    public static final Case CUBED = new Case(5, 1.0, true);

    /** The whole suite: 0.1, 1, 2 and 4 nats in 5 + 5 and 20 + 20 dimensions, and 1 nat cubed in 5 + 5. */
    public static final List<Case> ALL = all();

    private static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        for (int d : new int[] {5, 20}) {
            for (double mi : new double[] {0.1, 1, 2, 4}) {
                cases.add(new Case(d, mi, false));
            }
        }
        cases.add(new Case(5, 1.0, true));
        return List.copyOf(cases);
    }

    /** {@code rows} samples of a case: X and Y, [rows, d] each. */
    public static INDArray[] samples(Case c, int rows, Rng rng, DataType type) {
        int d = c.dims();
        double rho = c.rho();
        double rest = Math.sqrt(1 - rho * rho);
        double[] x = new double[rows * d];
        double[] y = new double[rows * d];
        for (int i = 0; i < x.length; i++) {
            double a = rng.nextGaussian();
            double b = rho * a + rest * rng.nextGaussian();
            x[i] = c.cubed() ? a + a * a * a : a;
            y[i] = c.cubed() ? b + b * b * b : b;
        }
        return new INDArray[] {
            Nd4j.createFromArray(x).reshape(rows, d).castTo(type),
            Nd4j.createFromArray(y).reshape(rows, d).castTo(type)
        };
    }

    /**
     * What an estimator gave on a case.
     *
     * @param estimate the mean of five estimates on fresh sets of 20 000 rows
     * @param spread their standard deviation
     * @param seconds training and estimates, wall clock
     */
    public record Result(Case c, long seed, double estimate, double spread, double seconds) {
        /** The mean and standard deviation of repeated estimates {@code found}. */
        public static Result of(Case c, long seed, double[] found, double seconds) {
            double mean = java.util.Arrays.stream(found).average().orElseThrow();
            double squares = java.util.Arrays.stream(found)
                    .map(v -> (v - mean) * (v - mean))
                    .sum();
            return new Result(c, seed, mean, Math.sqrt(squares / (found.length - 1)), seconds);
        }
    }

    /**
     * Trains a fresh estimator for {@code steps} phase-A steps on fresh batches of 2 048 rows, then
     * returns the mean of five estimates on fresh sets of 20 000 rows (for an estimator that is not
     * trained, the steps change nothing).
     */
    public static double estimate(MIEstimator service, PluginParams params, Case c, int steps, long seed) {
        return measure(service, params, c, steps, seed).estimate();
    }

    /** {@link #estimate}, with the spread of the five estimates and the time taken. */
    public static Result measure(MIEstimator service, PluginParams params, Case c, int steps, long seed) {
        long start = System.nanoTime();
        // threads: 1 unless mio.knownmi.threads says otherwise (the lanes' sums, so the last digits, follow it)
        int threads = Integer.getInteger("mio.knownmi.threads", 1);
        Estimator e =
                service.create(params, TestParams.context(DataType.FLOAT, threads), c.dims(), c.dims(), Rng.of(seed));
        Rng data = Rng.of(seed + 1);
        for (int step = 0; step < steps; step++) {
            INDArray[] s = samples(c, 2048, data, DataType.FLOAT);
            e.trainStep(s[0], s[1], Sampling.of(data));
        }
        double[] found = new double[5];
        for (int r = 0; r < found.length; r++) {
            INDArray[] s = samples(c, 20000, data, DataType.FLOAT);
            found[r] = e.estimate(s[0], s[1], Sampling.of(data));
        }
        return Result.of(c, seed, found, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The whole suite ({@link #ALL}) for one estimator: every case after 1 500 training steps
     * ({@link #measure}),
     * each result printed, and every one asserted to lie in its range. The seeds are 1 unless the
     * system property {@code mio.knownmi.seeds} lists others (e.g. {@code 1,2,3}); only seed 1 is
     * asserted. With {@code mio.knownmi.csv} set to a file, the results are appended to it as
     * {@code kind,shape,dims,mi,seed,estimate,spread,seconds} (a header first if the file is new),
     * the table and figure of docs/estimators.md.
     *
     * @param kind the estimator's kind, for the output
     * @param range for a case, the interval {low, high} in nats its estimate must lie in
     * @return the results, in the order of {@link #ALL} and then the seeds
     */
    public static List<Result> suite(
            String kind, MIEstimator service, PluginParams params, java.util.function.Function<Case, double[]> range) {
        return suite(kind, (c, seed) -> measure(service, params, c, 1500, seed), range);
    }

    /** How a measure that is not an {@link MIEstimator} (KSG, say) is taken on one case and seed. */
    @FunctionalInterface
    public interface Measure {
        /** The result on fresh samples of {@code c} drawn from {@code seed}. */
        Result on(Case c, long seed);
    }

    /** {@link #suite(String, MIEstimator, PluginParams, java.util.function.Function)} for any measure. */
    public static List<Result> suite(String kind, Measure measure, java.util.function.Function<Case, double[]> range) {
        List<Long> seeds = java.util.Arrays.stream(
                        System.getProperty("mio.knownmi.seeds", "1").split(","))
                .map(String::trim)
                .map(Long::valueOf)
                .toList();
        String csv = System.getProperty("mio.knownmi.csv");
        List<Result> results = new ArrayList<>();
        List<String> outside = new ArrayList<>();
        for (Case c : ALL) {
            for (long seed : seeds) {
                Result r = measure.on(c, seed);
                results.add(r);
                double[] ok = range.apply(c);
                System.out.printf(
                        "known MI, %s, %s, seed %d: estimate %.4f ± %.4f (%.1f s), asserted [%.3f, %.3f]%n",
                        kind, c, seed, r.estimate(), r.spread(), r.seconds(), ok[0], ok[1]);
                if (seed == 1 && !(r.estimate() >= ok[0] && r.estimate() <= ok[1])) {
                    outside.add(c + ": " + r.estimate() + " outside [" + ok[0] + ", " + ok[1] + "]");
                }
                if (csv != null) {
                    append(java.nio.file.Path.of(csv), kind, r);
                }
            }
        }
        assertTrue(outside.isEmpty(), kind + ": " + String.join("; ", outside));
        return results;
    }

    private static void append(java.nio.file.Path csv, String kind, Result r) {
        try {
            if (!java.nio.file.Files.exists(csv)) {
                java.nio.file.Files.writeString(csv, "kind,shape,dims,mi,seed,estimate,spread,seconds\n");
            }
            java.nio.file.Files.writeString(
                    csv,
                    String.format(
                            java.util.Locale.ROOT,
                            "%s,%s,%d,%s,%d,%.6f,%.6f,%.2f%n",
                            kind,
                            r.c().cubed() ? "cubed" : "gaussian",
                            r.c().dims(),
                            r.c().mi(),
                            r.seed(),
                            r.estimate(),
                            r.spread(),
                            r.seconds()),
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Asserts that {@code service} with {@code params} lands within {@code relative} of the true MI
     * of a case, after 1 500 training steps.
     */
    public static void check(MIEstimator service, PluginParams params, Case c, double relative) {
        check(service, params, c, 1 - relative, 1 + relative);
    }

    /**
     * Asserts that the estimate of a case, after 1 500 training steps, lies between {@code low} and
     * {@code high} times the true MI: for an estimator known to be biased on it (a lower bound that
     * falls short), the range says how far.
     */
    public static void check(MIEstimator service, PluginParams params, Case c, double low, double high) {
        double found = estimate(service, params, c, 1500, 1);
        System.out.printf("known MI, %s: estimate %.4f%n", c, found);
        assertTrue(
                found >= low * c.mi() && found <= high * c.mi(),
                c + ": estimate " + found + " outside [" + low * c.mi() + ", " + high * c.mi() + "]");
    }
}
