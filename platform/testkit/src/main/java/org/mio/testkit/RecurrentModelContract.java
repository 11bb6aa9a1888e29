package org.mio.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mio.api.model.Network;
import org.mio.api.model.RecurrentModel;
import org.mio.api.model.Trajectory;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What every {@link RecurrentModel} must do, including exact BPTT with an extra gradient on the
 * activity at every step, checked by central differences in float64 with and without internal
 * noise (the same noise draws in every evaluation).
 */
public abstract class RecurrentModelContract {
    protected static final int IN = 3;
    protected static final int OUT = 2;

    /** The service under test. */
    protected abstract RecurrentModel model();

    /** Small parameters (a few units); noise as the model's default. */
    protected abstract PluginParams smallParams();

    private Network create(DataType type) {
        return model().create(smallParams(), TestParams.context(type), IN, OUT, Rng.of(11));
    }

    private static INDArray inputs(DataType type, int batch, int time, long seed) {
        Rng r = Rng.of(seed);
        INDArray a = Nd4j.create(type, batch, time, IN);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, r.nextGaussian());
        }
        return a;
    }

    @Test
    void forwardShapes() {
        Network n = create(DataType.FLOAT);
        Trajectory t = n.forward(inputs(DataType.FLOAT, 2, 5, 1), n.zeroState(2), Rng.of(1), false);
        assertArrayEquals(new long[] {2, 5, OUT}, t.outputs().shape());
        assertArrayEquals(new long[] {2, 5, n.activitySize()}, t.activity().shape());
        assertArrayEquals(
                new long[] {2, 5, n.activitySize()}, t.analysisActivity().shape());
        assertArrayEquals(new long[] {2, n.stateSize()}, t.finalState().shape());
        int groups = n.groups().group1().length + n.groups().group2().length;
        assertEquals(true, groups <= n.activitySize());
    }

    @Test
    void initializationAndNoiseFollowTheirStreams() {
        Network a = create(DataType.FLOAT);
        Network b = create(DataType.FLOAT);
        a.parameters().forEach((k, v) -> assertEquals(v, b.parameters().get(k), k));
        INDArray x = inputs(DataType.FLOAT, 2, 6, 2);
        Trajectory ta = a.forward(x, a.zeroState(2), Rng.of(5), false);
        Trajectory tb = b.forward(x, b.zeroState(2), Rng.of(5), false);
        assertEquals(ta.outputs(), tb.outputs());
        Network c = model().create(smallParams(), TestParams.context(DataType.FLOAT), IN, OUT, Rng.of(12));
        assertNotEquals(
                a.parameters().values().iterator().next(),
                c.parameters().values().iterator().next());
    }

    @Test
    void continuingFromTheFinalStateEqualsOneLongRun() {
        Network n = create(DataType.DOUBLE);
        INDArray x = inputs(DataType.DOUBLE, 2, 8, 3);
        Trajectory whole = n.forward(x, n.zeroState(2), null, false);
        Trajectory first = n.forward(
                x.get(
                                org.nd4j.linalg.indexing.NDArrayIndex.all(),
                                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5),
                                org.nd4j.linalg.indexing.NDArrayIndex.all())
                        .dup(),
                n.zeroState(2),
                null,
                false);
        Trajectory second = n.forward(
                x.get(
                                org.nd4j.linalg.indexing.NDArrayIndex.all(),
                                org.nd4j.linalg.indexing.NDArrayIndex.interval(5, 8),
                                org.nd4j.linalg.indexing.NDArrayIndex.all())
                        .dup(),
                first.finalState(),
                null,
                false);
        assertEquals(whole.finalState(), second.finalState());
    }

    @Test
    void backwardMatchesCentralDifferencesWithoutNoise() {
        gradientCheck(false);
    }

    @Test
    void backwardMatchesCentralDifferencesWithNoise() {
        gradientCheck(true);
    }

    @Test
    void regularizationGradientMatchesCentralDifferences() {
        Network n = create(DataType.DOUBLE);
        Map<String, INDArray> g = new java.util.LinkedHashMap<>();
        n.parameters().forEach((k, v) -> g.put(k, Nd4j.zeros(DataType.DOUBLE, v.shape())));
        n.regularization(g);
        GradientChecker.float64().check(n.parameters(), g, () -> n.regularization(null), Rng.of(4));
    }

    private void gradientCheck(boolean noise) {
        Network n = create(DataType.DOUBLE);
        int batch = 2;
        int time = 6;
        INDArray x = inputs(DataType.DOUBLE, batch, time, 9);
        INDArray s0 = n.zeroState(batch).addi(0.3);
        Rng r = Rng.of(21);
        INDArray cOut = Nd4j.create(DataType.DOUBLE, batch, time, OUT);
        INDArray cAct = Nd4j.create(DataType.DOUBLE, batch, time, n.activitySize());
        for (long i = 0; i < cOut.length(); i++) {
            cOut.putScalar(i, r.nextGaussian());
        }
        for (long i = 0; i < cAct.length(); i++) {
            cAct.putScalar(i, r.nextGaussian());
        }
        // L = Σ cOut·outputs + Σ cAct·activity, so ∂L/∂outputs = cOut and ∂L/∂activity = cAct
        java.util.function.DoubleSupplier loss = () -> {
            Trajectory t = n.forward(x, s0, noise ? Rng.of(99) : null, false);
            return t.outputs().mul(cOut).sumNumber().doubleValue()
                    + t.activity().mul(cAct).sumNumber().doubleValue();
        };
        Trajectory t = n.forward(x, s0, noise ? Rng.of(99) : null, true);
        Map<String, INDArray> grads = n.backward(t, cOut, cAct);
        assertEquals(n.parameters().keySet(), grads.keySet());
        GradientChecker.float64().check(n.parameters(), grads, loss, Rng.of(2));
    }
}
