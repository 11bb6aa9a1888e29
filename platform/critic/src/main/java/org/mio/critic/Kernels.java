package org.mio.critic;

import java.lang.ref.Reference;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.mio.numerics.Dense;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The elementwise passes of the statistics network, on rows {@code [from, to)} of whole
 * row-major block arrays, so that threads can split a block. Each pass that feeds a reduction
 * (bias and w₃ gradients) accumulates it in the same sweep, so every activation is read once per
 * use. One implementation per data type keeps the loops monomorphic; the float one is
 * branch-free so the JIT vectorizes it. "act" is an {@link Activation}; its derivative is read
 * from the activation's output.
 */
abstract class Kernels {

    static Kernels of(DataType type) {
        return type == DataType.FLOAT ? new F32() : new F64();
    }

    /** The elements of a small array (a bias, a vector of scores) as doubles, in row-major order. */
    static double[] doubles(INDArray v) {
        return v.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** {@code a[i, j] = act(a[i, j] + bias[j])}. */
    abstract void biasAct(INDArray a, int from, int to, int cols, double[] bias, Activation act);

    /**
     * {@code d[i, j] = g[i]·w[j]·act'(a[i, j])}, adding {@code Σ_i d[i, j]} into {@code sumD}
     * and {@code Σ_i g[i]·a[i, j]} into {@code sumGA}.
     */
    abstract void outerMasked(
            INDArray d,
            INDArray a,
            int from,
            int to,
            int cols,
            double[] g,
            double[] w,
            Activation act,
            double[] sumD,
            double[] sumGA);

    /** {@code d[i, j] *= act'(a[i, j])}, adding {@code Σ_i d[i, j]} (after masking) into {@code sum}. */
    abstract void mask(INDArray d, INDArray a, int from, int to, int cols, Activation act, double[] sum);

    static final class F32 extends Kernels {
        private static FloatBuffer buf(INDArray a) {
            return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        }

        /**
         * act'(·) read from the activation a = act(z): 1 where a > 0, else s. Branch-free (a
         * select on a random sign mispredicts half the time and does not vectorize):
         * min(max(a·2¹²⁶, 0), 1) is 1 for every normal a > 0 and 0 for a ≤ 0; only subnormal
         * activations (< 1.2e-38) get a fractional value.
         */
        private static float derivative(float a, float s) {
            float on = Math.min(Math.max(a * 0x1p126f, 0f), 1f);
            return s + (1 - s) * on;
        }

        /**
         * relu'(·) read from a relu activation a ≥ +0 (as {@link #relu} makes them): min(a·2¹²⁶, 1),
         * the form above without its max, which costs as much as the rest of the pass.
         */
        private static float reluDerivative(float a) {
            return Math.min(a * 0x1p126f, 1f);
        }

        /** elu'(·) read from an elu activation a > −1: min(a, 0) + 1 (a + 1 = eᶻ where z ≤ 0). */
        private static float eluDerivative(float a) {
            return Math.min(a, 0f) + 1f;
        }

        /**
         * relu(v) = (v + |v|)/2, exact in floating point below 2¹²⁷ (v + |v| is 2v or +0) and
         * about twice as fast as a vectorized Math.max, whose NaN and −0 rules need extra
         * instructions. Gives +0 for v ≤ 0.
         */
        private static float relu(float v) {
            return 0.5f * (v + Math.abs(v));
        }

        @Override
        void biasAct(INDArray a, int from, int to, int cols, double[] bias, Activation act) {
            FloatBuffer b = buf(a);
            float[] row = new float[cols];
            float[] bf = toFloat(bias);
            float s = (float) act.slope();
            boolean elu = act.elu();
            for (int i = from; i < to; i++) {
                int base = i * cols;
                b.get(base, row);
                if (elu) {
                    // branch-free: max(v, 0) + expm1(min(v, 0)), the exponential a rational function
                    for (int j = 0; j < cols; j++) {
                        float v = row[j] + bf[j];
                        row[j] = Math.max(v, 0f) + Dense.expm1NonPositive(Math.min(v, 0f));
                    }
                } else if (s == 0) {
                    for (int j = 0; j < cols; j++) {
                        row[j] = relu(row[j] + bf[j]);
                    }
                } else {
                    for (int j = 0; j < cols; j++) {
                        float v = row[j] + bf[j];
                        row[j] = Math.max(v, v * s); // act(v) for 0 < s < 1
                    }
                }
                b.put(base, row);
            }
            Reference.reachabilityFence(a);
        }

        @Override
        void outerMasked(
                INDArray d,
                INDArray a,
                int from,
                int to,
                int cols,
                double[] g,
                double[] w,
                Activation act,
                double[] sumD,
                double[] sumGA) {
            FloatBuffer db = buf(d);
            FloatBuffer ab = buf(a);
            float[] row = new float[cols];
            float[] out = new float[cols];
            float[] wf = toFloat(w);
            float[] sd = new float[cols];
            float[] sga = new float[cols];
            float s = (float) act.slope();
            boolean elu = act.elu();
            for (int i = from; i < to; i++) {
                int base = i * cols;
                ab.get(base, row);
                float gi = (float) g[i];
                if (elu) {
                    for (int j = 0; j < cols; j++) {
                        float v = gi * wf[j] * eluDerivative(row[j]);
                        out[j] = v;
                        sd[j] += v;
                        sga[j] += gi * row[j];
                    }
                } else if (s == 0) {
                    for (int j = 0; j < cols; j++) {
                        float v = gi * wf[j] * reluDerivative(row[j]);
                        out[j] = v;
                        sd[j] += v;
                        sga[j] += gi * row[j];
                    }
                } else {
                    for (int j = 0; j < cols; j++) {
                        float v = gi * wf[j] * derivative(row[j], s);
                        out[j] = v;
                        sd[j] += v;
                        sga[j] += gi * row[j];
                    }
                }
                db.put(base, out);
            }
            for (int j = 0; j < cols; j++) {
                sumD[j] += sd[j];
                sumGA[j] += sga[j];
            }
            Reference.reachabilityFence(d);
            Reference.reachabilityFence(a);
        }

        @Override
        void mask(INDArray d, INDArray a, int from, int to, int cols, Activation act, double[] sum) {
            FloatBuffer db = buf(d);
            FloatBuffer ab = buf(a);
            float[] row = new float[cols];
            float[] dv = new float[cols];
            float[] acc = new float[cols];
            float s = (float) act.slope();
            boolean elu = act.elu();
            for (int i = from; i < to; i++) {
                int base = i * cols;
                ab.get(base, row);
                db.get(base, dv);
                if (elu) {
                    for (int j = 0; j < cols; j++) {
                        float v = dv[j] * eluDerivative(row[j]);
                        dv[j] = v;
                        acc[j] += v;
                    }
                } else if (s == 0) {
                    for (int j = 0; j < cols; j++) {
                        float v = dv[j] * reluDerivative(row[j]);
                        dv[j] = v;
                        acc[j] += v;
                    }
                } else {
                    for (int j = 0; j < cols; j++) {
                        float v = dv[j] * derivative(row[j], s);
                        dv[j] = v;
                        acc[j] += v;
                    }
                }
                db.put(base, dv);
            }
            for (int j = 0; j < cols; j++) {
                sum[j] += acc[j];
            }
            Reference.reachabilityFence(d);
            Reference.reachabilityFence(a);
        }

        private static float[] toFloat(double[] v) {
            float[] f = new float[v.length];
            for (int j = 0; j < v.length; j++) {
                f[j] = (float) v[j];
            }
            return f;
        }
    }

    static final class F64 extends Kernels {
        private static DoubleBuffer buf(INDArray a) {
            return a.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
        }

        private static double derivative(double a, Activation act) {
            return act.elu() ? Math.min(a, 0) + 1 : a > 0 ? 1 : act.slope();
        }

        @Override
        void biasAct(INDArray a, int from, int to, int cols, double[] bias, Activation act) {
            DoubleBuffer b = buf(a);
            double[] row = new double[cols];
            double slope = act.slope();
            boolean elu = act.elu();
            for (int i = from; i < to; i++) {
                int base = i * cols;
                b.get(base, row);
                for (int j = 0; j < cols; j++) {
                    double v = row[j] + bias[j];
                    row[j] = v > 0 ? v : elu ? Math.expm1(v) : v * slope;
                }
                b.put(base, row);
            }
            Reference.reachabilityFence(a);
        }

        @Override
        void outerMasked(
                INDArray d,
                INDArray a,
                int from,
                int to,
                int cols,
                double[] g,
                double[] w,
                Activation act,
                double[] sumD,
                double[] sumGA) {
            DoubleBuffer db = buf(d);
            DoubleBuffer ab = buf(a);
            double[] row = new double[cols];
            double[] out = new double[cols];
            for (int i = from; i < to; i++) {
                int base = i * cols;
                ab.get(base, row);
                double gi = g[i];
                for (int j = 0; j < cols; j++) {
                    double v = gi * w[j] * derivative(row[j], act);
                    out[j] = v;
                    sumD[j] += v;
                    sumGA[j] += gi * row[j];
                }
                db.put(base, out);
            }
            Reference.reachabilityFence(d);
            Reference.reachabilityFence(a);
        }

        @Override
        void mask(INDArray d, INDArray a, int from, int to, int cols, Activation act, double[] sum) {
            DoubleBuffer db = buf(d);
            DoubleBuffer ab = buf(a);
            double[] row = new double[cols];
            double[] dv = new double[cols];
            for (int i = from; i < to; i++) {
                int base = i * cols;
                ab.get(base, row);
                db.get(base, dv);
                for (int j = 0; j < cols; j++) {
                    dv[j] *= derivative(row[j], act);
                    sum[j] += dv[j];
                }
                db.put(base, dv);
            }
            Reference.reachabilityFence(d);
            Reference.reachabilityFence(a);
        }
    }
}
