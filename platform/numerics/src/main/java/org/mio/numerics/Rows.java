package org.mio.numerics;

import java.lang.ref.Reference;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bulk reads and writes of runs of elements of a whole FLOAT or DOUBLE array as {@code double[]},
 * through its off-heap buffer: the per-step state exchange with the GEMMs of the recurrence.
 * Keeps the array reachable while it is used (ND4J frees the memory of collected arrays).
 */
public abstract class Rows {

    /**
     * Access to {@code a}, a FLOAT or DOUBLE array that covers its whole buffer in C order: an
     * array of its own, or a reshape of one (which ND4J calls a view).
     */
    public static Rows of(INDArray a) {
        if (!whole(a)) {
            throw new IllegalArgumentException("Rows needs a whole array, found a view");
        }
        var bytes = a.data().asNio().order(ByteOrder.nativeOrder());
        return a.dataType() == DataType.FLOAT ? new F32(a, bytes.asFloatBuffer()) : new F64(a, bytes.asDoubleBuffer());
    }

    /**
     * Whether {@code a} covers its whole buffer, from its start, in C order with the default
     * strides: then its elements are the buffer's, one after the other, and {@link #of} takes it.
     */
    public static boolean whole(INDArray a) {
        return !a.isView()
                || a.offset() == 0
                        && a.length() == a.data().length()
                        && a.ordering() == 'c'
                        && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a);
    }

    /**
     * The rows {@code rows[0], rows[1], …} of a matrix as a new row-major matrix of its type, with
     * one bulk copy per row: ND4J's {@code getRows} makes a view, with its native shape
     * information, for every row, which costs far more than the copy.
     *
     * @param a a matrix, any order
     * @param rows row indices, repeats allowed
     */
    public static INDArray gather(INDArray a, int[] rows) {
        INDArray src = a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
        int cols = (int) a.size(1);
        INDArray out = org.nd4j.linalg.factory.Nd4j.create(a.dataType(), rows.length, cols);
        Rows from = of(src);
        Rows to = of(out);
        double[] row = new double[cols];
        for (int i = 0; i < rows.length; i++) {
            from.read(rows[i] * cols, row);
            to.write(i * cols, row);
        }
        return out;
    }

    /**
     * A new row-major matrix of {@code total} rows, zero but for row {@code rows[i]}, which holds
     * row i of {@code a} (the inverse of {@link #gather} for distinct indices).
     */
    public static INDArray scatter(INDArray a, int[] rows, int total) {
        INDArray src = a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
        int cols = (int) a.size(1);
        INDArray out = org.nd4j.linalg.factory.Nd4j.create(a.dataType(), total, cols);
        Rows from = of(src);
        Rows to = of(out);
        double[] row = new double[cols];
        for (int i = 0; i < rows.length; i++) {
            from.read(i * cols, row);
            to.write(rows[i] * cols, row);
        }
        return out;
    }

    /** Copies {@code dst.length} elements from {@code offset}. */
    public abstract void read(int offset, double[] dst);

    /** Copies {@code src} to {@code offset}. */
    public abstract void write(int offset, double[] src);

    private static final class F32 extends Rows {
        private final INDArray owner;
        private final FloatBuffer b;
        private float[] tmp = new float[0];

        F32(INDArray owner, FloatBuffer b) {
            this.owner = owner;
            this.b = b;
        }

        private float[] tmp(int n) {
            if (tmp.length != n) {
                tmp = new float[n];
            }
            return tmp;
        }

        @Override
        public void read(int offset, double[] dst) {
            float[] t = tmp(dst.length);
            b.get(offset, t);
            for (int i = 0; i < t.length; i++) {
                dst[i] = t[i];
            }
            Reference.reachabilityFence(owner);
        }

        @Override
        public void write(int offset, double[] src) {
            float[] t = tmp(src.length);
            for (int i = 0; i < t.length; i++) {
                t[i] = (float) src[i];
            }
            b.put(offset, t);
            Reference.reachabilityFence(owner);
        }
    }

    private static final class F64 extends Rows {
        private final INDArray owner;
        private final DoubleBuffer b;

        F64(INDArray owner, DoubleBuffer b) {
            this.owner = owner;
            this.b = b;
        }

        @Override
        public void read(int offset, double[] dst) {
            b.get(offset, dst);
            Reference.reachabilityFence(owner);
        }

        @Override
        public void write(int offset, double[] src) {
            b.put(offset, src);
            Reference.reachabilityFence(owner);
        }
    }
}
