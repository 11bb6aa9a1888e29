package org.mio.critic;

import java.util.Arrays;
import org.mio.api.estimator.Sampling;
import org.mio.api.plugin.Rng;
import org.mio.numerics.Rows;
import org.mio.numerics.Threads;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The random choices of a call that every critic makes the same way, in the same order: the
 * subset of rows it uses (when {@code rows} is below S), then the permutation that pairs each
 * used row with another row's Y, then the input noise ({@link #draw}). A fixed subset or
 * permutation in the {@link Sampling} replaces the draw, after a check that names what is wrong.
 */
public final class RowSubset {
    private RowSubset() {}

    /**
     * The used rows: {@code null} for all {@code total} rows, the sampling's fixed subset, or the
     * first {@code n} of a permutation drawn from its stream.
     *
     * @param name the estimator, for messages
     * @throws IllegalArgumentException if a fixed subset has the wrong length or repeats or leaves
     *     [0, total)
     */
    public static int[] rows(String name, Sampling s, int n, int total) {
        if (s.rows() == null) {
            return n < total ? Arrays.copyOf(s.rng().permutation(total), n) : null;
        }
        int[] rows = s.rows();
        if (rows.length != n) {
            throw new IllegalArgumentException(name + ": the row subset has " + rows.length
                    + " entries; this estimator uses " + n + " of the " + total + " rows");
        }
        boolean[] seen = new boolean[total];
        for (int r : rows) {
            if (r < 0 || r >= total || seen[r]) {
                throw new IllegalArgumentException(
                        name + ": the row subset must hold distinct rows in [0, " + total + "), found " + r);
            }
            seen[r] = true;
        }
        return rows;
    }

    /** The sampling's fixed permutation of n positions, or one drawn from its stream. */
    public static int[] permutation(String name, Sampling s, int n) {
        int[] perm = s.permutation() != null ? s.permutation() : s.rng().permutation(n);
        if (perm.length != n) {
            throw new IllegalArgumentException(
                    name + ": the permutation has " + perm.length + " entries for " + n + " rows");
        }
        return perm;
    }

    /** The inverse of a permutation: {@code inverse[perm[i]] = i}. */
    static int[] inverse(int[] perm) {
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inverse[perm[i]] = i;
        }
        return inverse;
    }

    /** Rows per stream of noise: a chunk of rows draws its noise from a stream of its own. */
    private static final int NOISE_CHUNK = 4096;

    /**
     * The rows a call uses, with their noise, and the call's permutation of them.
     *
     * @param x the used rows of X with noise, [n, dx], row-major
     * @param y the used rows of Y with noise, [n, dy], row-major
     * @param rows which of the caller's rows they are ({@code null}: all, in order)
     * @param perm the call's permutation of the n used rows
     * @param total S, the caller's rows
     */
    public record Drawn(INDArray x, INDArray y, int[] rows, int[] perm, int total) {

        /** Gradients of the used rows, [n, ·], in their places among the caller's S rows, zero elsewhere. */
        public INDArray scatter(INDArray usedRows) {
            return rows == null ? usedRows : Rows.scatter(usedRows, rows, total);
        }
    }

    /**
     * Draws a call's random choices in the order every critic uses (row subset, permutation, one
     * seed for the noise) and copies the used rows of X and Y with N(0, σ²) noise added. Chunks of
     * rows draw their noise from streams of their own, split among {@code threads} lanes, so the
     * result does not depend on the thread count.
     *
     * @param n the rows used, at most S
     * @param sigma the noise, 0 for none
     */
    public static Drawn draw(String name, Sampling s, INDArray x, INDArray y, int n, double sigma, int threads) {
        int total = (int) x.size(0);
        int dx = (int) x.size(1);
        int dy = (int) y.size(1);
        int[] rows = rows(name, s, n, total);
        int[] perm = permutation(name, s, n);
        long noiseSeed = sigma > 0 ? s.rng().nextLong() : 0;
        INDArray xs = Nd4j.create(x.dataType(), n, dx);
        INDArray ys = Nd4j.create(y.dataType(), n, dy);
        INDArray xc = x.isView() || x.ordering() != 'c' ? x.dup('c') : x;
        INDArray yc = y.isView() || y.ordering() != 'c' ? y.dup('c') : y;
        int chunks = (n + NOISE_CHUNK - 1) / NOISE_CHUNK;
        int lanes = Math.max(1, Math.min(threads, chunks));
        Threads.lanes(lanes, lane -> {
            Rows xr = Rows.of(xc);
            Rows yr = Rows.of(yc);
            Rows xw = Rows.of(xs);
            Rows yw = Rows.of(ys);
            double[] rx = new double[dx];
            double[] ry = new double[dy];
            for (int c = Threads.start(chunks, lanes, lane); c < Threads.start(chunks, lanes, lane + 1); c++) {
                Rng noise = sigma > 0 ? Rng.derive(noiseSeed, "chunk", Integer.toString(c)) : null;
                for (int r = c * NOISE_CHUNK; r < Math.min(n, (c + 1) * NOISE_CHUNK); r++) {
                    int src = rows == null ? r : rows[r];
                    xr.read(src * dx, rx);
                    yr.read(src * dy, ry);
                    if (noise != null) {
                        for (int q = 0; q < dx; q++) {
                            rx[q] += sigma * noise.nextGaussian();
                        }
                        for (int q = 0; q < dy; q++) {
                            ry[q] += sigma * noise.nextGaussian();
                        }
                    }
                    xw.write(r * dx, rx);
                    yw.write(r * dy, ry);
                }
            }
        });
        return new Drawn(xs, ys, rows, perm, total);
    }
}
