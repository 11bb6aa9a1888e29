package org.mio.numerics;

import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small helpers every network plugin needs: Keras' Glorot-uniform initializer, a fast tanh for
 * per-step loops, and contiguous arrays of one data type for direct BLAS calls. Thread-safe.
 */
public final class Dense {
    private Dense() {}

    /**
     * A [rows, cols] array of U(−limit, limit) draws, row by row, each {@code (2u − 1)·limit}
     * from {@code uniform01} (e.g. {@code rng::nextDouble}); Keras' Glorot-uniform initializer
     * with {@code limit = √(6 / (fanIn + fanOut))}.
     */
    public static INDArray uniform(DataType type, int rows, int cols, double limit, DoubleSupplier uniform01) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (2 * uniform01.getAsDouble() - 1) * limit;
        }
        return Nd4j.create(v, new long[] {rows, cols}, 'c').castTo(type);
    }

    /** Glorot-uniform for a [fanIn, fanOut] kernel: {@link #uniform} with limit √(6 / (fanIn + fanOut)). */
    public static INDArray glorot(DataType type, int fanIn, int fanOut, DoubleSupplier uniform01) {
        return uniform(type, fanIn, fanOut, Math.sqrt(6.0 / (fanIn + fanOut)), uniform01);
    }

    /**
     * tanh through exp (a JIT intrinsic); {@code Math.tanh} is a native call that dominated the
     * recurrent loops. Exact to a few ulps; ±1 beyond |x| = 20.
     */
    public static double tanh(double x) {
        if (x > 20) {
            return 1;
        }
        if (x < -20) {
            return -1;
        }
        double e = Math.exp(2 * x);
        return Math.abs(x) < 1e-3 ? x * (1 - x * x / 3) : (e - 1) / (e + 1);
    }

    /** The logistic sigmoid 1 / (1 + e^(−x)). */
    public static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** {@code a} as a whole C-order array of {@code type}: itself if it already is one, else a copy. */
    public static INDArray contiguous(INDArray a, DataType type) {
        INDArray c = a.dataType() == type ? a : a.castTo(type);
        return c.isView() || c.ordering() != 'c' ? c.dup('c') : c;
    }
}
