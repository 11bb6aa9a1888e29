package org.mio.plugins.mine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.Sampling;
import org.mio.api.estimator.ValueAndGradient;
import org.mio.api.plugin.Rng;
import org.mio.numerics.Blas;
import org.mio.numerics.Rows;
import org.mio.numerics.Optimizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MINE with the plain Donsker–Varadhan bound (METHOD.md §4; Belghazi et al. 2018, without the
 * moving-average correction, as the reference):
 *
 * <pre>
 * T(x, y) = w₃ᵀ φ(W₂ᵀ φ(Wxᵀx + bx + Wyᵀy + by) + b₂) + b₃
 * Î(X; Y) = mean_i T(x̃_i, ỹ_i) − log mean_i exp T(x̃_i, y′_π(i))
 * </pre>
 *
 * with π a fresh uniform permutation of the rows, x̃ = x + σε, and ỹ, y′ as {@code noiseMode}
 * says (the WM reference pairs the noisy x̃ with the noise-free shuffled y in the marginal term,
 * METHOD.md §9.9). The log-mean-exp is evaluated with a max shift; the value and gradient are
 * unchanged.
 *
 * <p>Speed: rows go through the network in blocks; in each block the joint and the marginal rows
 * are stacked so the dominant products (φ₁·W₂, its weight gradient and its input gradient) are
 * GEMMs of {@code 2·blockRows × H × H} straight into OpenBLAS, and the first-layer x-part is the
 * same matrix for both terms. Activations of all blocks are kept (no recomputation), buffers are
 * allocated once per row count, and the elementwise passes are split across threads.
 */
final class MineNetwork implements Estimator {
    private final MineParams p;
    private final DataType type;
    private final Kernels k;
    private final int dx;
    private final int dy;
    private final int h;
    private final double slope;
    private final int threads;
    private final Map<String, INDArray> params = new LinkedHashMap<>();
    private final Map<String, INDArray> grads = new LinkedHashMap<>();
    private final Optimizer optimizer;
    private final ForkJoinPool pool;

    // per-row-count workspace: activations of every block (joint rows, then marginal rows)
    private int capacity = -1;
    private final List<INDArray> r1 = new ArrayList<>();
    private final List<INDArray> r2 = new ArrayList<>();
    private INDArray d2;
    private INDArray e1;
    private INDArray tBlock;
    private final INDArray w1;
    private final INDArray gw1;
    private double[] t;
    /** max_i T_marginal and Σ_i exp(T_marginal − max) of the last forward pass (log-mean-exp and its softmax). */
    private double marginalMax;
    private double marginalSumExp;

    MineNetwork(MineParams p, DataType type, int threads, int dx, int dy, Rng init) {
        this.p = p;
        this.type = type;
        this.k = Kernels.of(type);
        this.dx = dx;
        this.dy = dy;
        this.h = p.hidden();
        this.slope = p.slope();
        this.threads = Math.max(1, threads);
        this.pool = this.threads > 1 ? ForkJoinPool.commonPool() : null;
        // Keras Dense defaults: Glorot-uniform kernels, zero biases (mine.py:53-100)
        params.put("Wx", glorot(dx, h, init));
        params.put("bx", Nd4j.zeros(type, h));
        params.put("Wy", glorot(dy, h, init));
        params.put("by", Nd4j.zeros(type, h));
        params.put("W2", glorot(h, h, init));
        params.put("b2", Nd4j.zeros(type, h));
        params.put("w3", glorot(h, 1, init));
        if (p.outputBias()) {
            params.put("b3", Nd4j.zeros(type, 1));
        }
        params.forEach((name, v) -> grads.put(name, Nd4j.zeros(type, v.shape())));
        this.optimizer = new Optimizer(p.optimizer());
        this.w1 = Nd4j.create(type, dx + dy, h);
        this.gw1 = Nd4j.create(type, dx + dy, h);
    }

    private INDArray glorot(int fanIn, int fanOut, Rng rng) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        double[] v = new double[fanIn * fanOut];
        for (int i = 0; i < v.length; i++) {
            v[i] = (2 * rng.nextDouble() - 1) * limit;
        }
        return Nd4j.create(v, new long[] {fanIn, fanOut}, 'c').castTo(type);
    }

    // --- the three calls of the Estimator contract ---

    @Override
    public double estimate(INDArray x, INDArray y, Sampling sampling) {
        Inputs in = inputs(x, y, sampling);
        return forward(in);
    }

    @Override
    public double trainStep(INDArray x, INDArray y, Sampling sampling) {
        Inputs in = inputs(x, y, sampling);
        double value = forward(in);
        // maximize Î: the optimizer minimizes −Î
        backward(in, -1.0, true, false);
        optimizer.step(params, grads);
        return value;
    }

    @Override
    public ValueAndGradient valueAndGradient(INDArray x, INDArray y, Sampling sampling) {
        Inputs in = inputs(x, y, sampling);
        double value = forward(in);
        INDArray[] g = backward(in, 1.0, false, true);
        return new ValueAndGradient(value, g[0], g[1]);
    }

    /** ∂Î/∂θ for every parameter (copies), without an update; for checks and the grad command. */
    Map<String, INDArray> parameterGradients(INDArray x, INDArray y, Sampling sampling) {
        Inputs in = inputs(x, y, sampling);
        forward(in);
        backward(in, 1.0, true, false);
        Map<String, INDArray> out = new LinkedHashMap<>();
        grads.forEach((name, g) -> out.put(name, g.dup()));
        return out;
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
     * The rows used ({@code null} = all), the permutation, and the stacked first-layer inputs
     * {@code z [2n, dx + dy]}: block b holds its joint rows [x̃_i | ỹ_i] and then its marginal
     * rows [x̃_i | y′_i] (y′_i = the noise-mode's y at row π(i)).
     */
    private record Inputs(int n, int[] rows, int[] perm, INDArray z, int total) {}

    private Inputs inputs(INDArray x, INDArray y, Sampling s) {
        int total = (int) x.size(0);
        if (x.rank() != 2 || y.rank() != 2 || y.size(0) != total || x.size(1) != dx || y.size(1) != dy) {
            throw new IllegalArgumentException("mine: X must be [S, " + dx + "] and Y [S, " + dy + "], found "
                    + java.util.Arrays.toString(x.shape()) + " and " + java.util.Arrays.toString(y.shape()));
        }
        Rng rng = s.rng();
        int n = p.rows() == null ? total : Math.min(p.rows(), total);
        int[] rows = n < total ? java.util.Arrays.copyOf(rng.permutation(total), n) : null;
        int[] perm = s.permutation() != null ? s.permutation() : rng.permutation(n);
        if (perm.length != n) {
            throw new IllegalArgumentException("mine: the permutation has " + perm.length + " entries for " + n + " rows");
        }
        double sigma = s.noise() && !p.noiseMode().equals("none") ? p.noise() : 0.0;
        boolean cleanMarginal = p.noiseMode().equals("joint-y-only");
        double[] xa = values(x);
        double[] ya = values(y);
        // draw order: permutation, then x noise, then y noise (row-major over the used rows)
        double[] xt = new double[n * dx];
        double[] yClean = new double[n * dy];
        for (int i = 0; i < n; i++) {
            int src = rows == null ? i : rows[i];
            for (int q = 0; q < dx; q++) {
                xt[i * dx + q] = xa[src * dx + q];
            }
            for (int q = 0; q < dy; q++) {
                yClean[i * dy + q] = ya[src * dy + q];
            }
        }
        if (sigma > 0) {
            for (int i = 0; i < xt.length; i++) {
                xt[i] += sigma * rng.nextGaussian();
            }
        }
        double[] yt = yClean;
        if (sigma > 0) {
            yt = yClean.clone();
            for (int i = 0; i < yt.length; i++) {
                yt[i] += sigma * rng.nextGaussian();
            }
        }
        double[] yMargSource = cleanMarginal ? yClean : yt;
        int c = dx + dy;
        INDArray zArr = Nd4j.create(type, 2L * n, c);
        Rows zio = Rows.of(zArr);
        double[] row = new double[c];
        for (int b = 0; b * p.blockRows() < n; b++) {
            int r0 = b * p.blockRows();
            int rowsInBlock = Math.min(p.blockRows(), n - r0);
            for (int i = 0; i < rowsInBlock; i++) {
                int r = r0 + i;
                System.arraycopy(xt, r * dx, row, 0, dx);
                System.arraycopy(yt, r * dy, row, dx, dy);
                zio.write((2 * r0 + i) * c, row);
                System.arraycopy(yMargSource, perm[r] * dy, row, dx, dy);
                zio.write((2 * r0 + rowsInBlock + i) * c, row);
            }
        }
        return new Inputs(n, rows, perm, zArr, total);
    }

    /** The elements of a sample matrix in C order. */
    private static double[] values(INDArray a) {
        INDArray c = a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
        double[] v = new double[(int) c.length()];
        Rows.of(c).read(0, v);
        return v;
    }

    private INDArray matrix(double[] v, int rows, int cols) {
        return Nd4j.create(v, new long[] {rows, cols}, 'c').castTo(type);
    }

    private void ensure(int n) {
        if (n == capacity) {
            return;
        }
        r1.clear();
        r2.clear();
        int blocks = (n + p.blockRows() - 1) / p.blockRows();
        for (int b = 0; b < blocks; b++) {
            int rows = Math.min(p.blockRows(), n - b * p.blockRows());
            r1.add(Nd4j.create(type, 2L * rows, h));
            r2.add(Nd4j.create(type, 2L * rows, h));
        }
        int bk = Math.min(p.blockRows(), n);
        d2 = Nd4j.create(type, 2L * bk, h);
        e1 = Nd4j.create(type, 2L * bk, h);
        tBlock = Nd4j.create(type, 2L * bk, 1);
        t = new double[2 * n];
        capacity = n;
    }

    /** W1 = [Wx; Wy], so a block's first layer is one GEMM of its stacked inputs. */
    private void stackFirstLayer() {
        w1.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, dx), org.nd4j.linalg.indexing.NDArrayIndex.all())
                .assign(params.get("Wx"));
        w1.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(dx, dx + dy), org.nd4j.linalg.indexing.NDArrayIndex.all())
                .assign(params.get("Wy"));
    }

    /** Runs every block and returns Î; {@link #t} holds T for joint rows [0, n) and marginal rows [n, 2n). */
    private double forward(Inputs in) {
        int n = in.n();
        int c = dx + dy;
        ensure(n);
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
        Rows tRows = Rows.of(tBlock);
        for (int b = 0; b < r1.size(); b++) {
            int r0 = b * p.blockRows();
            INDArray a1 = r1.get(b);
            INDArray a2 = r2.get(b);
            int m = (int) a1.size(0);
            int rows = m / 2;
            double[] tb = new double[m];
            Blas.gemm(type, false, false, m, h, c, 1, in.z(), 2L * r0 * c, c, w1, 0, h, 0, a1, 0, h);
            parallel(m, (part, f, e) -> k.biasAct(a1, f, e, h, b1, slope));
            Blas.gemm(type, false, false, m, h, h, 1, a1, 0, h, w2, 0, h, 0, a2, 0, h);
            parallel(m, (part, f, e) -> k.biasAct(a2, f, e, h, b2, slope));
            // T = φ₂·w₃ + b₃ as a GEMM (a float dot-product loop does not vectorize in Java)
            Blas.gemm(type, false, false, m, 1, h, 1, a2, 0, h, w3, 0, 1, 0, tBlock, 0, 1);
            tRows.read(0, tb);
            for (int i = 0; i < rows; i++) {
                t[r0 + i] = tb[i] + b3;
                t[n + r0 + i] = tb[rows + i] + b3;
            }
        }
        double joint = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            joint += t[i];
            max = Math.max(max, t[n + i]);
        }
        double sumExp = 0;
        for (int i = 0; i < n; i++) {
            sumExp += Math.exp(t[n + i] - max);
        }
        marginalMax = max;
        marginalSumExp = sumExp;
        return joint / n - (max + Math.log(sumExp / n));
    }

    /**
     * Back-propagates {@code scale·Î} from the activations of the last {@link #forward}. With
     * {@code wantParams}, fills {@link #grads}; with {@code wantInputs}, returns ∂(scale·Î)/∂X and
     * ∂(scale·Î)/∂Y on the caller's S rows.
     */
    private INDArray[] backward(Inputs in, double scale, boolean wantParams, boolean wantInputs) {
        int n = in.n();
        int c = dx + dy;
        // dÎ/dT_joint = 1/n, dÎ/dT_marginal = −softmax(T_marginal)
        double max = marginalMax;
        double sumExp = marginalSumExp;
        double[] w3 = vector("w3");
        INDArray w2 = params.get("W2");
        double[][] sumB2 = new double[threads][h];
        double[][] sumW3 = new double[threads][h];
        double[][] sumB1 = new double[threads][h];
        double sumB3 = 0;
        if (wantParams) {
            grads.values().forEach(a -> a.assign(0));
            gw1.assign(0);
        }
        INDArray dz = wantInputs ? Nd4j.create(type, 2L * n, c) : null;
        for (int b = 0; b < r1.size(); b++) {
            int r0 = b * p.blockRows();
            INDArray a1 = r1.get(b);
            INDArray a2 = r2.get(b);
            int m = (int) a1.size(0);
            int rows = m / 2;
            double[] g = new double[m];
            for (int i = 0; i < rows; i++) {
                g[i] = scale / n;
                g[rows + i] = -scale * Math.exp(t[n + r0 + i] - max) / sumExp;
            }
            for (double v : g) {
                sumB3 += v;
            }
            // dZ2 = g·w₃ᵀ ⊙ φ'(z2), with Σ dZ2 (→ b2) and Σ g·φ₂ (→ w3) in the same sweep
            parallel(m, (part, f, e) -> k.outerMasked(d2, a2, f, e, h, g, w3, slope, sumB2[part], sumW3[part]));
            if (wantParams) {
                Blas.gemm(type, true, false, h, h, m, 1, a1, 0, h, d2, 0, h, 1, grads.get("W2"), 0, h);
            }
            // dZ1 = dZ2·W2ᵀ ⊙ φ'(z1), with Σ dZ1 (→ bx, by)
            Blas.gemm(type, false, true, m, h, h, 1, d2, 0, h, w2, 0, h, 0, e1, 0, h);
            parallel(m, (part, f, e) -> k.mask(e1, a1, f, e, h, slope, sumB1[part]));
            if (wantParams) {
                Blas.gemm(type, true, false, c, h, m, 1, in.z(), 2L * r0 * c, c, e1, 0, h, 1, gw1, 0, h);
            }
            if (wantInputs) {
                Blas.gemm(type, false, true, m, c, h, 1, e1, 0, h, w1, 0, h, 0, dz, 2L * r0 * c, c);
            }
        }
        if (wantParams) {
            grads.get("Wx").assign(gw1.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, dx),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()));
            grads.get("Wy").assign(gw1.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(dx, dx + dy),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()));
            grads.get("b2").assign(Nd4j.createFromArray(merge(sumB2)).castTo(type));
            grads.get("w3").assign(Nd4j.createFromArray(merge(sumW3)).castTo(type).reshape(h, 1));
            double[] b1 = merge(sumB1);
            grads.get("bx").assign(Nd4j.createFromArray(b1).castTo(type));
            grads.get("by").assign(Nd4j.createFromArray(b1).castTo(type));
            if (p.outputBias()) {
                grads.get("b3").assign(sumB3);
            }
        }
        if (!wantInputs) {
            return null;
        }
        // unstack: x̃ feeds both terms; ỹ the joint term; y′_i (row π(i)) the marginal one (noise is additive)
        double[] gz = dz.castTo(DataType.DOUBLE).data().asDouble();
        double[] gx = new double[n * dx];
        double[] gy = new double[n * dy];
        for (int b = 0; b * p.blockRows() < n; b++) {
            int r0 = b * p.blockRows();
            int rowsInBlock = Math.min(p.blockRows(), n - r0);
            for (int i = 0; i < rowsInBlock; i++) {
                int row = r0 + i;
                int joint = (2 * r0 + i) * c;
                int marg = (2 * r0 + rowsInBlock + i) * c;
                for (int q = 0; q < dx; q++) {
                    gx[row * dx + q] = gz[joint + q] + gz[marg + q];
                }
                for (int q = 0; q < dy; q++) {
                    gy[row * dy + q] += gz[joint + dx + q];
                    gy[in.perm()[row] * dy + q] += gz[marg + dx + q];
                }
            }
        }
        double[] outX = new double[in.total() * dx];
        double[] outY = new double[in.total() * dy];
        for (int i = 0; i < n; i++) {
            int dst = in.rows() == null ? i : in.rows()[i];
            System.arraycopy(gx, i * dx, outX, dst * dx, dx);
            System.arraycopy(gy, i * dy, outY, dst * dy, dy);
        }
        return new INDArray[] {matrix(outX, in.total(), dx), matrix(outY, in.total(), dy)};
    }

    private static double[] merge(double[][] parts) {
        double[] out = parts[0].clone();
        for (int q = 1; q < parts.length; q++) {
            for (int j = 0; j < out.length; j++) {
                out[j] += parts[q][j];
            }
        }
        return out;
    }

    private double[] vector(String name) {
        return params.get(name).castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** Runs {@code body(part, from, to)} over {@code [0, rows)} split across the threads (part < threads). */
    private void parallel(int rows, RowRange body) {
        if (pool == null || rows < 256) {
            body.run(0, 0, rows);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>();
        int step = (rows + threads - 1) / threads;
        for (int q = 1; q < threads; q++) {
            int f = q * step;
            int e = Math.min(rows, f + step);
            int part = q;
            if (f < e) {
                tasks.add(pool.submit(() -> body.run(part, f, e)));
            }
        }
        body.run(0, 0, Math.min(rows, step));
        tasks.forEach(ForkJoinTask::join);
    }

    @FunctionalInterface
    private interface RowRange {
        void run(int part, int from, int to);
    }

    // --- parameters and state ---

    @Override
    public Map<String, INDArray> parameters() {
        return params;
    }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        params.forEach((name, v) -> s.put(name, v.dup()));
        optimizer.state().forEach((name, v) -> s.put("optimizer/" + name, v));
        return s;
    }

    @Override
    public void restoreState(Map<String, INDArray> state) {
        for (var e : params.entrySet()) {
            INDArray v = state.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException("mine state has no parameter " + e.getKey());
            }
            if (!java.util.Arrays.equals(v.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("mine state: " + e.getKey() + " has shape "
                        + java.util.Arrays.toString(v.shape()) + ", expected " + java.util.Arrays.toString(e.getValue().shape()));
            }
            e.getValue().assign(v.castTo(type));
        }
        Map<String, INDArray> opt = new LinkedHashMap<>();
        state.forEach((name, v) -> {
            if (name.startsWith("optimizer/")) {
                opt.put(name.substring("optimizer/".length()), v);
            }
        });
        if (!opt.isEmpty()) {
            optimizer.restoreState(opt);
        }
    }
}
