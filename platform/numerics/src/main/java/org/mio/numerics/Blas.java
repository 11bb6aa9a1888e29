package org.mio.numerics;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * GEMM straight into the OpenBLAS that ND4J ships, on INDArray buffers, without ND4J's per-op
 * bookkeeping (≈ 2 µs instead of ≈ 200 µs for small products; STACK.md §9).
 */
public final class Blas {
    private Blas() {}

    /**
     * {@code C ← alpha·op(A)·op(B) + beta·C} for row-major 2-D arrays of one data type (FLOAT or
     * DOUBLE). Rows may be strided (a view of whole rows or a column block of a C-order array),
     * columns must be contiguous.
     */
    public static void gemm(
            INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, double alpha, double beta) {
        int m = (int) c.size(0);
        int n = (int) c.size(1);
        int k = (int) (transA ? a.size(0) : a.size(1));
        long am = transA ? a.size(1) : a.size(0);
        long bk = transB ? b.size(1) : b.size(0);
        long bn = transB ? b.size(0) : b.size(1);
        if (am != m || bk != k || bn != n) {
            throw new IllegalArgumentException("gemm shapes: A" + java.util.Arrays.toString(a.shape())
                    + (transA ? "ᵀ" : "") + " · B" + java.util.Arrays.toString(b.shape()) + (transB ? "ᵀ" : "")
                    + " → C" + java.util.Arrays.toString(c.shape()));
        }
        DataType t = c.dataType();
        if (a.dataType() != t || b.dataType() != t) {
            throw new IllegalArgumentException(
                    "gemm needs one data type, found " + a.dataType() + ", " + b.dataType() + ", " + t);
        }
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int lda = rowStride(a);
        int ldb = rowStride(b);
        int ldc = rowStride(c);
        if (t == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(
                    openblas_nolapack.CblasRowMajor,
                    ta,
                    tb,
                    m,
                    n,
                    k,
                    (float) alpha,
                    floats(a),
                    lda,
                    floats(b),
                    ldb,
                    (float) beta,
                    floats(c),
                    ldc);
        } else if (t == DataType.DOUBLE) {
            openblas_nolapack.cblas_dgemm(
                    openblas_nolapack.CblasRowMajor,
                    ta,
                    tb,
                    m,
                    n,
                    k,
                    alpha,
                    doubles(a),
                    lda,
                    doubles(b),
                    ldb,
                    beta,
                    doubles(c),
                    ldc);
        } else {
            throw new IllegalArgumentException("gemm supports FLOAT and DOUBLE, found " + t);
        }
        // the pointers do not keep the arrays alive; ND4J frees the memory of collected arrays
        java.lang.ref.Reference.reachabilityFence(a);
        java.lang.ref.Reference.reachabilityFence(b);
        java.lang.ref.Reference.reachabilityFence(c);
    }

    /**
     * {@code C ← alpha·op(A)·op(B) + beta·C} on row-major sub-matrices of whole arrays, addressed by
     * element offsets into their buffers: the form for hot loops that walk blocks of rows without
     * creating views. All three arrays must have {@code type}.
     */
    public static void gemm(
            DataType type,
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            double alpha,
            INDArray a,
            long aOffset,
            int lda,
            INDArray b,
            long bOffset,
            int ldb,
            double beta,
            INDArray c,
            long cOffset,
            int ldc) {
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        if (type == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(
                    openblas_nolapack.CblasRowMajor,
                    ta,
                    tb,
                    m,
                    n,
                    k,
                    (float) alpha,
                    floats(a).position(aOffset),
                    lda,
                    floats(b).position(bOffset),
                    ldb,
                    (float) beta,
                    floats(c).position(cOffset),
                    ldc);
        } else {
            openblas_nolapack.cblas_dgemm(
                    openblas_nolapack.CblasRowMajor,
                    ta,
                    tb,
                    m,
                    n,
                    k,
                    alpha,
                    doubles(a).position(aOffset),
                    lda,
                    doubles(b).position(bOffset),
                    ldb,
                    beta,
                    doubles(c).position(cOffset),
                    ldc);
        }
        java.lang.ref.Reference.reachabilityFence(a);
        java.lang.ref.Reference.reachabilityFence(b);
        java.lang.ref.Reference.reachabilityFence(c);
    }

    /**
     * Pointer to the first element of {@code a}. A view's buffer already starts at the view's
     * offset, so no offset is added.
     */
    public static FloatPointer floats(INDArray a) {
        return new FloatPointer(a.data().addressPointer());
    }

    /** Pointer to the first element of {@code a}, as {@link #floats}. */
    public static DoublePointer doubles(INDArray a) {
        return new DoublePointer(a.data().addressPointer());
    }

    private static int rowStride(INDArray x) {
        if (x.rank() != 2 || x.ordering() != 'c' && !(x.size(1) == 1) || x.stride(1) != 1 && x.size(1) != 1) {
            throw new IllegalArgumentException("gemm needs row-major 2-D arrays with contiguous rows, found shape "
                    + java.util.Arrays.toString(x.shape()) + " strides " + java.util.Arrays.toString(x.stride()));
        }
        return (int) Math.max(x.stride(0), x.size(1));
    }
}
