package org.mio.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.estimator.Sampling;
import org.mio.api.estimator.ValueAndGradient;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What every {@link MIEstimator} must do: determinism given the sampling stream, a phase-A step
 * that changes the estimate, an exact gradient with respect to both inputs (central differences
 * in float64 with the sampling held fixed) and an exact state round trip.
 */
public abstract class MIEstimatorContract {
    protected static final int DX = 3;
    protected static final int DY = 2;
    protected static final int ROWS = 64;

    /** The service under test. */
    protected abstract MIEstimator estimator();

    /** Small parameters (a narrow network). */
    protected abstract PluginParams smallParams();

    /**
     * Whether phase A trains the estimator (MINE, critics); {@code false} for closed-form
     * estimators, whose training step must then leave the estimate unchanged.
     */
    protected boolean trained() {
        return true;
    }

    private Estimator create(DataType type) {
        return estimator().create(smallParams(), TestParams.context(type), DX, DY, Rng.of(5));
    }

    /** Correlated samples: y depends on x. */
    protected static INDArray[] samples(DataType type, long seed) {
        Rng r = Rng.of(seed);
        INDArray x = Nd4j.create(type, ROWS, DX);
        INDArray y = Nd4j.create(type, ROWS, DY);
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < DX; j++) {
                x.putScalar(i, j, r.nextGaussian());
            }
            for (int j = 0; j < DY; j++) {
                y.putScalar(i, j, 0.8 * x.getDouble(i, j) + 0.6 * r.nextGaussian());
            }
        }
        return new INDArray[] {x, y};
    }

    @Test
    void estimateIsDeterministicGivenTheStream() {
        Estimator e = create(DataType.FLOAT);
        INDArray[] s = samples(DataType.FLOAT, 1);
        double a = e.estimate(s[0], s[1], Sampling.of(Rng.of(3)));
        double b = e.estimate(s[0], s[1], Sampling.of(Rng.of(3)));
        assertEquals(a, b, 0.0);
        assertTrue(Double.isFinite(a));
    }

    @Test
    void trainStepReturnsTheValueBeforeTheUpdateAndLearns() {
        Estimator e = create(DataType.DOUBLE);
        INDArray[] s = samples(DataType.DOUBLE, 2);
        int[] perm = Rng.of(4).permutation(ROWS);
        // a new Sampling per call: an estimator that draws a row subset from the stream draws the same one
        java.util.function.Supplier<Sampling> fixed = () -> new Sampling(Rng.of(4), perm, false);
        double before = e.estimate(s[0], s[1], fixed.get());
        double returned = e.trainStep(s[0], s[1], fixed.get());
        assertEquals(before, returned, 1e-12);
        for (int i = 0; i < 20; i++) {
            e.trainStep(s[0], s[1], fixed.get());
        }
        double after = e.estimate(s[0], s[1], fixed.get());
        if (trained()) {
            assertTrue(after > before, "phase A must increase the bound on fixed data: " + before + " → " + after);
        } else {
            assertEquals(before, after, 0.0, "an estimator without training must not change");
        }
    }

    @Test
    void valueAndGradientMatchCentralDifferences() {
        Estimator e = create(DataType.DOUBLE);
        INDArray[] s = samples(DataType.DOUBLE, 3);
        int[] perm = Rng.of(6).permutation(ROWS);
        // noise on, with the same noise draws in every evaluation
        java.util.function.Supplier<Sampling> sampling = () -> new Sampling(Rng.of(77), perm, true);
        ValueAndGradient vg = e.valueAndGradient(s[0], s[1], sampling.get());
        assertArrayEquals(s[0].shape(), vg.dx().shape());
        assertArrayEquals(s[1].shape(), vg.dy().shape());
        assertEquals(e.estimate(s[0], s[1], sampling.get()), vg.value(), 1e-10);
        Map<String, INDArray> vars = new LinkedHashMap<>();
        vars.put("x", s[0]);
        vars.put("y", s[1]);
        Map<String, INDArray> grads = Map.of("x", vg.dx(), "y", vg.dy());
        new GradientChecker(1e-6, 1e-4, 1e-7, 40)
                .check(vars, grads, () -> e.estimate(s[0], s[1], sampling.get()), Rng.of(8));
    }

    @Test
    void stateRoundTripReproducesTheEstimator() {
        Estimator a = create(DataType.FLOAT);
        INDArray[] s = samples(DataType.FLOAT, 4);
        for (int i = 0; i < 3; i++) {
            a.trainStep(s[0], s[1], Sampling.of(Rng.of(i)));
        }
        Estimator b = estimator().create(smallParams(), TestParams.context(DataType.FLOAT), DX, DY, Rng.of(999));
        b.restoreState(a.state());
        assertEquals(
                a.trainStep(s[0], s[1], Sampling.of(Rng.of(10))),
                b.trainStep(s[0], s[1], Sampling.of(Rng.of(10))),
                0.0);
        assertEquals(
                a.estimate(s[0], s[1], Sampling.of(Rng.of(11))), b.estimate(s[0], s[1], Sampling.of(Rng.of(11))), 0.0);
    }
}
