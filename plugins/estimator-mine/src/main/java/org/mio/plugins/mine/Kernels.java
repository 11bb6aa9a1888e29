package org.mio.plugins.mine;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The elementwise passes of the statistics network on whole (non-view) row-major arrays,
 * addressed by element offsets, for rows {@code [from, to)} of a block (so that threads can split
 * a block). One implementation per data type keeps the inner loops monomorphic and vectorizable.
 * "act" is relu (slope 0) or leaky relu; its derivative is read from the activation's sign,
 * which relu and leaky relu preserve.
 */
abstract class Kernels {

    static Kernels of(DataType type) {
        return type == DataType.FLOAT ? new F32() : new F64();
    }

    /** {@code a[i, j] = act(a[i, j] + bias[j])}. */
    abstract void biasAct(INDArray a, long off, int from, int to, int cols, double[] bias, double slope);

    /** {@code out[i] = Σ_j a[i, j]·w[j] + b}. */
    abstract void rowDot(INDArray a, long off, int from, int to, int cols, double[] w, double b, double[] out, int outOff);

    /** {@code d[i, j] = g[i]·w[j]·act'(act[i, j])}. */
    abstract void outerMasked(INDArray d, INDArray act, long off, int from, int to, int cols, double[] g, int gOff,
            double[] w, double slope);

    /** {@code d[i, j] *= act'(act[i, j])}. */
    abstract void mask(INDArray d, INDArray act, long off, int from, int to, int cols, double slope);

    /** {@code sum[j] += Σ_i a[i, j]} and, if {@code g != null}, {@code wsum[j] += Σ_i g[i]·a[i, j]}. */
    abstract void colSums(INDArray a, long off, int from, int to, int cols, double[] sum, double[] g, int gOff,
            double[] wsum);

    static final class F32 extends Kernels {
        private static FloatBuffer buf(INDArray a) {
            return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        }

        @Override
        void biasAct(INDArray a, long off, int from, int to, int cols, double[] bias, double slope) {
            FloatBuffer b = buf(a);
            float[] row = new float[cols];
            float[] bf = new float[cols];
            for (int j = 0; j < cols; j++) {
                bf[j] = (float) bias[j];
            }
            float s = (float) slope;
            for (int i = from; i < to; i++) {
                int base = (int) (off + (long) i * cols);
                b.get(base, row);
                for (int j = 0; j < cols; j++) {
                    float v = row[j] + bf[j];
                    row[j] = v > 0 ? v : v * s;
                }
                b.put(base, row);
            }
        }

        @Override
        void rowDot(INDArray a, long off, int from, int to, int cols, double[] w, double bias, double[] out, int outOff) {
            FloatBuffer b = buf(a);
            float[] row = new float[cols];
            float[] wf = new float[cols];
            for (int j = 0; j < cols; j++) {
                wf[j] = (float) w[j];
            }
            for (int i = from; i < to; i++) {
                b.get((int) (off + (long) i * cols), row);
                float s = 0;
                for (int j = 0; j < cols; j++) {
                    s += row[j] * wf[j];
                }
                out[outOff + i] = s + bias;
            }
        }

        @Override
        void outerMasked(INDArray d, INDArray act, long off, int from, int to, int cols, double[] g, int gOff,
                double[] w, double slope) {
            FloatBuffer db = buf(d);
            FloatBuffer ab = buf(act);
            float[] row = new float[cols];
            float[] out = new float[cols];
            float[] wf = new float[cols];
            for (int j = 0; j < cols; j++) {
                wf[j] = (float) w[j];
            }
            float s = (float) slope;
            for (int i = from; i < to; i++) {
                int base = (int) (off + (long) i * cols);
                ab.get(base, row);
                float gi = (float) g[gOff + i];
                for (int j = 0; j < cols; j++) {
                    float v = gi * wf[j];
                    out[j] = row[j] > 0 ? v : v * s;
                }
                db.put(base, out);
            }
        }

        @Override
        void mask(INDArray d, INDArray act, long off, int from, int to, int cols, double slope) {
            FloatBuffer db = buf(d);
            FloatBuffer ab = buf(act);
            float[] row = new float[cols];
            float[] dv = new float[cols];
            float s = (float) slope;
            for (int i = from; i < to; i++) {
                int base = (int) (off + (long) i * cols);
                ab.get(base, row);
                db.get(base, dv);
                for (int j = 0; j < cols; j++) {
                    dv[j] = row[j] > 0 ? dv[j] : dv[j] * s;
                }
                db.put(base, dv);
            }
        }

        @Override
        void colSums(INDArray a, long off, int from, int to, int cols, double[] sum, double[] g, int gOff, double[] wsum) {
            FloatBuffer b = buf(a);
            float[] row = new float[cols];
            float[] s = new float[cols];
            float[] ws = new float[cols];
            for (int i = from; i < to; i++) {
                b.get((int) (off + (long) i * cols), row);
                for (int j = 0; j < cols; j++) {
                    s[j] += row[j];
                }
                if (g != null) {
                    float gi = (float) g[gOff + i];
                    for (int j = 0; j < cols; j++) {
                        ws[j] += gi * row[j];
                    }
                }
            }
            for (int j = 0; j < cols; j++) {
                sum[j] += s[j];
                if (g != null) {
                    wsum[j] += ws[j];
                }
            }
        }
    }

    static final class F64 extends Kernels {
        private static DoubleBuffer buf(INDArray a) {
            return a.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
        }

        @Override
        void biasAct(INDArray a, long off, int from, int to, int cols, double[] bias, double slope) {
            DoubleBuffer b = buf(a);
            double[] row = new double[cols];
            for (int i = from; i < to; i++) {
                int base = (int) (off + (long) i * cols);
                b.get(base, row);
                for (int j = 0; j < cols; j++) {
                    double v = row[j] + bias[j];
                    row[j] = v > 0 ? v : v * slope;
                }
                b.put(base, row);
            }
        }

        @Override
        void rowDot(INDArray a, long off, int from, int to, int cols, double[] w, double bias, double[] out, int outOff) {
            DoubleBuffer b = buf(a);
            double[] row = new double[cols];
            for (int i = from; i < to; i++) {
                b.get((int) (off + (long) i * cols), row);
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += row[j] * w[j];
                }
                out[outOff + i] = s + bias;
            }
        }

        @Override
        void outerMasked(INDArray d, INDArray act, long off, int from, int to, int cols, double[] g, int gOff,
                double[] w, double slope) {
            DoubleBuffer db = buf(d);
            DoubleBuffer ab = buf(act);
            double[] row = new double[cols];
            double[] out = new double[cols];
            for (int i = from; i < to; i++) {
                int base = (int) (off + (long) i * cols);
                ab.get(base, row);
                double gi = g[gOff + i];
                for (int j = 0; j < cols; j++) {
                    double v = gi * w[j];
                    out[j] = row[j] > 0 ? v : v * slope;
                }
                db.put(base, out);
            }
        }

        @Override
        void mask(INDArray d, INDArray act, long off, int from, int to, int cols, double slope) {
            DoubleBuffer db = buf(d);
            DoubleBuffer ab = buf(act);
            double[] row = new double[cols];
            double[] dv = new double[cols];
            for (int i = from; i < to; i++) {
                int base = (int) (off + (long) i * cols);
                ab.get(base, row);
                db.get(base, dv);
                for (int j = 0; j < cols; j++) {
                    dv[j] = row[j] > 0 ? dv[j] : dv[j] * slope;
                }
                db.put(base, dv);
            }
        }

        @Override
        void colSums(INDArray a, long off, int from, int to, int cols, double[] sum, double[] g, int gOff, double[] wsum) {
            DoubleBuffer b = buf(a);
            double[] row = new double[cols];
            for (int i = from; i < to; i++) {
                b.get((int) (off + (long) i * cols), row);
                for (int j = 0; j < cols; j++) {
                    sum[j] += row[j];
                }
                if (g != null) {
                    double gi = g[gOff + i];
                    for (int j = 0; j < cols; j++) {
                        wsum[j] += gi * row[j];
                    }
                }
            }
        }
    }
}
