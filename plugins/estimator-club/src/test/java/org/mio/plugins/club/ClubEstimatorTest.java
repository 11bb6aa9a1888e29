package org.mio.plugins.club;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.estimator.Sampling;
import org.mio.api.estimator.ValueAndGradient;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.critic.Activation;
import org.mio.testkit.GradientChecker;
import org.mio.testkit.KnownMutualInformation;
import org.mio.testkit.MIEstimatorContract;
import org.mio.testkit.TestParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ClubEstimatorTest extends MIEstimatorContract {

    @Override
    protected MIEstimator estimator() {
        return new ClubEstimator(null);
    }

    @Override
    protected PluginParams smallParams() {
        return TestParams.of("{\"hidden\": 7, \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.01}}");
    }

    /**
     * Phase A's gradient is that of the log-likelihood mean_i log q(y_i|x_i), computed here from the
     * parameters: central differences, with noise off and with a row subset.
     */
    @Test
    void parameterGradientsAreThoseOfTheLikelihood() {
        for (String json : new String[] {
            "{\"hidden\": 6}",
            "{\"hidden\": 5, \"activation\": \"leaky-relu\", \"rows\": 40}",
            "{\"hidden\": 5, \"activation\": \"elu\"}"
        }) {
            Estimator e = new ClubEstimator(null)
                    .create(TestParams.of(json), TestParams.context(DataType.DOUBLE), DX, DY, Rng.of(5));
            e.parameters().get("mub1").addi(0.05); // off the relu kink of rows whose first layer is all zero
            e.parameters().get("logvarb1").addi(0.05);
            INDArray[] s = samples(DataType.DOUBLE, 9);
            int n = e.rowsUsed(ROWS);
            int[] rows = n < ROWS ? java.util.Arrays.copyOf(Rng.of(2).permutation(ROWS), n) : null;
            int[] perm = Rng.of(3).permutation(n);
            Supplier<Sampling> sampling = () -> new Sampling(Rng.of(12), perm, false, rows);
            var grads = e.parameterGradients(s[0], s[1], sampling.get());
            Activation act = TestParams.of(json).as(ClubParams.class).activationFunction();
            GradientChecker.float64()
                    .check(
                            e.parameters(),
                            grads,
                            () -> logLikelihood(
                                    e.parameters(),
                                    rows == null ? s[0] : s[0].getRows(rows),
                                    rows == null ? s[1] : s[1].getRows(rows),
                                    act),
                            Rng.of(4));
            // and the input gradients of Î itself, with noise on
            Supplier<Sampling> noisy = () -> new Sampling(Rng.of(12), perm, true, rows);
            ValueAndGradient vg = e.valueAndGradient(s[0], s[1], noisy.get());
            assertEquals(e.estimate(s[0], s[1], noisy.get()), vg.value(), 1e-12);
            new GradientChecker(1e-6, 1e-4, 1e-7, 40)
                    .check(
                            Map.of("x", s[0], "y", s[1]),
                            Map.of("x", vg.dx(), "y", vg.dy()),
                            () -> e.estimate(s[0], s[1], noisy.get()),
                            Rng.of(8));
        }
    }

    /** φ(z) by ND4J's own transforms, independent of the kernels under test. */
    private static INDArray phi(Activation act, INDArray z) {
        return act.elu()
                ? org.nd4j.linalg.ops.transforms.Transforms.elu(z, true)
                : org.nd4j.linalg.ops.transforms.Transforms.leakyRelu(z, act.slope(), true);
    }

    /** mean_i log q(y_i|x_i) of the parameters, written out here. */
    private static double logLikelihood(Map<String, INDArray> p, INDArray x, INDArray y, Activation act) {
        INDArray mu = phi(act, x.mmul(p.get("muW1")).addiRowVector(p.get("mub1")))
                .mmul(p.get("muW2"))
                .addiRowVector(p.get("mub2"));
        INDArray v = org.nd4j.linalg.ops.transforms.Transforms.tanh(
                phi(act, x.mmul(p.get("logvarW1")).addiRowVector(p.get("logvarb1")))
                        .mmul(p.get("logvarW2"))
                        .addiRowVector(p.get("logvarb2")),
                true);
        double sum = 0;
        for (int i = 0; i < x.size(0); i++) {
            for (int k = 0; k < y.size(1); k++) {
                double r = y.getDouble(i, k) - mu.getDouble(i, k);
                sum += -0.5 * (Math.log(2 * Math.PI) + v.getDouble(i, k) + r * r * Math.exp(-v.getDouble(i, k)));
            }
        }
        return sum / x.size(0);
    }

    /** The closed-form double sum equals the mean over all pairs (i, j) of log q(y_j|x_i), by brute force. */
    @Test
    void theClosedFormEqualsTheSumOverAllPairs() {
        Estimator e = new ClubEstimator(null)
                .create(TestParams.of("{\"hidden\": 6}"), TestParams.context(DataType.DOUBLE), DX, DY, Rng.of(5));
        INDArray[] s = samples(DataType.DOUBLE, 9);
        double value = e.estimate(s[0], s[1], new Sampling(Rng.of(1), null, false));
        Map<String, INDArray> p = e.parameters();
        INDArray mu = org.nd4j.linalg.ops.transforms.Transforms.relu(
                        s[0].mmul(p.get("muW1")).addiRowVector(p.get("mub1")), true)
                .mmul(p.get("muW2"))
                .addiRowVector(p.get("mub2"));
        INDArray v = org.nd4j.linalg.ops.transforms.Transforms.tanh(
                org.nd4j.linalg.ops.transforms.Transforms.relu(
                                s[0].mmul(p.get("logvarW1")).addiRowVector(p.get("logvarb1")), true)
                        .mmul(p.get("logvarW2"))
                        .addiRowVector(p.get("logvarb2")),
                true);
        double positive = 0;
        double negative = 0;
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < ROWS; j++) {
                double lq = 0;
                for (int k = 0; k < DY; k++) {
                    double r = s[1].getDouble(j, k) - mu.getDouble(i, k);
                    lq += -0.5 * (v.getDouble(i, k) + r * r * Math.exp(-v.getDouble(i, k)));
                }
                negative += lq / ((double) ROWS * ROWS);
                if (i == j) {
                    positive += lq / ROWS;
                }
            }
        }
        assertEquals(positive - negative, value, 1e-10);
    }

    @Test
    void badParametersAreNamed() {
        var e = assertThrows(
                ConfigException.class,
                () -> TestParams.of("{\"noiseMode\": \"joint-y-only\"}").as(ClubParams.class));
        assertEquals("test.json: test.params.noiseMode must be one of both, none, found joint-y-only", e.getMessage());
    }

    /**
     * The known-MI suite of {@code testkit}, seed 1 asserted. CLUB: an upper bound, within 5 % of its value for the true conditional where that is ≤ 10 nats; its Gaussian q falls short of that value at 4 nats in 5 + 5 (10.8 of 19.8) and is far above the MI on the cubed pair. Measured values and the other seeds:
     * docs/estimators.md.
     */
    @Test
    @Tag("slow")
    void knownMutualInformationSuite() {
        KnownMutualInformation.suite(
                "club",
                estimator(),
                TestParams.of("{\"hidden\": 64, \"noise\": 0.0, \"noiseMode\": \"none\","
                        + " \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.002}}"),
                c -> {
                    if (c.cubed()) {
                        return new double[] {1.0, 20.0};
                    }
                    // CLUB with the true conditional: d·ρ²/(1 − ρ²), above the MI
                    double bound = c.dims() * c.rho() * c.rho() / (1 - c.rho() * c.rho());
                    return bound <= 10
                            ? new double[] {0.95 * bound, 1.05 * bound}
                            : new double[] {0.95 * c.mi(), 1.05 * bound};
                });
    }
}
