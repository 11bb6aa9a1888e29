package org.mio.numerics;

import java.lang.ref.Reference;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Direct element access to a whole, contiguous FLOAT or DOUBLE INDArray through its off-heap
 * buffer, without ND4J's per-op machinery. For small elementwise loops (optimizers, clipping).
 *
 * <p>A view of native memory does not keep the INDArray alive, and ND4J frees the memory when the
 * INDArray is collected; every accessor therefore fences the array's reachability, so a Vec over
 * a temporary (e.g. {@code Vec.of(a.dup())}) stays valid while it is used.
 */
public abstract sealed class Vec permits Vec.F32, Vec.F64 {

    /** Access to all elements of {@code a} in buffer order; {@code a} must not be a view. */
    public static Vec of(INDArray a) {
        if (a.isView()) {
            throw new IllegalArgumentException(
                    "Vec needs a whole array, found a view of shape " + java.util.Arrays.toString(a.shape()));
        }
        var bytes = a.data().asNio().order(ByteOrder.nativeOrder());
        int length = (int) a.length();
        return switch (a.dataType()) {
            case FLOAT -> new F32(a, bytes.asFloatBuffer(), 0, length);
            case DOUBLE -> new F64(a, bytes.asDoubleBuffer(), 0, length);
            default -> throw new IllegalArgumentException("Vec supports FLOAT and DOUBLE, found " + a.dataType());
        };
    }

    /** Number of elements. */
    public abstract int length();

    /** Element {@code i} as double. */
    public abstract double get(int i);

    /** Sets element {@code i} (rounded to float for FLOAT arrays). */
    public abstract void set(int i, double v);

    /** Σ x². */
    public double sumSquares() {
        double s = 0;
        for (int i = 0, n = length(); i < n; i++) {
            double v = get(i);
            s += v * v;
        }
        return s;
    }

    /** Multiplies every element by {@code f}. */
    public void scaleInPlace(double f) {
        for (int i = 0, n = length(); i < n; i++) {
            set(i, get(i) * f);
        }
    }

    static final class F32 extends Vec {
        private final INDArray owner;
        private final FloatBuffer b;
        private final int off;
        private final int n;

        F32(INDArray owner, FloatBuffer b, int off, int n) {
            this.owner = owner;
            this.b = b;
            this.off = off;
            this.n = n;
        }

        @Override
        public int length() {
            return n;
        }

        @Override
        public double get(int i) {
            double v = b.get(off + i);
            Reference.reachabilityFence(owner);
            return v;
        }

        @Override
        public void set(int i, double v) {
            b.put(off + i, (float) v);
            Reference.reachabilityFence(owner);
        }
    }

    static final class F64 extends Vec {
        private final INDArray owner;
        private final DoubleBuffer b;
        private final int off;
        private final int n;

        F64(INDArray owner, DoubleBuffer b, int off, int n) {
            this.owner = owner;
            this.b = b;
            this.off = off;
            this.n = n;
        }

        @Override
        public int length() {
            return n;
        }

        @Override
        public double get(int i) {
            double v = b.get(off + i);
            Reference.reachabilityFence(owner);
            return v;
        }

        @Override
        public void set(int i, double v) {
            b.put(off + i, v);
            Reference.reachabilityFence(owner);
        }
    }
}
