package org.mio.plugins.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.mio.api.model.Network;
import org.mio.api.model.RecurrentModel;
import org.mio.api.model.Trajectory;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.testkit.RecurrentModelContract;
import org.mio.testkit.TestParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LeakyRnnModelTest extends RecurrentModelContract {

    @Override
    protected RecurrentModel model() {
        return new LeakyRnnModel(null);
    }

    @Override
    protected PluginParams smallParams() {
        return TestParams.of("{\"hidden\": 6, \"alpha\": 0.3, \"noise\": 0.1, \"recurrentScale\": 1.5}");
    }

    @Test
    void referenceInitializationScales() {
        Network net = model().create(TestParams.empty(), TestParams.context(DataType.DOUBLE), 4, 2, Rng.of(1));
        // W_in ~ U(±√(6/44)) = ±0.3693, W_out ~ U(±√(6/42)) = ±0.3780, W_rec ~ N(0, 1/40)
        assertEquals(0.3693, net.parameters().get("W_in").amaxNumber().doubleValue(), 0.02);
        assertEquals(0.3780, net.parameters().get("W_out").amaxNumber().doubleValue(), 0.03);
        assertEquals(
                1 / Math.sqrt(40), net.parameters().get("W_rec").stdNumber().doubleValue(), 0.01);
        assertEquals(0.0, net.parameters().get("b").sumNumber().doubleValue(), 0);
        assertEquals(20, net.groups().group1().length);
    }

    @Test
    void oneStepByHand() {
        Network net = model().create(
                        TestParams.of("{\"hidden\": 2, \"alpha\": 0.1, \"noise\": 0.0}"),
                        TestParams.context(DataType.DOUBLE),
                        1,
                        1,
                        Rng.of(3));
        net.parameters().get("W_in").assign(Nd4j.createFromArray(new double[][] {{1.0, -2.0}}));
        net.parameters().get("W_rec").assign(Nd4j.createFromArray(new double[][] {{0.5, 0.0}, {0.0, 0.25}}));
        net.parameters().get("b").assign(Nd4j.createFromArray(0.1, 0.2));
        net.parameters().get("W_out").assign(Nd4j.createFromArray(new double[][] {{1.0}, {1.0}}));
        INDArray x0 = Nd4j.createFromArray(new double[][] {{0.3, -0.4}});
        Trajectory t = net.forward(Nd4j.createFromArray(new double[][][] {{{2.0}}}), x0, null, false);
        double a0 = 2.0 * 1.0 + 0.1 + Math.tanh(0.3) * 0.5;
        double a1 = 2.0 * -2.0 + 0.2 + Math.tanh(-0.4) * 0.25;
        double x0n = 0.9 * 0.3 + 0.1 * a0;
        double x1n = 0.9 * -0.4 + 0.1 * a1;
        assertEquals(x0n, t.analysisActivity().getDouble(0, 0, 0), 1e-12);
        assertEquals(x1n, t.finalState().getDouble(0, 1), 1e-12);
        assertEquals(Math.tanh(x0n) + Math.tanh(x1n), t.outputs().getDouble(0, 0, 0), 1e-12);
    }

    @Test
    void noiseIsAddedUnscaledWithStdSigma() {
        Network net = model().create(
                        TestParams.of("{\"hidden\": 50, \"noise\": 0.1}"),
                        TestParams.context(DataType.DOUBLE),
                        1,
                        1,
                        Rng.of(3));
        net.parameters().get("W_in").assign(0);
        net.parameters().get("W_rec").assign(0);
        INDArray x0 = Nd4j.zeros(DataType.DOUBLE, 400, 50);
        Trajectory t = net.forward(Nd4j.zeros(DataType.DOUBLE, 400, 1, 1), x0, Rng.of(5), false);
        // x_1 = σ·ξ: std 0.1, not 0.1·α or 0.1·√α
        assertEquals(0.1, t.finalState().stdNumber().doubleValue(), 0.003);
    }
}
