package org.mio.critic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.estimator.Sampling;
import org.mio.api.estimator.ValueAndGradient;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.testkit.GradientChecker;
import org.mio.testkit.MIEstimatorContract;
import org.mio.testkit.TestParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class SeparableCriticTest extends MIEstimatorContract {
    private static final String SMALL = "{\"critic\": \"separable\", \"hidden\": 6, \"embedding\": 4,"
            + " \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.01}}";

    @Override
    protected MIEstimator estimator() {
        return ConcatCriticTest.service(Objective.infoNce(10));
    }

    @Override
    protected PluginParams smallParams() {
        return TestParams.of(SMALL);
    }

    private static Estimator create(String json, Objective objective, int threads) {
        return ConcatCriticTest.service(objective)
                .create(TestParams.of(json), TestParams.context(DataType.DOUBLE, threads), DX, DY, Rng.of(5));
    }

    /**
     * Every bound, with relu, leaky relu and elu, noise on and off, all rows and a subset: ∂Î/∂θ and
     * ∂Î/∂X, ∂Î/∂Y against central differences with the sampling held fixed.
     */
    @Test
    void everyObjectiveHasExactGradients() {
        Objective[] objectives = {
            Objective.dv(), Objective.nwj(), Objective.smile(0.3), Objective.infoNce(10), Objective.infoNce(64)
        };
        String[] params = {
            "{\"critic\": \"separable\", \"hidden\": 6, \"embedding\": 4}",
            "{\"critic\": \"separable\", \"hidden\": 5, \"embedding\": 3, \"activation\": \"leaky-relu\","
                    + " \"noiseMode\": \"none\", \"rows\": 40}",
            "{\"critic\": \"separable\", \"hidden\": 5, \"embedding\": 3, \"activation\": \"elu\"}"
        };
        for (Objective objective : objectives) {
            for (String json : params) {
                Estimator e = create(json, objective, 2);
                INDArray[] s = samples(DataType.DOUBLE, 9);
                int n = e.rowsUsed(ROWS);
                int[] perm = Rng.of(3).permutation(n);
                int[] rows = n < ROWS ? java.util.Arrays.copyOf(Rng.of(2).permutation(ROWS), n) : null;
                boolean smile = objective instanceof Objective.Smile;
                // without noise, a row whose first layer is all zero has z₂ = b₂ = 0 exactly: a relu kink
                e.parameters().get("fb2").addi(0.05);
                e.parameters().get("gb2").addi(0.05);
                // SMILE's critic ascends the Jensen–Shannon bound, computed here without noise
                Supplier<Sampling> sampling = () -> new Sampling(Rng.of(12), perm, !smile, rows);
                String what = objective + " " + json + ": ";
                try {
                    var grads = e.parameterGradients(s[0], s[1], sampling.get());
                    java.util.function.DoubleSupplier trained = smile
                            ? () -> jensenShannon(
                                    e.parameters(),
                                    s[0],
                                    s[1],
                                    rows,
                                    perm,
                                    TestParams.of(json).as(CriticParams.class).activationFunction())
                            : () -> e.estimate(s[0], s[1], sampling.get());
                    GradientChecker.float64().check(e.parameters(), grads, trained, Rng.of(4));
                    ValueAndGradient vg = e.valueAndGradient(s[0], s[1], sampling.get());
                    assertEquals(e.estimate(s[0], s[1], sampling.get()), vg.value(), 1e-12, what + "value");
                    new GradientChecker(1e-6, 1e-4, 1e-7, 40)
                            .check(
                                    Map.of("x", s[0], "y", s[1]),
                                    Map.of("x", vg.dx(), "y", vg.dy()),
                                    () -> e.estimate(s[0], s[1], sampling.get()),
                                    Rng.of(8));
                } catch (AssertionError err) {
                    throw new AssertionError(what + err.getMessage(), err);
                }
            }
        }
    }

    /** The Jensen–Shannon bound of the separable critic on the rows used, computed here from its parameters. */
    private static double jensenShannon(
            Map<String, INDArray> p, INDArray x, INDArray y, int[] rows, int[] perm, Activation act) {
        INDArray xs = rows == null ? x : x.getRows(rows);
        INDArray ys = rows == null ? y : y.getRows(rows);
        INDArray f = tower(p, "f", xs, act);
        INDArray g = tower(p, "g", ys, act);
        INDArray joint = f.mul(g).sum(1);
        INDArray marginal = f.mul(g.getRows(perm)).sum(1);
        double sum = 0;
        for (int i = 0; i < joint.length(); i++) {
            double tj = joint.getDouble(i);
            double tm = marginal.getDouble(i);
            sum += -(Math.max(-tj, 0) + Math.log1p(Math.exp(-Math.abs(tj))))
                    - (Math.max(tm, 0) + Math.log1p(Math.exp(-Math.abs(tm))));
        }
        return sum / joint.length();
    }

    private static INDArray tower(Map<String, INDArray> p, String prefix, INDArray in, Activation act) {
        INDArray a = in;
        for (int layer = 1; layer <= 2; layer++) {
            INDArray z = a.mmul(p.get(prefix + "W" + layer)).addiRowVector(p.get(prefix + "b" + layer));
            a = apply(act, z);
        }
        return a.mmul(p.get(prefix + "W3")).addiRowVector(p.get(prefix + "b3"));
    }

    /** φ(z) by ND4J's own transforms, independent of the kernels under test. */
    private static INDArray apply(Activation act, INDArray z) {
        return act.elu()
                ? org.nd4j.linalg.ops.transforms.Transforms.elu(z, true)
                : org.nd4j.linalg.ops.transforms.Transforms.leakyRelu(z, act.slope(), true);
    }

    /** InfoNCE cannot exceed the log of its batch, however strongly X and Y depend. */
    @Test
    void infoNceIsBoundedByTheLogOfItsBatch() {
        Estimator e = create(
                "{\"critic\": \"separable\", \"hidden\": 16, \"embedding\": 8, \"noiseMode\": \"none\","
                        + " \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.01}}",
                Objective.infoNce(8),
                1);
        INDArray[] s = samples(DataType.DOUBLE, 9);
        // y is x (the first two columns): the MI is infinite
        INDArray x = s[0];
        INDArray y = x.getColumns(0, 1).dup();
        double last = 0;
        for (int step = 0; step < 300; step++) {
            last = e.trainStep(x, y, Sampling.of(Rng.of(step)));
        }
        assertTrue(last > 0.8 * Math.log(8), "InfoNCE learned only " + last);
        assertTrue(last <= Math.log(8) + 1e-12, "InfoNCE " + last + " above log 8");
    }

    /** The same rows as the lanes of one thread: the noise of a chunk does not depend on the threads. */
    @Test
    void threadsDoNotChangeTheResult() {
        INDArray[] s = samples(DataType.DOUBLE, 9);
        ValueAndGradient one = create(SMALL, Objective.dv(), 1).valueAndGradient(s[0], s[1], Sampling.of(Rng.of(7)));
        ValueAndGradient two = create(SMALL, Objective.dv(), 2).valueAndGradient(s[0], s[1], Sampling.of(Rng.of(7)));
        assertEquals(one.value(), two.value(), 1e-12);
        assertTrue(one.dx().equalsWithEps(two.dx(), 1e-12));
    }

    @Test
    void optionsThatDoNotFitTheCriticAreRefused() {
        var concat = assertThrows(IllegalArgumentException.class, () -> create("{}", Objective.infoNce(8), 1));
        assertEquals(
                "critic concat is not offered for infonce: it would score every pair of a batch through the whole"
                        + " network; use critic separable",
                concat.getMessage());
        var mode = assertThrows(
                ConfigException.class,
                () -> TestParams.of("{\"critic\": \"separable\", \"noiseMode\": \"joint-y-only\"}")
                        .as(CriticParams.class));
        assertEquals(
                "test.json: test.params.noiseMode joint-y-only needs the concat critic; the separable one offers both,"
                        + " none",
                mode.getMessage());
        var embedding = assertThrows(
                ConfigException.class, () -> TestParams.of("{\"embedding\": 8}").as(CriticParams.class));
        assertEquals(
                "test.json: test.params.embedding is a parameter of the separable critic; this one is concat",
                embedding.getMessage());
    }
}
