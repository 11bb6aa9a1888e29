package org.mio.critic;

import org.mio.api.estimator.Sampling;
import org.mio.api.estimator.ValueAndGradient;
import org.mio.api.plugin.Rng;
import org.mio.numerics.Blas;
import org.mio.numerics.Dense;
import org.mio.numerics.Rows;
import org.mio.numerics.Threads;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The separable critic T(x, y) = f(x)·g(y), with f and g two networks φ(φ(·W₁ + b₁)W₂ + b₂)W₃ + b₃
 * ending in {@code embedding} units, under any {@link Objective}. Each input row goes through its
 * network once; the scores of joint, marginal or all pairs of a batch are then dot products of the
 * embeddings (for InfoNCE, one GEMM per batch). Rows go through the layers in blocks split among
 * per-core lanes, as in the concatenated critic ({@link Tower}).
 *
 * <p>Partition bounds: Î = mean_i f(x̃_i)·g(ỹ_i) − F(Σ_i exp c(f(x̃_i)·g(ỹ_π(i)))). InfoNCE: the
 * used rows, in the order of the call's permutation, are cut into consecutive batches of near-equal
 * size (at most {@code batch}), and Î = mean over rows of [T_ii − log mean_j exp T_ij] over the
 * row's batch.
 */
final class SeparableCritic extends TrainedEstimator {
    private final CriticParams p;
    private final Objective objective;
    private final Kernels k;
    private final int h;
    private final int e;
    private final double slope;
    private final int threads;
    private final Tower f;
    private final Tower g;

    SeparableCritic(
            String name, Objective objective, CriticParams p, DataType type, int threads, int dx, int dy, Rng init) {
        super(name, p.optimizer(), p.rows(), type, dx, dy);
        this.p = p;
        this.objective = objective;
        this.k = Kernels.of(type);
        this.h = p.hidden();
        this.e = p.embedding();
        this.slope = p.slope();
        this.threads = Math.max(1, threads);
        this.f = new Tower("f", dx, init);
        this.g = new Tower("g", dy, init);
        allocateGradients();
    }

    /**
     * One of the two networks, its parameters named {@code <prefix>W1 … <prefix>b3}. Rows go in
     * blocks of at most {@code blockRows}, split statically among per-core lanes that run
     * single-threaded GEMMs on row ranges of whole arrays (as the concatenated critic does), so
     * nothing is allocated per call once the row count is known and each lane's elementwise pass
     * follows its GEMM while the block is in cache. The activations of the last forward pass are
     * kept for the backward pass; each lane sums its own weight gradients, combined in lane order.
     */
    private final class Tower {
        final String prefix;
        final int in;
        INDArray input;
        INDArray a1;
        INDArray a2;
        INDArray out;
        INDArray d1;
        INDArray d2;
        INDArray dIn;
        Acc[] accs;

        /** A lane's weight-gradient sums. */
        private final class Acc {
            final INDArray w1 = Nd4j.create(type, in, h);
            final INDArray w2 = Nd4j.create(type, h, h);
            final INDArray w3 = Nd4j.create(type, h, e);
            final double[] b1 = new double[h];
            final double[] b2 = new double[h];
            final double[] b3 = new double[e];
            boolean used;
        }

        Tower(String prefix, int in, Rng init) {
            this.prefix = prefix;
            this.in = in;
            // Keras Dense defaults, as the concatenated critic: Glorot-uniform kernels, zero biases
            params.put(prefix + "W1", Dense.glorot(type, in, h, init::nextDouble));
            params.put(prefix + "b1", Nd4j.zeros(type, h));
            params.put(prefix + "W2", Dense.glorot(type, h, h, init::nextDouble));
            params.put(prefix + "b2", Nd4j.zeros(type, h));
            params.put(prefix + "W3", Dense.glorot(type, h, e, init::nextDouble));
            params.put(prefix + "b3", Nd4j.zeros(type, e));
        }

        INDArray param(String n) {
            return params.get(prefix + n);
        }

        private void ensure(int n) {
            if (a1 != null && a1.size(0) == n) {
                return;
            }
            a1 = Nd4j.create(type, n, h);
            a2 = Nd4j.create(type, n, h);
            out = Nd4j.create(type, n, e);
            d1 = Nd4j.create(type, n, h);
            d2 = Nd4j.create(type, n, h);
            dIn = Nd4j.create(type, n, in);
            accs = new Acc[threads];
            for (int q = 0; q < threads; q++) {
                accs[q] = new Acc();
            }
        }

        /** The embeddings [n, e] of the rows of {@code x} (row-major, whole), keeping the activations. */
        INDArray forward(INDArray x) {
            int n = (int) x.size(0);
            ensure(n);
            input = x;
            double[] b1 = vector(param("b1"));
            double[] b2 = vector(param("b2"));
            double[] b3 = vector(param("b3"));
            INDArray w1 = param("W1");
            INDArray w2 = param("W2");
            INDArray w3 = param("W3");
            Blocks blocks = new Blocks(n, p.blockRows(), threads);
            Threads.lanes(threads, lane -> {
                Rows outRows = Rows.of(out);
                double[] row = new double[e];
                for (int b = blocks.first(lane); b < blocks.first(lane + 1); b++) {
                    int r0 = blocks.start(b);
                    int m = blocks.rows(b);
                    Blas.gemm(
                            type, false, false, m, h, in, 1, x, (long) r0 * in, in, w1, 0, h, 0, a1, (long) r0 * h, h);
                    k.biasAct(a1, r0, r0 + m, h, b1, slope);
                    Blas.gemm(type, false, false, m, h, h, 1, a1, (long) r0 * h, h, w2, 0, h, 0, a2, (long) r0 * h, h);
                    k.biasAct(a2, r0, r0 + m, h, b2, slope);
                    Blas.gemm(type, false, false, m, e, h, 1, a2, (long) r0 * h, h, w3, 0, e, 0, out, (long) r0 * e, e);
                    for (int r = r0; r < r0 + m; r++) {
                        outRows.read(r * e, row);
                        for (int j = 0; j < e; j++) {
                            row[j] += b3[j];
                        }
                        outRows.write(r * e, row);
                    }
                }
            });
            return out;
        }

        /**
         * Back from ∂/∂embedding [n, e] (row-major, whole): the parameter gradients into
         * {@link #grads} (with {@code wantParams}) and the gradient with respect to the input (with
         * {@code wantInput}, else {@code null}).
         */
        INDArray backward(INDArray dOut, boolean wantParams, boolean wantInput) {
            int n = (int) dOut.size(0);
            INDArray w1 = param("W1");
            INDArray w2 = param("W2");
            INDArray w3 = param("W3");
            Blocks blocks = new Blocks(n, p.blockRows(), threads);
            Threads.lanes(threads, lane -> {
                Acc acc = accs[lane];
                acc.used = blocks.first(lane) < blocks.first(lane + 1);
                java.util.Arrays.fill(acc.b1, 0);
                java.util.Arrays.fill(acc.b2, 0);
                java.util.Arrays.fill(acc.b3, 0);
                Rows dRows = Rows.of(dOut);
                double[] row = new double[e];
                for (int b = blocks.first(lane); b < blocks.first(lane + 1); b++) {
                    int r0 = blocks.start(b);
                    int m = blocks.rows(b);
                    double fresh = b == blocks.first(lane) ? 0 : 1;
                    long rh = (long) r0 * h;
                    if (wantParams) {
                        Blas.gemm(
                                type, true, false, h, e, m, 1, a2, rh, h, dOut, (long) r0 * e, e, fresh, acc.w3, 0, e);
                        for (int r = r0; r < r0 + m; r++) {
                            dRows.read(r * e, row);
                            for (int j = 0; j < e; j++) {
                                acc.b3[j] += row[j];
                            }
                        }
                    }
                    Blas.gemm(type, false, true, m, h, e, 1, dOut, (long) r0 * e, e, w3, 0, e, 0, d2, rh, h);
                    k.mask(d2, a2, r0, r0 + m, h, slope, acc.b2);
                    if (wantParams) {
                        Blas.gemm(type, true, false, h, h, m, 1, a1, rh, h, d2, rh, h, fresh, acc.w2, 0, h);
                    }
                    Blas.gemm(type, false, true, m, h, h, 1, d2, rh, h, w2, 0, h, 0, d1, rh, h);
                    k.mask(d1, a1, r0, r0 + m, h, slope, acc.b1);
                    if (wantParams) {
                        Blas.gemm(
                                type,
                                true,
                                false,
                                in,
                                h,
                                m,
                                1,
                                input,
                                (long) r0 * in,
                                in,
                                d1,
                                rh,
                                h,
                                fresh,
                                acc.w1,
                                0,
                                h);
                    }
                    if (wantInput) {
                        Blas.gemm(type, false, true, m, in, h, 1, d1, rh, h, w1, 0, h, 0, dIn, (long) r0 * in, in);
                    }
                }
            });
            if (wantParams) {
                collect();
            }
            return wantInput ? dIn.dup() : null;
        }

        /** The lanes' sums into {@link #grads}, in lane order. */
        private void collect() {
            double[] b1 = new double[h];
            double[] b2 = new double[h];
            double[] b3 = new double[e];
            INDArray g1 = grads.get(prefix + "W1").assign(0);
            INDArray g2 = grads.get(prefix + "W2").assign(0);
            INDArray g3 = grads.get(prefix + "W3").assign(0);
            for (Acc acc : accs) {
                if (!acc.used) {
                    continue;
                }
                g1.addi(acc.w1);
                g2.addi(acc.w2);
                g3.addi(acc.w3);
                for (int j = 0; j < h; j++) {
                    b1[j] += acc.b1[j];
                    b2[j] += acc.b2[j];
                }
                for (int j = 0; j < e; j++) {
                    b3[j] += acc.b3[j];
                }
            }
            grads.get(prefix + "b1").assign(Nd4j.createFromArray(b1).castTo(type));
            grads.get(prefix + "b2").assign(Nd4j.createFromArray(b2).castTo(type));
            grads.get(prefix + "b3").assign(Nd4j.createFromArray(b3).castTo(type));
        }
    }

    /**
     * Consecutive blocks of near-equal size, none over {@code blockRows}, their count a multiple of
     * the lanes where the rows allow; lane q runs blocks {@code [first(q), first(q + 1))}.
     */
    private record Blocks(int n, int size, int count, int lanes) {
        Blocks(int n, int blockRows, int lanes) {
            this(n, sizeOf(n, blockRows, lanes), countOf(n, blockRows, lanes), lanes);
        }

        private static int countOf(int n, int blockRows, int lanes) {
            int size = sizeOf(n, blockRows, lanes);
            return (n + size - 1) / size;
        }

        private static int sizeOf(int n, int blockRows, int lanes) {
            int count = ((n + blockRows - 1) / blockRows + lanes - 1) / lanes * lanes;
            return Math.max(1, (n + count - 1) / count);
        }

        int start(int b) {
            return b * size;
        }

        int rows(int b) {
            return Math.min(size, n - b * size);
        }

        int first(int lane) {
            return (int) ((long) count * lane / lanes);
        }
    }

    private static double[] vector(INDArray v) {
        return v.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private RowSubset.Drawn inputs(INDArray x, INDArray y, Sampling s) {
        return drawRows(x, y, s, p.noise(), p.noiseMode(), threads);
    }

    @Override
    protected double run(INDArray x, INDArray y, Sampling sampling, double scale, boolean wantParams) {
        return call(inputs(x, y, sampling), scale, wantParams, false).value();
    }

    @Override
    public ValueAndGradient valueAndGradient(INDArray x, INDArray y, Sampling sampling) {
        RowSubset.Drawn in = inputs(x, y, sampling);
        ValueAndGradient used = call(in, 1.0, false, true);
        return new ValueAndGradient(used.value(), in.scatter(used.dx()), in.scatter(used.dy()));
    }

    /**
     * The value; with {@code wantParams} ∂(scale·Î)/∂θ into {@link #grads}; with
     * {@code wantInputs} ∂Î/∂x̃ and ∂Î/∂ỹ of the used rows (the noise is additive, so these are the
     * gradients with respect to the inputs).
     */
    private ValueAndGradient call(RowSubset.Drawn in, double scale, boolean wantParams, boolean wantInputs) {
        INDArray fx = f.forward(in.x());
        INDArray gy = g.forward(in.y());
        INDArray[] d = objective instanceof Objective.Partition bound
                ? partition(bound, fx, gy, in.perm(), scale, wantParams && bound.trainsJensenShannon())
                : infoNce(((Objective.InfoNce) objective).batch(), fx, gy, in.perm(), scale);
        double value = d[2].getDouble(0);
        if (!wantParams && !wantInputs) {
            return new ValueAndGradient(value, null, null);
        }
        INDArray dx = f.backward(Dense.contiguous(d[0], type), wantParams, wantInputs);
        INDArray dyOut = g.backward(Dense.contiguous(d[1], type), wantParams, wantInputs);
        return new ValueAndGradient(value, dx, dyOut);
    }

    /**
     * A partition bound on joint pairs (i, i) and marginal pairs (i, π(i)).
     *
     * @return ∂(scale·Î)/∂F, ∂(scale·Î)/∂G and Î as a scalar
     */
    private INDArray[] partition(
            Objective.Partition bound, INDArray fx, INDArray gy, int[] perm, double scale, boolean js) {
        int n = (int) fx.size(0);
        INDArray gp = Rows.gather(gy, perm);
        double[] tJ = vector(fx.mul(gy).sum(1));
        double[] tM = vector(fx.mul(gp).sum(1));
        double joint = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            joint += tJ[i];
            max = Math.max(max, bound.clip(tM[i]));
        }
        double sumExp = 0;
        for (int i = 0; i < n; i++) {
            sumExp += Math.exp(bound.clip(tM[i]) - max);
        }
        double value = joint / n - bound.partition(max, sumExp, n);
        double factor = -scale * bound.slope(max, max, sumExp, n);
        double[] dM = new double[n];
        double[] dJ = new double[n];
        for (int i = 0; i < n; i++) {
            if (js) {
                // the Jensen–Shannon bound's gradient: σ(−T_joint)/n and −σ(T_marginal)/n
                dJ[i] = scale / n / (1 + Math.exp(tJ[i]));
                dM[i] = -scale / n / (1 + Math.exp(-tM[i]));
            } else {
                double c = bound.clip(tM[i]);
                dJ[i] = scale / n;
                dM[i] = c == tM[i] ? factor * Math.exp(c - max) : 0;
            }
        }
        INDArray dMarg = Nd4j.createFromArray(dM).castTo(type).reshape(n, 1);
        INDArray dJoint = Nd4j.createFromArray(dJ).castTo(type).reshape(n, 1);
        INDArray dF = gy.mulColumnVector(dJoint).addi(gp.mulColumnVector(dMarg));
        // row π(i) of G feeds marginal pair i: G's row j gets the marginal gradient of pair π⁻¹(j)
        int[] inverse = new int[n];
        for (int i = 0; i < n; i++) {
            inverse[perm[i]] = i;
        }
        INDArray dG = fx.mulColumnVector(dJoint).addi(Rows.gather(fx.mulColumnVector(dMarg), inverse));
        return new INDArray[] {dF, dG, Nd4j.scalar(value)};
    }

    /**
     * InfoNCE over consecutive batches of the rows in the order of {@code perm}: per batch one GEMM
     * of its scores, the softmax of every row, and two GEMMs back to the embeddings; the batches
     * are split among the lanes, each summing its own part of Î.
     *
     * @return ∂(scale·Î)/∂F, ∂(scale·Î)/∂G and Î as a scalar
     */
    private INDArray[] infoNce(int batch, INDArray fx, INDArray gy, int[] perm, double scale) {
        int n = (int) fx.size(0);
        int count = (n + batch - 1) / batch;
        INDArray fo = Rows.gather(fx, perm);
        INDArray go = Rows.gather(gy, perm);
        INDArray dFo = Nd4j.create(type, n, e);
        INDArray dGo = Nd4j.create(type, n, e);
        int lanes = Math.min(threads, count);
        double[] laneValue = new double[lanes];
        Threads.lanes(lanes, lane -> {
            INDArray t = Nd4j.create(type, batch, batch);
            double[] scores = new double[batch * batch];
            Rows tRows = Rows.of(t);
            double value = 0;
            for (int b = (int) ((long) count * lane / lanes); b < (int) ((long) count * (lane + 1) / lanes); b++) {
                int from = (int) ((long) n * b / count);
                int m = (int) ((long) n * (b + 1) / count) - from;
                long off = (long) from * e;
                Blas.gemm(type, false, true, m, m, e, 1, fo, off, e, go, off, e, 0, t, 0, m);
                double[] s = m * m == scores.length ? scores : new double[m * m];
                tRows.read(0, s);
                for (int i = 0; i < m; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < m; j++) {
                        max = Math.max(max, s[i * m + j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < m; j++) {
                        sum += Math.exp(s[i * m + j] - max);
                    }
                    value += s[i * m + i] - (max + Math.log(sum / m));
                    for (int j = 0; j < m; j++) {
                        s[i * m + j] = -scale / n * Math.exp(s[i * m + j] - max) / sum;
                    }
                    s[i * m + i] += scale / n;
                }
                tRows.write(0, s);
                // dF = dS·G and dG = dSᵀ·F for the batch's rows
                Blas.gemm(type, false, false, m, e, m, 1, t, 0, m, go, off, e, 0, dFo, off, e);
                Blas.gemm(type, true, false, m, e, m, 1, t, 0, m, fo, off, e, 0, dGo, off, e);
            }
            laneValue[lane] = value;
        });
        double value = 0;
        for (double v : laneValue) {
            value += v;
        }
        int[] inverse = new int[n];
        for (int i = 0; i < n; i++) {
            inverse[perm[i]] = i;
        }
        return new INDArray[] {Rows.gather(dFo, inverse), Rows.gather(dGo, inverse), Nd4j.scalar(value / n)};
    }

    /**
     * Floating-point operations of one call (multiply and add counted separately): per used row
     * each network's forward pass costs 2h(d + h + e), the backward to the parameters twice that and
     * to the inputs 2h(h + e + d); the scores add 4e per row (partition bounds) or 4e·batch
     * (InfoNCE), and as much again for their gradients.
     */
    @Override
    public double flops(long rows, Call call) {
        long n = p.rows() == null ? rows : Math.min(rows, p.rows());
        double forward = 2.0 * h * (dx + h + e) + 2.0 * h * (dy + h + e);
        double scores = objective instanceof Objective.InfoNce nce ? 4.0 * e * nce.batch() : 4.0 * e;
        double perRow = forward + scores;
        if (call == Call.TRAIN_STEP) {
            perRow += 2 * forward + scores;
        } else if (call == Call.VALUE_AND_GRADIENT) {
            perRow += forward + scores;
        }
        return n * perRow;
    }
}
