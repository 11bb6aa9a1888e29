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
        for (int i = 0; i < rows.length; i++) {
            from.copy(rows[i] * cols, to, i * cols, cols);
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
        for (int i = 0; i < rows.length; i++) {
            from.copy(i * cols, to, rows[i] * cols, cols);
        }
        return out;
    }

    /** Copies {@code dst.length} elements from {@code offset}. */
    public void read(int offset, double[] dst) {
        read(offset, dst, 0, dst.length);
    }

    /** Copies {@code src} to {@code offset}. */
    public void write(int offset, double[] src) {
        write(offset, src, 0, src.length);
    }

    /** Copies {@code length} elements from {@code offset} to {@code dst[at …]}. */
    public abstract void read(int offset, double[] dst, int at, int length);

    /** Copies {@code src[at … at + length)} to {@code offset}. */
    public abstract void write(int offset, double[] src, int at, int length);

    /**
     * Copies {@code length} elements from {@code offset} to {@code at} of {@code dst}, an array of
     * the same type (or this one, the two runs not overlapping), as they are: no round trip
     * through {@code double}.
     */
    public abstract void copy(int offset, Rows dst, int at, int length);

    private static final class F32 extends Rows {
        private final INDArray owner;
        private final FloatBuffer b;
        private float[] tmp = new float[0];

        F32(INDArray owner, FloatBuffer b) {
            this.owner = owner;
            this.b = b;
        }

        /** A buffer of at least {@code n} floats, kept between calls. */
        private float[] tmp(int n) {
            if (tmp.length < n) {
                tmp = new float[n];
            }
            return tmp;
        }

        @Override
        public void read(int offset, double[] dst, int at, int length) {
            float[] t = tmp(length);
            b.get(offset, t, 0, length);
            for (int i = 0; i < length; i++) {
                dst[at + i] = t[i];
            }
            Reference.reachabilityFence(owner);
        }

        @Override
        public void write(int offset, double[] src, int at, int length) {
            float[] t = tmp(length);
            for (int i = 0; i < length; i++) {
                t[i] = (float) src[at + i];
            }
            b.put(offset, t, 0, length);
            Reference.reachabilityFence(owner);
        }

        @Override
        public void copy(int offset, Rows dst, int at, int length) {
            if (!(dst instanceof F32 to)) {
                throw new IllegalArgumentException("Rows.copy needs two arrays of one type");
            }
            float[] t = tmp(length);
            b.get(offset, t, 0, length);
            to.b.put(at, t, 0, length);
            Reference.reachabilityFence(owner);
            Reference.reachabilityFence(to.owner);
        }
    }

    private static final class F64 extends Rows {
        private final INDArray owner;
        private final DoubleBuffer b;
        private double[] tmp = new double[0];

        F64(INDArray owner, DoubleBuffer b) {
            this.owner = owner;
            this.b = b;
        }

        @Override
        public void read(int offset, double[] dst, int at, int length) {
            b.get(offset, dst, at, length);
            Reference.reachabilityFence(owner);
        }

        @Override
        public void write(int offset, double[] src, int at, int length) {
            b.put(offset, src, at, length);
            Reference.reachabilityFence(owner);
        }

        @Override
        public void copy(int offset, Rows dst, int at, int length) {
            if (!(dst instanceof F64 to)) {
                throw new IllegalArgumentException("Rows.copy needs two arrays of one type");
            }
            if (tmp.length < length) {
                tmp = new double[length];
            }
            b.get(offset, tmp, 0, length);
            to.b.put(at, tmp, 0, length);
            Reference.reachabilityFence(owner);
            Reference.reachabilityFence(to.owner);
        }
    }
}
