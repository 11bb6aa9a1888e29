package org.mio.critic;

import java.util.Arrays;
import java.util.Map;
import org.mio.api.plugin.Rng;
import org.mio.numerics.Blas;
import org.mio.numerics.Dense;
import org.mio.numerics.Rows;
import org.mio.numerics.Threads;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fully connected network φ(…φ(x·W₁ + b₁)…)·W_L + b_L (relu or leaky relu between the layers, a
 * linear last layer) at GEMM speed, for estimators to build on: the separable critic's f and g,
 * CLUB's μ and log σ². Rows go in blocks of at most {@code blockRows}, split statically among
 * per-core lanes ({@link Threads#lanes}) that run single-threaded GEMMs on row ranges of whole
 * arrays, each followed by its elementwise pass while the block is in cache; nothing is allocated
 * per call once the row count is known. The activations of the last {@link #forward} are kept for
 * {@link #backward}; each lane sums its own weight gradients, combined in lane order, so results
 * are reproducible for a given thread count.
 *
 * <p>Its parameters live in the owner's maps under {@code <prefix>W1, <prefix>b1, …}: Glorot-uniform
 * kernels and zero biases (the Keras defaults).
 */
public final class Mlp {
    private final String prefix;
    private final int[] widths;
    private final Activation act;
    private final int blockRows;
    private final DataType type;
    private final int threads;
    private final Kernels k;
    private final Map<String, INDArray> params;
    private final Map<String, INDArray> grads;
    private final int layers;

    private INDArray input;
    /** Per layer l (1-based), the activations of the last forward pass; acts[layers] is the output. */
    private INDArray[] acts;
    /** Per layer, the gradient with respect to its pre-activation, [n, widths[l]]. */
    private INDArray[] deltas;

    private INDArray dIn;
    private Acc[] accs;

    /**
     * The same with relu (slope 0) or leaky relu.
     *
     * @deprecated use the constructor that takes an {@link Activation}
     */
    @Deprecated
    public Mlp(
            String prefix,
            int[] widths,
            double slope,
            int blockRows,
            DataType type,
            int threads,
            Map<String, INDArray> params,
            Map<String, INDArray> grads,
            Rng init) {
        this(
                prefix,
                widths,
                new Activation(slope == 0 ? "relu" : "leaky-relu", slope),
                blockRows,
                type,
                threads,
                params,
                grads,
                init);
    }

    /**
     * Creates the layers' parameters in {@code params}; the owner gives every parameter a gradient
     * of its shape in {@code grads} before the first backward pass.
     *
     * @param prefix the parameters' names begin with it
     * @param widths input width, hidden widths, output width (at least two entries)
     * @param act the hidden layers' activation
     * @param blockRows the most rows per block
     * @param type the data type of every tensor
     * @param threads lanes
     * @param params the owner's parameters
     * @param grads the owner's gradients, filled by {@link #backward}
     * @param init the stream for the initial weights
     */
    public Mlp(
            String prefix,
            int[] widths,
            Activation act,
            int blockRows,
            DataType type,
            int threads,
            Map<String, INDArray> params,
            Map<String, INDArray> grads,
            Rng init) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("an Mlp needs an input and an output width");
        }
        this.prefix = prefix;
        this.widths = widths.clone();
        this.act = act;
        this.blockRows = blockRows;
        this.type = type;
        this.threads = Math.max(1, threads);
        this.k = Kernels.of(type);
        this.params = params;
        this.grads = grads;
        this.layers = widths.length - 1;
        for (int l = 1; l <= layers; l++) {
            params.put(prefix + "W" + l, Dense.glorot(type, widths[l - 1], widths[l], init::nextDouble));
            params.put(prefix + "b" + l, Nd4j.zeros(type, widths[l]));
        }
    }

    /** A lane's weight-gradient sums. */
    private final class Acc {
        final INDArray[] w = new INDArray[layers + 1];
        final double[][] b = new double[layers + 1][];
        boolean used;

        Acc() {
            for (int l = 1; l <= layers; l++) {
                w[l] = Nd4j.create(type, widths[l - 1], widths[l]);
                b[l] = new double[widths[l]];
            }
        }
    }

    private void ensure(int n) {
        if (acts != null && acts[1].size(0) == n) {
            return;
        }
        acts = new INDArray[layers + 1];
        deltas = new INDArray[layers + 1];
        for (int l = 1; l <= layers; l++) {
            acts[l] = Nd4j.create(type, n, widths[l]);
            deltas[l] = Nd4j.create(type, n, widths[l]);
        }
        dIn = Nd4j.create(type, n, widths[0]);
        accs = new Acc[threads];
        for (int q = 0; q < threads; q++) {
            accs[q] = new Acc();
        }
    }

    private INDArray w(int l) {
        return params.get(prefix + "W" + l);
    }

    /**
     * The outputs [n, out] of the rows of {@code x} [n, in] (row-major, whole), keeping the
     * activations. The returned array is reused by the next call.
     */
    public INDArray forward(INDArray x) {
        int n = (int) x.size(0);
        ensure(n);
        input = x;
        double[][] bias = new double[layers + 1][];
        for (int l = 1; l <= layers; l++) {
            bias[l] = Kernels.doubles(params.get(prefix + "b" + l));
        }
        Blocks blocks = Blocks.of(n, blockRows, threads);
        int out = widths[layers];
        Threads.lanes(threads, lane -> {
            Rows outRows = Rows.of(acts[layers]);
            double[] row = new double[out];
            for (int b = blocks.first(lane); b < blocks.first(lane + 1); b++) {
                int r0 = blocks.start(b);
                int m = blocks.rows(b);
                INDArray prev = x;
                for (int l = 1; l <= layers; l++) {
                    int in = widths[l - 1];
                    int wl = widths[l];
                    Blas.gemm(
                            type,
                            false,
                            false,
                            m,
                            wl,
                            in,
                            1,
                            prev,
                            (long) r0 * in,
                            in,
                            w(l),
                            0,
                            wl,
                            0,
                            acts[l],
                            (long) r0 * wl,
                            wl);
                    if (l < layers) {
                        k.biasAct(acts[l], r0, r0 + m, wl, bias[l], act);
                    }
                    prev = acts[l];
                }
                for (int r = r0; r < r0 + m; r++) {
                    outRows.read(r * out, row);
                    for (int j = 0; j < out; j++) {
                        row[j] += bias[layers][j];
                    }
                    outRows.write(r * out, row);
                }
            }
        });
        return acts[layers];
    }

    /**
     * Back from ∂/∂output [n, out] (row-major, whole) of the last {@link #forward}: the parameter
     * gradients into the owner's {@code grads} (with {@code wantParams}) and the gradient with
     * respect to the input (with {@code wantInput}, a new array; else {@code null}).
     */
    public INDArray backward(INDArray dOut, boolean wantParams, boolean wantInput) {
        int n = (int) dOut.size(0);
        Blocks blocks = Blocks.of(n, blockRows, threads);
        Threads.lanes(threads, lane -> {
            Acc acc = accs[lane];
            acc.used = blocks.first(lane) < blocks.first(lane + 1);
            for (int l = 1; l <= layers; l++) {
                Arrays.fill(acc.b[l], 0);
            }
            Rows dRows = Rows.of(dOut);
            int out = widths[layers];
            double[] row = new double[out];
            for (int b = blocks.first(lane); b < blocks.first(lane + 1); b++) {
                int r0 = blocks.start(b);
                int m = blocks.rows(b);
                double fresh = b == blocks.first(lane) ? 0 : 1;
                if (wantParams) {
                    for (int r = r0; r < r0 + m; r++) {
                        dRows.read(r * out, row);
                        for (int j = 0; j < out; j++) {
                            acc.b[layers][j] += row[j];
                        }
                    }
                }
                INDArray delta = dOut; // ∂/∂(pre-activation of layer l), rows [r0, r0 + m)
                for (int l = layers; l >= 1; l--) {
                    int in = widths[l - 1];
                    int wl = widths[l];
                    INDArray below = l > 1 ? acts[l - 1] : input;
                    if (wantParams) {
                        Blas.gemm(
                                type,
                                true,
                                false,
                                in,
                                wl,
                                m,
                                1,
                                below,
                                (long) r0 * in,
                                in,
                                delta,
                                (long) r0 * wl,
                                wl,
                                fresh,
                                acc.w[l],
                                0,
                                wl);
                    }
                    if (l > 1) {
                        // into layer l − 1's pre-activation: (delta·W_lᵀ) ⊙ φ'(act), its column sums → b_{l−1}
                        Blas.gemm(
                                type,
                                false,
                                true,
                                m,
                                in,
                                wl,
                                1,
                                delta,
                                (long) r0 * wl,
                                wl,
                                w(l),
                                0,
                                wl,
                                0,
                                deltas[l - 1],
                                (long) r0 * in,
                                in);
                        k.mask(deltas[l - 1], acts[l - 1], r0, r0 + m, in, act, acc.b[l - 1]);
                        delta = deltas[l - 1];
                    } else if (wantInput) {
                        Blas.gemm(
                                type,
                                false,
                                true,
                                m,
                                in,
                                wl,
                                1,
                                delta,
                                (long) r0 * wl,
                                wl,
                                w(1),
                                0,
                                wl,
                                0,
                                dIn,
                                (long) r0 * in,
                                in);
                    }
                }
            }
        });
        if (wantParams) {
            collect();
        }
        return wantInput ? dIn.dup() : null;
    }

    /** The lanes' sums into the owner's gradients, in lane order. */
    private void collect() {
        for (int l = 1; l <= layers; l++) {
            INDArray g = grads.get(prefix + "W" + l).assign(0);
            double[] b = new double[widths[l]];
            for (Acc acc : accs) {
                if (!acc.used) {
                    continue;
                }
                g.addi(acc.w[l]);
                for (int j = 0; j < b.length; j++) {
                    b[j] += acc.b[l][j];
                }
            }
            grads.get(prefix + "b" + l).assign(Nd4j.createFromArray(b).castTo(type));
        }
    }
}
