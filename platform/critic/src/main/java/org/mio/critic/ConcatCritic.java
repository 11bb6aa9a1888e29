package org.mio.critic;

import java.util.Arrays;
import org.mio.api.estimator.Sampling;
import org.mio.api.estimator.ValueAndGradient;
import org.mio.api.plugin.Rng;
import org.mio.numerics.Blas;
import org.mio.numerics.Dense;
import org.mio.numerics.Rows;
import org.mio.numerics.Scratch;
import org.mio.numerics.Threads;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The concatenated critic under a {@link Objective.Partition} bound; with the Donsker–Varadhan
 * bound this is MINE as the paper uses it (METHOD.md §4; Belghazi et al. 2018, without the
 * moving-average correction, as the reference):
 *
 * <pre>
 * T(x, y) = w₃ᵀ φ(W₂ᵀ φ(Wxᵀx + bx + Wyᵀy + by) + b₂) + b₃
 * Î(X; Y) = mean_i T(x̃_i, ỹ_i) − F(Σ_i exp c(T(x̃_i, y′_π(i))))     (DV: F(Z) = log(Z/n), c = id)
 * </pre>
 *
 * with π a fresh uniform permutation of the rows, x̃ = x + σε, and ỹ, y′ as {@code noiseMode}
 * says (the WM reference pairs the noisy x̃ with the noise-free shuffled y in the marginal term,
 * METHOD.md §9.9). The sum of exponentials is evaluated with a max shift; the value and gradient
 * are unchanged.
 *
 * <p>Speed: rows go through the network in blocks; in each block the joint and the marginal rows
 * are stacked so the dominant products (φ₁·W₂, its weight gradient and its input gradient) are
 * GEMMs of {@code 2·rows × H × H} straight into OpenBLAS. The blocks are split statically among
 * {@link Threads#lanes lanes}, one per thread, each running its blocks with single-threaded GEMMs,
 * so no core waits for the other between the passes. Each block is taken forward and backward at
 * once, while its activations are still in the core's cache: the softmax weights of the marginal
 * term are computed against the lane's running maximum of T ("online softmax"), and the marginal
 * gradient sums are rescaled when that maximum grows, so nothing of a block is kept after it. Each
 * lane keeps its own joint and marginal gradient sums; they are combined in lane order, so a run
 * is reproducible for a given thread count.
 */
final class ConcatCritic extends TrainedEstimator {
    private final CriticParams p;
    private final Objective.Partition bound;
    private final Kernels k;
    private final int h;
    private final Activation act;
    private final int threads;

    // workspace for the current plan: one lane per thread, the stacked inputs
    private Blocks capacity;
    private Lane[] lanes;
    /** The stacked first-layer inputs of the current call (sized by {@link #ensure}), see {@link Inputs}. */
    private INDArray z;
    /** The stacked input gradients ∂(scale·Î)/∂z of the current call, when asked for. */
    private INDArray dz;
    /** Per block: the factor that turns its marginal rows of {@link #dz} into their final value. */
    private double[] marginalFactor;

    private final INDArray w1;

    ConcatCritic(
            String name,
            Objective.Partition bound,
            CriticParams p,
            DataType type,
            int threads,
            int dx,
            int dy,
            Rng init) {
        super(name, p.optimizer(), p.rows(), type, dx, dy);
        this.p = p;
        this.bound = bound;
        this.k = Kernels.of(type);
        this.h = p.hidden();
        this.act = p.activationFunction();
        this.threads = Math.max(1, threads);
        // Keras Dense defaults: Glorot-uniform kernels, zero biases (mine.py:53-100)
        params.put("Wx", Dense.glorot(type, dx, h, init::nextDouble));
        params.put("bx", Nd4j.zeros(type, h));
        params.put("Wy", Dense.glorot(type, dy, h, init::nextDouble));
        params.put("by", Nd4j.zeros(type, h));
        params.put("W2", Dense.glorot(type, h, h, init::nextDouble));
        params.put("b2", Nd4j.zeros(type, h));
        params.put("w3", Dense.glorot(type, h, 1, init::nextDouble));
        if (p.outputBias()) {
            params.put("b3", Nd4j.zeros(type, 1));
        }
        allocateGradients();
        this.w1 = Nd4j.create(type, dx + dy, h);
    }

    // --- the three calls of the Estimator contract ---

    @Override
    protected double run(INDArray x, INDArray y, Sampling sampling, double scale, boolean wantParams) {
        return pass(inputs(x, y, sampling), scale, wantParams, false);
    }

    @Override
    public ValueAndGradient valueAndGradient(INDArray x, INDArray y, Sampling sampling) {
        Inputs in = inputs(x, y, sampling);
        double value = pass(in, 1.0, false, true);
        INDArray[] g = inputGradients(in);
        return new ValueAndGradient(value, g[0], g[1]);
    }

    /**
     * Floating-point operations of one call as implemented here (multiply and add counted
     * separately), for benchmarks: per used row and term (joint, marginal) the forward pass costs
     * 2h(dx + dy + h + 1); the backward adds 2h·h for the hidden input gradient, and either 2h·h +
     * 2h(dx + dy) for the weight gradients (train step) or 2h(dx + dy) for the input gradients.
     */
    @Override
    public double flops(long rows, Call call) {
        long n = p.rows() == null ? rows : Math.min(rows, p.rows());
        double perRow = 2.0 * h * (dx + dy + h + 1);
        if (call == Call.TRAIN_STEP) {
            perRow += 2.0 * h * h + 2.0 * h * h + 2.0 * h * (dx + dy);
        } else if (call == Call.VALUE_AND_GRADIENT) {
            perRow += 2.0 * h * h + 2.0 * h * (dx + dy);
        }
        return 2.0 * n * perRow;
    }

    // --- inputs: row subset, permutation, noise, stacked per block ---

    /**
     * A call's block plan, the rows used ({@code null} = all) and the permutation; its stacked
     * first-layer inputs are in {@link #z} [2n, dx + dy]: block b holds its joint rows
     * [x̃_i | ỹ_i] and then its marginal rows [x̃_i | y′_i] (y′_i = the noise-mode's y at row π(i)).
     */
    private record Inputs(Blocks plan, int[] rows, int[] perm, int total) {}

    private Inputs inputs(INDArray x, INDArray y, Sampling s) {
        int total = checkedRows(x, y);
        Rng rng = s.rng();
        int n = rowsUsed(total);
        int[] rows = RowSubset.rows(name, s, n, total);
        int[] perm = RowSubset.permutation(name, s, n);
        double sigma = s.noise() && !p.noiseMode().equals("none") ? p.noise() : 0.0;
        boolean cleanMarginal = p.noiseMode().equals("joint-y-only");
        // draw order: row subset, permutation, then one seed for the noise; block b of the plan
        // draws its rows' noise (per row: x, then y) from its own stream, so the lanes share the work
        long noiseSeed = sigma > 0 ? rng.nextLong() : 0;
        Blocks plan = Blocks.of(n, p.blockRows(), threads);
        ensure(plan);
        int c = dx + dy;
        INDArray xc = x.isView() || x.ordering() != 'c' ? x.dup('c') : x;
        INDArray yc = y.isView() || y.ordering() != 'c' ? y.dup('c') : y;
        // joint rows [x̃_i | ỹ_i], and marginal rows [x̃_i | y′_i] where y′_i is the clean y of row
        // π(i) (joint-y-only, or no noise); with noise on both, y′_i = ỹ_π(i) is read back from the
        // joint rows in a second pass
        boolean cleanY = cleanMarginal || sigma == 0;
        Threads.lanes(plan.lanes(), lane -> {
            Rows xr = Rows.of(xc);
            Rows yr = Rows.of(yc);
            Rows zr = Rows.of(z);
            double[] rx = new double[dx];
            double[] ry = new double[dy];
            double[] row = new double[c];
            for (int b = plan.first(lane); b < plan.first(lane + 1); b++) {
                Rng noise = sigma > 0 ? Rng.derive(noiseSeed, "block", Integer.toString(b)) : null;
                for (int r = plan.start(b); r < plan.start(b) + plan.rows(b); r++) {
                    int src = rows == null ? r : rows[r];
                    xr.read(src * dx, rx);
                    yr.read(src * dy, ry);
                    for (int q = 0; q < dx; q++) {
                        row[q] = rx[q] + (noise == null ? 0 : sigma * noise.nextGaussian());
                    }
                    for (int q = 0; q < dy; q++) {
                        row[dx + q] = ry[q] + (noise == null ? 0 : sigma * noise.nextGaussian());
                    }
                    zr.write(plan.jointRow(r) * c, row);
                    if (cleanY) {
                        int to = plan.marginalRow(r) * c;
                        zr.copy(plan.jointRow(r) * c, zr, to, dx);
                        yr.copy((rows == null ? perm[r] : rows[perm[r]]) * dy, zr, to + dx, dy);
                    }
                }
            }
        });
        if (!cleanY) {
            Threads.lanes(plan.lanes(), lane -> {
                Rows zr = Rows.of(z);
                for (int b = plan.first(lane); b < plan.first(lane + 1); b++) {
                    for (int r = plan.start(b); r < plan.start(b) + plan.rows(b); r++) {
                        int to = plan.marginalRow(r) * c;
                        zr.copy(plan.jointRow(r) * c, zr, to, dx);
                        zr.copy(plan.jointRow(perm[r]) * c + dx, zr, to + dx, dy);
                    }
                }
            });
        }
        return new Inputs(plan, rows, perm, total);
    }

    private void ensure(Blocks plan) {
        if (plan.equals(capacity)) {
            return;
        }
        lanes = new Lane[plan.lanes()];
        for (int q = 0; q < lanes.length; q++) {
            lanes[q] = new Lane(plan.size());
        }
        z = Nd4j.create(type, 2L * plan.n(), dx + dy);
        dz = null;
        marginalFactor = new double[plan.count()];
        capacity = plan;
    }

    /**
     * One lane's buffers for a block (activations, output and hidden gradients) and its sums. The
     * joint sums (suffix J) already carry the factor scale/n. The marginal ones (suffix M) are
     * Σ_i exp(c(T_i) − max)·(…) over the lane's marginal rows so far whose score is not clipped,
     * with {@code max} the lane's running maximum of the clipped scores c(T) and {@code sumExp} =
     * Σ_i exp(c(T_i) − max) over all of them.
     */
    private final class Lane {
        final INDArray a1;
        final INDArray a2;
        final INDArray d2;
        final INDArray e1;
        final INDArray tBlock;
        final INDArray gW2J = Nd4j.create(type, h, h);
        final INDArray gW2M = Nd4j.create(type, h, h);
        final INDArray gW1J = Nd4j.create(type, dx + dy, h);
        final INDArray gW1M = Nd4j.create(type, dx + dy, h);
        final double[] sumB2J = new double[h];
        final double[] sumB2M = new double[h];
        final double[] sumW3J = new double[h];
        final double[] sumW3M = new double[h];
        final double[] sumB1J = new double[h];
        final double[] sumB1M = new double[h];
        double sumB3J;
        double max;
        double sumExp;
        /** Σ_i exp(c(T_i) − max) over the marginal rows whose score is not clipped. */
        double sumWeight;

        double jointT;

        Lane(int rows) {
            a1 = Nd4j.create(type, 2L * rows, h);
            a2 = Nd4j.create(type, 2L * rows, h);
            d2 = Nd4j.create(type, 2L * rows, h);
            e1 = Nd4j.create(type, 2L * rows, h);
            tBlock = Nd4j.create(type, 2L * rows, 1);
        }

        void clear() {
            for (double[] v : new double[][] {sumB2J, sumB2M, sumW3J, sumW3M, sumB1J, sumB1M}) {
                Arrays.fill(v, 0);
            }
            sumB3J = 0;
            max = Double.NEGATIVE_INFINITY;
            sumExp = 0;
            sumWeight = 0;
            jointT = 0;
        }
    }

    /** W1 = [Wx; Wy], so a block's first layer is one GEMM of its stacked inputs. */
    private void stackFirstLayer() {
        w1.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, dx), org.nd4j.linalg.indexing.NDArrayIndex.all())
                .assign(params.get("Wx"));
        w1.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(dx, dx + dy), org.nd4j.linalg.indexing.NDArrayIndex.all())
                .assign(params.get("Wy"));
    }

    /**
     * Runs every block forward and, with {@code wantParams} or {@code wantInputs}, backward, and
     * returns Î. With {@code wantParams} it fills {@link #grads} with ∂(scale·Î)/∂θ; with
     * {@code wantInputs} it leaves ∂(scale·Î)/∂z in {@link #dz}, its marginal rows still to be
     * multiplied by {@link #marginalFactor} (see {@link #inputGradients}).
     *
     * <p>dÎ/dT_joint = 1/n and dÎ/dT_marginal,i = −F'(Z)·exp(c(T_i)) (0 where c clips), with Z =
     * exp(M)·S, M = max_i c(T_i) and S = Σ_i exp(c(T_i) − M); for DV that is −exp(T_i − M)/S. A
     * lane does not know M and S until all blocks are done, so it weights its marginal rows by
     * exp(c(T_i) − m) with m its running maximum, rescales its marginal sums by exp(m_old − m_new)
     * when m grows (through the GEMMs' beta), and the lanes are combined with the factor
     * −scale·{@link Objective.Partition#slope}(m_lane, M, S, n) at the end.
     */
    private double pass(Inputs in, double scale, boolean wantParams, boolean wantInputs) {
        Blocks plan = in.plan();
        int n = plan.n();
        int c = dx + dy;
        boolean backward = wantParams || wantInputs;
        // SMILE trains its critic along the Jensen–Shannon bound; the value stays the bound's own
        boolean js = wantParams && bound.trainsJensenShannon();
        stackFirstLayer();
        double[] b1 = vector("bx");
        double[] by = vector("by");
        for (int j = 0; j < h; j++) {
            b1[j] += by[j];
        }
        double[] b2 = vector("b2");
        double b3 = p.outputBias() ? params.get("b3").getDouble(0) : 0.0;
        INDArray w2 = params.get("W2");
        INDArray w3 = params.get("w3");
        double[] w3v = vector("w3");
        if (wantInputs && (dz == null || dz.size(0) != 2L * n)) {
            dz = Nd4j.create(type, 2L * n, c);
        }
        double[] shift = new double[plan.count()];
        Threads.lanes(lanes.length, lane -> {
            Lane ws = lanes[lane];
            ws.clear();
            Rows tRows = Rows.of(ws.tBlock);
            double[] tb = new double[2 * plan.size()];
            double[] g = new double[2 * plan.size()];
            for (int b = plan.first(lane); b < plan.first(lane + 1); b++) {
                int r0 = plan.start(b);
                int rows = plan.rows(b);
                int m = 2 * rows;
                long zJ = 2L * r0 * c;
                long zM = (2L * r0 + rows) * c;
                // forward: a1 = φ(z·W1 + b1), a2 = φ(a1·W2 + b2), T = a2·w3 + b3
                Blas.gemm(type, false, false, m, h, c, 1, z, zJ, c, w1, 0, h, 0, ws.a1, 0, h);
                k.biasAct(ws.a1, 0, m, h, b1, act);
                Blas.gemm(type, false, false, m, h, h, 1, ws.a1, 0, h, w2, 0, h, 0, ws.a2, 0, h);
                k.biasAct(ws.a2, 0, m, h, b2, act);
                // T as a GEMM (a float dot-product loop does not vectorize in Java)
                Blas.gemm(type, false, false, m, 1, h, 1, ws.a2, 0, h, w3, 0, 1, 0, ws.tBlock, 0, 1);
                tRows.read(0, tb);
                double blockMax = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < rows; i++) {
                    ws.jointT += tb[i] + b3;
                    blockMax = Math.max(blockMax, bound.clip(tb[rows + i] + b3));
                }
                double newMax = Math.max(ws.max, blockMax);
                double decay = Math.exp(ws.max - newMax); // 0 for the lane's first block
                double fresh = b == plan.first(lane) ? 0 : 1; // the joint sums start at the lane's first block
                // the marginal gradient sums: weights exp(c(T) − m) rescaled as m grows, or (Jensen–Shannon
                // training) σ(T), which need no rescaling
                double gradDecay = js ? fresh : decay;
                double blockSum = 0;
                double blockWeight = 0;
                for (int i = 0; i < rows; i++) {
                    double t = tb[rows + i] + b3;
                    double ct = bound.clip(t);
                    double et = Math.exp(ct - newMax);
                    blockSum += et;
                    if (js) {
                        g[i] = scale / n * sigmoid(-(tb[i] + b3));
                        g[rows + i] = sigmoid(t);
                    } else {
                        g[i] = scale / n;
                        // a clipped score does not move the partition term
                        g[rows + i] = ct == t ? et : 0;
                    }
                    blockWeight += g[rows + i];
                }
                ws.sumExp = ws.sumExp * decay + blockSum;
                ws.sumWeight = ws.sumWeight * gradDecay + blockWeight;
                ws.max = newMax;
                shift[b] = newMax;
                if (!backward) {
                    continue;
                }
                if (gradDecay != 1) {
                    for (double[] v : new double[][] {ws.sumB2M, ws.sumW3M, ws.sumB1M}) {
                        for (int j = 0; j < h; j++) {
                            v[j] *= gradDecay;
                        }
                    }
                }
                for (int i = 0; i < rows; i++) {
                    ws.sumB3J += g[i];
                }
                // dZ2 = g·w₃ᵀ ⊙ φ'(z2), with Σ dZ2 (→ b2) and Σ g·φ₂ (→ w3) in the same sweep
                k.outerMasked(ws.d2, ws.a2, 0, rows, h, g, w3v, act, ws.sumB2J, ws.sumW3J);
                k.outerMasked(ws.d2, ws.a2, rows, m, h, g, w3v, act, ws.sumB2M, ws.sumW3M);
                if (wantParams) {
                    Blas.gemm(type, true, false, h, h, rows, 1, ws.a1, 0, h, ws.d2, 0, h, fresh, ws.gW2J, 0, h);
                    Blas.gemm(
                            type,
                            true,
                            false,
                            h,
                            h,
                            rows,
                            1,
                            ws.a1,
                            (long) rows * h,
                            h,
                            ws.d2,
                            (long) rows * h,
                            h,
                            gradDecay,
                            ws.gW2M,
                            0,
                            h);
                }
                // dZ1 = dZ2·W2ᵀ ⊙ φ'(z1), with Σ dZ1 (→ bx, by)
                Blas.gemm(type, false, true, m, h, h, 1, ws.d2, 0, h, w2, 0, h, 0, ws.e1, 0, h);
                k.mask(ws.e1, ws.a1, 0, rows, h, act, ws.sumB1J);
                k.mask(ws.e1, ws.a1, rows, m, h, act, ws.sumB1M);
                if (wantParams) {
                    Blas.gemm(type, true, false, c, h, rows, 1, z, zJ, c, ws.e1, 0, h, fresh, ws.gW1J, 0, h);
                    Blas.gemm(
                            type,
                            true,
                            false,
                            c,
                            h,
                            rows,
                            1,
                            z,
                            zM,
                            c,
                            ws.e1,
                            (long) rows * h,
                            h,
                            gradDecay,
                            ws.gW1M,
                            0,
                            h);
                }
                if (wantInputs) {
                    Blas.gemm(type, false, true, m, c, h, 1, ws.e1, 0, h, w1, 0, h, 0, dz, zJ, c);
                }
            }
        });
        // combine the lanes: M = max, S = Σ sumExp·exp(m_lane − M)
        double max = Double.NEGATIVE_INFINITY;
        double jointT = 0;
        for (Lane ws : lanes) {
            max = Math.max(max, ws.max);
            jointT += ws.jointT;
        }
        double sumExp = 0;
        for (Lane ws : lanes) {
            sumExp += ws.sumExp == 0 ? 0 : ws.sumExp * Math.exp(ws.max - max);
        }
        for (int b = 0; b < plan.count(); b++) {
            marginalFactor[b] = -scale * bound.slope(shift[b], max, sumExp, n);
        }
        if (wantParams) {
            collectParameterGradients(scale, max, sumExp, n, js);
        }
        return jointT / n - bound.partition(max, sumExp, n);
    }

    /** {@link #grads} from the lanes' joint and marginal sums, added in lane order. */
    private void collectParameterGradients(double scale, double max, double sumExp, int n, boolean js) {
        double[] sumB2 = new double[h];
        double[] sumW3 = new double[h];
        double[] sumB1 = new double[h];
        double sumB3 = 0;
        INDArray gW2 = grads.get("W2");
        INDArray gW1 = Nd4j.create(type, dx + dy, h);
        gW2.assign(0);
        for (Lane ws : lanes) {
            if (ws.sumExp == 0) {
                continue; // a lane without blocks
            }
            double f = js ? -scale / n : -scale * bound.slope(ws.max, max, sumExp, n);
            gW2.addi(ws.gW2J).addi(ws.gW2M.mul(f));
            gW1.addi(ws.gW1J).addi(ws.gW1M.mul(f));
            for (int j = 0; j < h; j++) {
                sumB2[j] += ws.sumB2J[j] + f * ws.sumB2M[j];
                sumW3[j] += ws.sumW3J[j] + f * ws.sumW3M[j];
                sumB1[j] += ws.sumB1J[j] + f * ws.sumB1M[j];
            }
            sumB3 += ws.sumB3J + f * ws.sumWeight;
        }
        grads.get("Wx")
                .assign(gW1.get(
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, dx),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()));
        grads.get("Wy")
                .assign(gW1.get(
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(dx, dx + dy),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()));
        grads.get("b2").assign(Nd4j.createFromArray(sumB2).castTo(type));
        grads.get("w3").assign(Nd4j.createFromArray(sumW3).castTo(type).reshape(h, 1));
        grads.get("bx").assign(Nd4j.createFromArray(sumB1).castTo(type));
        grads.get("by").assign(Nd4j.createFromArray(sumB1).castTo(type));
        if (p.outputBias()) {
            grads.get("b3").assign(sumB3);
        }
    }

    /**
     * ∂(scale·Î)/∂X and ∂(scale·Î)/∂Y on the caller's S rows, from {@link #dz} of the last
     * {@link #pass} (zero on rows not used).
     */
    private INDArray[] inputGradients(Inputs in) {
        Blocks plan = in.plan();
        int n = plan.n();
        int c = dx + dy;
        // unstack: x̃ feeds both terms; ỹ the joint term; y′_i (row π(i)) the marginal one (noise is
        // additive). Row k of Y gets the joint gradient of row k and the marginal one of row π⁻¹(k).
        int[] perm = in.perm();
        int[] inverse = RowSubset.inverse(perm);
        // every row is written when all are used; unused rows get no gradient
        INDArray outX =
                in.rows() == null ? Scratch.uninitialized(type, in.total(), dx) : Scratch.zeros(type, in.total(), dx);
        INDArray outY =
                in.rows() == null ? Scratch.uninitialized(type, in.total(), dy) : Scratch.zeros(type, in.total(), dy);
        Threads.lanes(plan.lanes(), lane -> {
            Rows gz = Rows.of(dz);
            Rows gx = Rows.of(outX);
            Rows gy = Rows.of(outY);
            double[] joint = new double[c];
            double[] marginal = new double[c];
            double[] other = new double[c];
            double[] rowX = new double[dx];
            double[] rowY = new double[dy];
            for (int b = plan.first(lane); b < plan.first(lane + 1); b++) {
                for (int k = plan.start(b); k < plan.start(b) + plan.rows(b); k++) {
                    gz.read(plan.jointRow(k) * c, joint);
                    gz.read(plan.marginalRow(k) * c, marginal);
                    gz.read(plan.marginalRow(inverse[k]) * c, other);
                    double fk = marginalFactor[b];
                    double fo = marginalFactor[inverse[k] / plan.size()];
                    for (int q = 0; q < dx; q++) {
                        rowX[q] = joint[q] + fk * marginal[q];
                    }
                    for (int q = 0; q < dy; q++) {
                        rowY[q] = joint[dx + q] + fo * other[dx + q];
                    }
                    int dst = in.rows() == null ? k : in.rows()[k];
                    gx.write(dst * dx, rowX);
                    gy.write(dst * dy, rowY);
                }
            }
        });
        return new INDArray[] {outX, outY};
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private double[] vector(String name) {
        return Kernels.doubles(params.get(name));
    }
}
