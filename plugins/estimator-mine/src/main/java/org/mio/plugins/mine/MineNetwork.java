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

    // per-row-count workspace
    private int capacity = -1;
    private final List<INDArray> r1 = new ArrayList<>();
    private final List<INDArray> r2 = new ArrayList<>();
    private INDArray d2;
    private INDArray e1;
    private double[] t;

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
        backward(in, value, -1.0, true, false);
        optimizer.step(params, grads);
        return value;
    }

    @Override
    public ValueAndGradient valueAndGradient(INDArray x, INDArray y, Sampling sampling) {
        Inputs in = inputs(x, y, sampling);
        double value = forward(in);
        INDArray[] g = backward(in, value, 1.0, false, true);
        return new ValueAndGradient(value, g[0], g[1]);
    }

    /** ∂Î/∂θ for every parameter (copies), without an update; for checks and the grad command. */
    Map<String, INDArray> parameterGradients(INDArray x, INDArray y, Sampling sampling) {
        Inputs in = inputs(x, y, sampling);
        double value = forward(in);
        backward(in, value, 1.0, true, false);
        Map<String, INDArray> out = new LinkedHashMap<>();
        grads.forEach((name, g) -> out.put(name, g.dup()));
        return out;
    }

    // --- inputs: row subset, permutation, noise ---

    /** The rows used, the noisy x̃, the joint ỹ and the marginal y′ (already permuted), [n, d]. */
    private record Inputs(int n, int[] rows, int[] perm, INDArray xt, INDArray yj, INDArray ym, int total) {}

    private Inputs inputs(INDArray x, INDArray y, Sampling s) {
        int total = (int) x.size(0);
        if (x.rank() != 2 || y.rank() != 2 || y.size(0) != total || x.size(1) != dx || y.size(1) != dy) {
            throw new IllegalArgumentException("mine: X must be [S, " + dx + "] and Y [S, " + dy + "], found "
                    + java.util.Arrays.toString(x.shape()) + " and " + java.util.Arrays.toString(y.shape()));
        }
        Rng rng = s.rng();
        int n = p.rows() == null ? total : Math.min(p.rows(), total);
        int[] rows = null;
        if (n < total) {
            rows = java.util.Arrays.copyOf(rng.permutation(total), n);
        }
        int[] perm = s.permutation() != null ? s.permutation() : rng.permutation(n);
        if (perm.length != n) {
            throw new IllegalArgumentException("mine: the permutation has " + perm.length + " entries for " + n + " rows");
        }
        double[] xa = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] ya = y.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double sigma = s.noise() ? p.noise() : 0.0;
        String mode = p.noiseMode();
        double[] xt = new double[n * dx];
        double[] yj = new double[n * dy];
        for (int i = 0; i < n; i++) {
            int src = rows == null ? i : rows[i];
            System.arraycopy(xa, src * dx, xt, i * dx, dx);
            System.arraycopy(ya, src * dy, yj, i * dy, dy);
        }
        boolean noisy = sigma > 0 && !mode.equals("none");
        if (noisy) {
            for (int i = 0; i < xt.length; i++) {
                xt[i] += sigma * rng.nextGaussian();
            }
        }
        double[] yClean = mode.equals("joint-y-only") ? yj.clone() : null;
        if (noisy) {
            for (int i = 0; i < yj.length; i++) {
                yj[i] += sigma * rng.nextGaussian();
            }
        }
        double[] yBase = yClean != null ? yClean : yj;
        double[] ym = new double[n * dy];
        for (int i = 0; i < n; i++) {
            System.arraycopy(yBase, perm[i] * dy, ym, i * dy, dy);
        }
        return new Inputs(n, rows, perm, matrix(xt, n, dx), matrix(yj, n, dy), matrix(ym, n, dy), total);
    }

    private INDArray matrix(double[] v, int rows, int cols) {
        return Nd4j.create(v, new long[] {rows, cols}, 'c').castTo(type);
    }

    // --- forward: all blocks, activations kept ---

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
        t = new double[2 * n];
        capacity = n;
    }

    /** Runs every block and returns Î; {@link #t} holds T for joint rows [0, n) and marginal rows [n, 2n). */
    private double forward(Inputs in) {
        int n = in.n();
        ensure(n);
        double[] b1 = vector("bx");
        double[] by = vector("by");
        for (int j = 0; j < h; j++) {
            b1[j] += by[j];
        }
        double[] b2 = vector("b2");
        double[] w3 = vector("w3");
        double b3 = p.outputBias() ? params.get("b3").getDouble(0) : 0.0;
        INDArray wx = params.get("Wx");
        INDArray wy = params.get("Wy");
        INDArray w2 = params.get("W2");
        for (int b = 0; b < r1.size(); b++) {
            int r0 = b * p.blockRows();
            int rows = (int) (r1.get(b).size(0) / 2);
            INDArray a1 = r1.get(b);
            INDArray a2 = r2.get(b);
            long half = (long) rows * h;
            // layer 1: the x-part is the same for both terms
            Blas.gemm(type, false, false, rows, h, dx, 1, in.xt(), (long) r0 * dx, dx, wx, 0, h, 0, a1, 0, h);
            Blas.gemm(type, false, false, rows, h, dx, 1, in.xt(), (long) r0 * dx, dx, wx, 0, h, 0, a1, half, h);
            Blas.gemm(type, false, false, rows, h, dy, 1, in.yj(), (long) r0 * dy, dy, wy, 0, h, 1, a1, 0, h);
            Blas.gemm(type, false, false, rows, h, dy, 1, in.ym(), (long) r0 * dy, dy, wy, 0, h, 1, a1, half, h);
            parallel(2 * rows, (f, e) -> k.biasAct(a1, 0, f, e, h, b1, slope));
            // layer 2: one GEMM over joint and marginal rows
            Blas.gemm(type, false, false, 2 * rows, h, h, 1, a1, 0, h, w2, 0, h, 0, a2, 0, h);
            parallel(2 * rows, (f, e) -> k.biasAct(a2, 0, f, e, h, b2, slope));
            final int jr = r0;
            parallel(rows, (f, e) -> k.rowDot(a2, 0, f, e, h, w3, b3, t, jr));
            parallel(rows, (f, e) -> k.rowDot(a2, half, f, e, h, w3, b3, t, n + jr));
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
        return joint / n - (max + Math.log(sumExp / n));
    }

    // --- backward: dÎ/dT, then through the blocks ---

    /**
     * Back-propagates {@code scale·Î}. With {@code params}, fills {@link #grads}; with
     * {@code inputs}, returns ∂(scale·Î)/∂X and ∂(scale·Î)/∂Y on the caller's S rows.
     */
    private INDArray[] backward(Inputs in, double value, double scale, boolean wantParams, boolean wantInputs) {
        int n = in.n();
        // dÎ/dT_joint = 1/n, dÎ/dT_marg = −softmax(T_marg)
        double[] g = new double[2 * n];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, t[n + i]);
        }
        double sumExp = 0;
        for (int i = 0; i < n; i++) {
            sumExp += Math.exp(t[n + i] - max);
        }
        for (int i = 0; i < n; i++) {
            g[i] = scale / n;
            g[n + i] = -scale * Math.exp(t[n + i] - max) / sumExp;
        }
        double[] w3 = vector("w3");
        INDArray w2 = params.get("W2");
        INDArray wx = params.get("Wx");
        INDArray wy = params.get("Wy");
        double[] sumB2 = new double[h];
        double[] sumW3 = new double[h];
        double[] sumR2 = new double[h];
        double[] sumB1 = new double[h];
        double sumB3 = 0;
        if (wantParams) {
            grads.values().forEach(a -> a.assign(0));
            for (double v : g) {
                sumB3 += v;
            }
        }
        INDArray dxAll = wantInputs ? Nd4j.zeros(type, n, dx) : null;
        INDArray dyJoint = wantInputs ? Nd4j.zeros(type, n, dy) : null;
        INDArray dyMarg = wantInputs ? Nd4j.zeros(type, n, dy) : null;
        for (int b = 0; b < r1.size(); b++) {
            int r0 = b * p.blockRows();
            int rows = (int) (r1.get(b).size(0) / 2);
            INDArray a1 = r1.get(b);
            INDArray a2 = r2.get(b);
            long half = (long) rows * h;
            int m = 2 * rows;
            // dZ2[i, j] = g_i · w3_j · φ'(z2): joint rows use g[r0 + i], marginal rows g[n + r0 + i]
            parallel(rows, (f, e) -> k.outerMasked(d2, a2, 0, f, e, h, g, r0, w3, slope));
            parallel(rows, (f, e) -> k.outerMasked(d2, a2, half, f, e, h, g, n + r0, w3, slope));
            if (wantParams) {
                Blas.gemm(type, true, false, h, h, m, 1, a1, 0, h, d2, 0, h, 1, grads.get("W2"), 0, h);
                k.colSums(d2, 0, 0, m, h, sumB2, null, 0, null);
                k.colSums(a2, 0, 0, rows, h, sumR2, g, r0, sumW3);
                k.colSums(a2, half, 0, rows, h, sumR2, g, n + r0, sumW3);
            }
            // dA1 = dZ2·W2ᵀ ⊙ φ'(z1)
            Blas.gemm(type, false, true, m, h, h, 1, d2, 0, h, w2, 0, h, 0, e1, 0, h);
            parallel(m, (f, e) -> k.mask(e1, a1, 0, f, e, h, slope));
            if (wantParams) {
                INDArray gwx = grads.get("Wx");
                INDArray gwy = grads.get("Wy");
                Blas.gemm(type, true, false, dx, h, rows, 1, in.xt(), (long) r0 * dx, dx, e1, 0, h, 1, gwx, 0, h);
                Blas.gemm(type, true, false, dx, h, rows, 1, in.xt(), (long) r0 * dx, dx, e1, half, h, 1, gwx, 0, h);
                Blas.gemm(type, true, false, dy, h, rows, 1, in.yj(), (long) r0 * dy, dy, e1, 0, h, 1, gwy, 0, h);
                Blas.gemm(type, true, false, dy, h, rows, 1, in.ym(), (long) r0 * dy, dy, e1, half, h, 1, gwy, 0, h);
                k.colSums(e1, 0, 0, m, h, sumB1, null, 0, null);
            }
            if (wantInputs) {
                Blas.gemm(type, false, true, rows, dx, h, 1, e1, 0, h, wx, 0, h, 0, dxAll, (long) r0 * dx, dx);
                Blas.gemm(type, false, true, rows, dx, h, 1, e1, half, h, wx, 0, h, 1, dxAll, (long) r0 * dx, dx);
                Blas.gemm(type, false, true, rows, dy, h, 1, e1, 0, h, wy, 0, h, 0, dyJoint, (long) r0 * dy, dy);
                Blas.gemm(type, false, true, rows, dy, h, 1, e1, half, h, wy, 0, h, 0, dyMarg, (long) r0 * dy, dy);
            }
        }
        if (wantParams) {
            grads.get("b2").assign(Nd4j.createFromArray(sumB2).castTo(type));
            grads.get("w3").assign(Nd4j.createFromArray(sumW3).castTo(type).reshape(h, 1));
            grads.get("bx").assign(Nd4j.createFromArray(sumB1).castTo(type));
            grads.get("by").assign(Nd4j.createFromArray(sumB1).castTo(type));
            if (p.outputBias()) {
                grads.get("b3").assign(sumB3);
            }
        }
        if (!wantInputs) {
            return null;
        }
        // marginal y′_i came from row π(i) (noise is additive, so ∂/∂y = ∂/∂y′); map rows back to the caller's S
        double[] gx = dxAll.castTo(DataType.DOUBLE).data().asDouble();
        double[] gyj = dyJoint.castTo(DataType.DOUBLE).data().asDouble();
        double[] gym = dyMarg.castTo(DataType.DOUBLE).data().asDouble();
        double[] gy = gyj.clone();
        for (int i = 0; i < n; i++) {
            int src = in.perm()[i] * dy;
            for (int c = 0; c < dy; c++) {
                gy[src + c] += gym[i * dy + c];
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

    private double[] vector(String name) {
        return params.get(name).castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** Runs {@code body(from, to)} over {@code [0, rows)} split across the threads. */
    private void parallel(int rows, RowRange body) {
        if (pool == null || rows < 256) {
            body.run(0, rows);
            return;
        }
        int parts = threads;
        List<ForkJoinTask<?>> tasks = new ArrayList<>();
        int step = (rows + parts - 1) / parts;
        for (int q = 1; q < parts; q++) {
            int f = q * step;
            int e = Math.min(rows, f + step);
            if (f < e) {
                tasks.add(pool.submit(() -> body.run(f, e)));
            }
        }
        body.run(0, Math.min(rows, step));
        tasks.forEach(ForkJoinTask::join);
    }

    @FunctionalInterface
    private interface RowRange {
        void run(int from, int to);
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
