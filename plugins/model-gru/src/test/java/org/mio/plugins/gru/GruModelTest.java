package org.mio.plugins.gru;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mio.api.model.Network;
import org.mio.api.model.RecurrentModel;
import org.mio.api.model.Trajectory;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.testkit.RecurrentModelContract;
import org.mio.testkit.TestParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GruModelTest extends RecurrentModelContract {

    @Override
    protected RecurrentModel model() {
        return new GruModel(null);
    }

    @Override
    protected PluginParams smallParams() {
        // L2 large enough that its gradient is checked too
        return TestParams.of("{\"hidden\": 5, \"groupSplit\": 2, \"l2Input\": 0.01, \"l2Recurrent\": 0.02, "
                + "\"l2Output\": 0.03}");
    }

    private static Network create(String json, int in, int out) {
        return new GruModel(null).create(TestParams.of(json), TestParams.context(DataType.DOUBLE), in, out, Rng.of(3));
    }

    /** Keras defaults: W [in, 3N] and W_o Glorot-uniform, U [N, 3N] orthogonal (orthonormal rows), zero biases (2, 3N). */
    @Test
    void keraslikeParametersAndInitialization() {
        Network n = create("{}", 3, 6);
        Map<String, INDArray> p = n.parameters();
        assertEquals(java.util.List.of("W", "U", "b", "W_o", "b_o"), java.util.List.copyOf(p.keySet()));
        assertArrayEquals(new long[] {3, 300}, p.get("W").shape());
        assertArrayEquals(new long[] {100, 300}, p.get("U").shape());
        assertArrayEquals(new long[] {2, 300}, p.get("b").shape());
        assertArrayEquals(new long[] {100, 6}, p.get("W_o").shape());
        assertEquals(0.0, p.get("b").norm2Number().doubleValue());
        assertTrue(p.get("W").amaxNumber().doubleValue() <= Math.sqrt(6.0 / 303));
        assertTrue(p.get("W_o").amaxNumber().doubleValue() <= Math.sqrt(6.0 / 106));
        INDArray u = p.get("U");
        INDArray gram = u.mmul(u.transpose());
        assertTrue(
                gram.sub(Nd4j.eye(100).castTo(DataType.DOUBLE)).amaxNumber().doubleValue() < 1e-12,
                "rows of U are orthonormal");
        assertEquals(50, n.groups().group1().length);
        assertEquals(50, n.groups().group2()[0]);
        var e = assertThrows(ConfigException.class, () -> create("{\"groupSplit\": 100}", 3, 6));
        assertTrue(e.getMessage().contains("groupSplit must be in [1, 99], found 100"), e.getMessage());
    }

    /**
     * Two steps of a 2-unit GRU by hand with Keras' equations: z keeps the old state, the reset
     * gate multiplies h·U_h + b¹_h (reset after the matmul), gate order z | r | h̃.
     */
    @Test
    void twoStepsByHandWithKerasConventions() {
        Network net = create("{\"hidden\": 2, \"groupSplit\": 1}", 1, 1);
        Rng r = Rng.of(8);
        for (INDArray v : net.parameters().values()) {
            for (long i = 0; i < v.length(); i++) {
                v.putScalar(i, 0.8 * r.nextGaussian());
            }
        }
        double[][] w = net.parameters().get("W").toDoubleMatrix();
        double[][] u = net.parameters().get("U").toDoubleMatrix();
        double[][] b = net.parameters().get("b").toDoubleMatrix();
        double[][] wo = net.parameters().get("W_o").toDoubleMatrix();
        double bo = net.parameters().get("b_o").getDouble(0);
        double[] xs = {0.7, -1.3};
        double[] h = {0.25, -0.5};
        INDArray h0 = Nd4j.createFromArray(new double[][] {h.clone()});
        double[] expectedY = new double[2];
        for (int t = 0; t < 2; t++) {
            double[] next = new double[2];
            for (int j = 0; j < 2; j++) {
                double hz = h[0] * u[0][j] + h[1] * u[1][j] + b[1][j];
                double hr = h[0] * u[0][2 + j] + h[1] * u[1][2 + j] + b[1][2 + j];
                double hh = h[0] * u[0][4 + j] + h[1] * u[1][4 + j] + b[1][4 + j];
                double z = 1 / (1 + Math.exp(-(xs[t] * w[0][j] + b[0][j] + hz)));
                double rg = 1 / (1 + Math.exp(-(xs[t] * w[0][2 + j] + b[0][2 + j] + hr)));
                double c = Math.tanh(xs[t] * w[0][4 + j] + b[0][4 + j] + rg * hh);
                next[j] = z * h[j] + (1 - z) * c;
            }
            h = next;
            expectedY[t] = h[0] * wo[0][0] + h[1] * wo[1][0] + bo;
        }
        INDArray x = Nd4j.createFromArray(new double[][][] {{{xs[0]}, {xs[1]}}});
        Trajectory tr = net.forward(x, h0, Rng.of(1), false);
        assertEquals(h[0], tr.activity().getDouble(0, 1, 0), 1e-12);
        assertEquals(h[1], tr.finalState().getDouble(0, 1), 1e-12);
        assertEquals(expectedY[0], tr.outputs().getDouble(0, 0, 0), 1e-12);
        assertEquals(expectedY[1], tr.outputs().getDouble(0, 1, 0), 1e-12);
    }

    /** Keras l2 without ½ on W, U and W_o; biases are not regularized. */
    @Test
    void l2PenaltyIsCTimesTheSquaredNormWithoutAHalf() {
        Network net = create("{\"hidden\": 3, \"l2Input\": 0.1, \"l2Recurrent\": 0.2, \"l2Output\": 0.3}", 2, 1);
        net.parameters().get("b").addi(5.0);
        double expected = 0;
        double[] c = {0.1, 0.2, 0.3};
        String[] names = {"W", "U", "W_o"};
        for (int i = 0; i < 3; i++) {
            double s = net.parameters().get(names[i]).norm2Number().doubleValue();
            expected += c[i] * s * s;
        }
        assertEquals(expected, net.regularization(null), 1e-12);
    }

    /**
     * The recurrence runs in lanes of sequences (one per thread): 2 and 3 lanes over a batch of 5
     * give the forward pass and the gradients of one lane.
     */
    @Test
    void lanesOfSequencesGiveTheSameNumbersAsOne() {
        Map<Integer, Map<String, INDArray>> grads = new java.util.HashMap<>();
        Map<Integer, INDArray> outs = new java.util.HashMap<>();
        Rng r = Rng.of(4);
        INDArray x = gaussian(r, 5, 7, 3);
        INDArray dAct = gaussian(r, 5, 7, 6);
        for (int threads : new int[] {1, 2, 3}) {
            Network net = new GruModel(null)
                    .create(
                            TestParams.of("{\"hidden\": 6}"),
                            TestParams.context(DataType.DOUBLE, threads),
                            3,
                            2,
                            Rng.of(3));
            Trajectory tr = net.forward(x, net.zeroState(5).addi(0.2), null, true);
            outs.put(threads, tr.outputs().dup());
            grads.put(threads, net.backward(tr, tr.outputs().dup(), dAct));
        }
        for (int threads : new int[] {2, 3}) {
            assertTrue(outs.get(1).equalsWithEps(outs.get(threads), 1e-12), threads + " lanes: outputs");
            for (var e : grads.get(1).entrySet()) {
                assertTrue(
                        e.getValue().equalsWithEps(grads.get(threads).get(e.getKey()), 1e-12),
                        threads + " lanes: gradient of " + e.getKey());
            }
        }
    }

    /**
     * Chunks of 3 steps over 8 (two whole chunks and a short one, which runs first backward) give
     * the outputs and gradients of one chunk; with dOutputs only and with dActivity only too.
     */
    @Test
    void chunksOfStepsGiveTheSameNumbersAsOne() {
        Rng r = Rng.of(5);
        INDArray x = gaussian(r, 3, 8, 2);
        INDArray dAct = gaussian(r, 3, 8, 6);
        Map<Integer, INDArray> outs = new java.util.HashMap<>();
        Map<Integer, java.util.List<Map<String, INDArray>>> grads = new java.util.HashMap<>();
        for (int chunk : new int[] {GruNetwork.CHUNK, 3}) {
            GruNetwork net = ((GruNetwork) new GruModel(null)
                            .create(
                                    TestParams.of("{\"hidden\": 6}"),
                                    TestParams.context(DataType.DOUBLE, 2),
                                    2,
                                    3,
                                    Rng.of(3)))
                    .chunk(chunk);
            Trajectory tr = net.forward(x, net.zeroState(3).addi(0.1), null, true);
            outs.put(chunk, tr.outputs().dup());
            grads.put(
                    chunk,
                    java.util.List.of(
                            net.backward(tr, tr.outputs().dup(), dAct),
                            net.backward(tr, tr.outputs().dup(), null),
                            net.backward(tr, null, dAct)));
        }
        assertTrue(outs.get(3).equalsWithEps(outs.get(GruNetwork.CHUNK), 1e-12), "outputs");
        for (int c = 0; c < 3; c++) {
            for (var e : grads.get(3).get(c).entrySet()) {
                INDArray one = grads.get(GruNetwork.CHUNK).get(c).get(e.getKey());
                assertTrue(e.getValue().equalsWithEps(one, 1e-12), "case " + c + ": gradient of " + e.getKey());
                boolean readout = e.getKey().equals("W_o") || e.getKey().equals("b_o");
                // without dOutputs the readout gets no gradient; everything else always does
                assertEquals(
                        c == 2 && readout,
                        one.amaxNumber().doubleValue() == 0,
                        "case " + c + ": gradient of " + e.getKey() + " zero");
            }
        }
    }

    /**
     * float32 networks take the rational tanh and sigmoid: over 300 steps (three chunks) the
     * outputs and gradients stay within float32 round-off of the float64 network's.
     */
    @Test
    void float32AgreesWithFloat64() {
        Rng r = Rng.of(6);
        double[] xs = new double[2 * 300 * 3];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = r.nextDouble();
        }
        Map<DataType, INDArray> outs = new java.util.HashMap<>();
        Map<DataType, Map<String, INDArray>> grads = new java.util.HashMap<>();
        for (DataType t : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            Network net = new GruModel(null).create(TestParams.of("{}"), TestParams.context(t, 2), 3, 6, Rng.of(3));
            INDArray x = Nd4j.create(xs, new long[] {2, 300, 3}, 'c').castTo(t);
            Trajectory tr = net.forward(x, net.zeroState(2), null, true);
            outs.put(t, tr.outputs().castTo(DataType.DOUBLE));
            grads.put(t, net.backward(tr, tr.outputs().dup(), null));
        }
        INDArray d = outs.get(DataType.DOUBLE);
        double scale = d.amaxNumber().doubleValue();
        double diff = outs.get(DataType.FLOAT).sub(d).amaxNumber().doubleValue();
        assertTrue(diff < 1e-5 * scale && diff > 0, "outputs: float32 − float64 = " + diff + " of " + scale);
        for (var e : grads.get(DataType.DOUBLE).entrySet()) {
            double s = e.getValue().amaxNumber().doubleValue();
            double g = grads.get(DataType.FLOAT)
                    .get(e.getKey())
                    .castTo(DataType.DOUBLE)
                    .sub(e.getValue())
                    .amaxNumber()
                    .doubleValue();
            assertTrue(g < 1e-4 * s, "gradient of " + e.getKey() + ": float32 − float64 = " + g + " of " + s);
        }
    }

    /** A float64 array of the given shape filled with N(0, 1) draws of {@code r}, in buffer order. */
    private static INDArray gaussian(Rng r, long... shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, r.nextGaussian());
        }
        return a;
    }
}
