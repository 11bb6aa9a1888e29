package org.mio.critic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float kernels (vectorized, with the branch-free relu forms) against the plain double ones
 * on values that include 0, −0, tiny and negative inputs, for relu, leaky relu and elu, on a row range
 * that leaves the other rows alone. The derivatives the kernels read from the activations are
 * checked against φ'(z) computed from the pre-activations.
 */
class KernelsTest {
    private static final double[][] Z = {
        {-1.5, 0.0, 2.25, -0.0},
        {1e-30, -1e-30, 3.5, -0.75},
        {0.5, -2.0, -0.125, 7.0},
    };
    private static final double[] BIAS = {0.25, 0.0, -0.5, 0.0};

    private static INDArray matrix(DataType type) {
        return Nd4j.createFromArray(Z).castTo(type);
    }

    @Test
    void floatKernelsMatchTheDoubleOnes() {
        for (Activation act : new Activation[] {
            Activation.of("relu", 0.25), Activation.of("leaky-relu", 0.25), Activation.of("elu", 0.25)
        }) {
            String name = act.name();
            INDArray a32 = matrix(DataType.FLOAT);
            INDArray a64 = matrix(DataType.DOUBLE);
            Kernels.of(DataType.FLOAT).biasAct(a32, 1, 3, 4, BIAS, act);
            Kernels.of(DataType.DOUBLE).biasAct(a64, 1, 3, 4, BIAS, act);
            for (int j = 0; j < 4; j++) {
                assertEquals(Z[0][j], a32.getDouble(0, j), "row 0 is outside the range");
                for (int i = 1; i < 3; i++) {
                    double v = Z[i][j] + BIAS[j];
                    double want = v > 0 ? v : act.elu() ? Math.expm1(v) : act.slope() * v;
                    assertEquals(want, a32.getDouble(i, j), 1e-6, "act " + name);
                    assertEquals(want, a64.getDouble(i, j), 1e-12, "act " + name);
                }
            }
            double[] g = {0.5, -2.0, 0.75};
            double[] w = {1.0, -1.5, 0.5, 2.0};
            double[][] sums32 = new double[2][4];
            double[][] sums64 = new double[2][4];
            INDArray d32 = Nd4j.zeros(DataType.FLOAT, 3, 4);
            INDArray d64 = Nd4j.zeros(DataType.DOUBLE, 3, 4);
            Kernels.of(DataType.FLOAT).outerMasked(d32, a32, 1, 3, 4, g, w, act, sums32[0], sums32[1]);
            Kernels.of(DataType.DOUBLE).outerMasked(d64, a64, 1, 3, 4, g, w, act, sums64[0], sums64[1]);
            double[] mask32 = new double[4];
            double[] mask64 = new double[4];
            INDArray e32 = Nd4j.ones(DataType.FLOAT, 3, 4).muli(3);
            INDArray e64 = Nd4j.ones(DataType.DOUBLE, 3, 4).muli(3);
            Kernels.of(DataType.FLOAT).mask(e32, a32, 1, 3, 4, act, mask32);
            Kernels.of(DataType.DOUBLE).mask(e64, a64, 1, 3, 4, act, mask64);
            for (int j = 0; j < 4; j++) {
                double sumD = 0;
                double sumGA = 0;
                double sumMask = 0;
                for (int i = 1; i < 3; i++) {
                    double a = a64.getDouble(i, j);
                    double v = Z[i][j] + BIAS[j];
                    double der = v > 0 ? 1 : act.elu() ? Math.exp(v) : act.slope();
                    double d = g[i] * w[j] * der;
                    assertEquals(d, d32.getDouble(i, j), 1e-6, "outer, " + name + " at " + i + "," + j);
                    assertEquals(d, d64.getDouble(i, j), 1e-12);
                    assertEquals(3 * der, e32.getDouble(i, j), 1e-6, "mask, " + name + " at " + i + "," + j);
                    sumD += d;
                    sumGA += g[i] * a;
                    sumMask += 3 * der;
                }
                assertEquals(0.0, d32.getDouble(0, j), "row 0 is outside the range");
                assertEquals(3.0, e32.getDouble(0, j), "row 0 is outside the range");
                assertEquals(sumD, sums32[0][j], 1e-6);
                assertEquals(sumGA, sums32[1][j], 1e-5);
                assertEquals(sumMask, mask32[j], 1e-6);
                assertEquals(sumD, sums64[0][j], 1e-12);
                assertEquals(sumMask, mask64[j], 1e-12);
            }
        }
    }
}
