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
     * Trains a fresh estimator for {@code steps} phase-A steps on fresh batches of 2 048 rows, then
     * returns the mean of five estimates on fresh sets of 20 000 rows (for an estimator that is not
     * trained, the steps change nothing).
     */
    public static double estimate(MIEstimator service, PluginParams params, Case c, int steps, long seed) {
        Estimator e = service.create(params, TestParams.context(DataType.FLOAT), c.dims(), c.dims(), Rng.of(seed));
        Rng data = Rng.of(seed + 1);
        for (int step = 0; step < steps; step++) {
            INDArray[] s = samples(c, 2048, data, DataType.FLOAT);
            e.trainStep(s[0], s[1], Sampling.of(data));
        }
        double sum = 0;
        for (int r = 0; r < 5; r++) {
            INDArray[] s = samples(c, 20000, data, DataType.FLOAT);
            sum += e.estimate(s[0], s[1], Sampling.of(data));
        }
        return sum / 5;
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
