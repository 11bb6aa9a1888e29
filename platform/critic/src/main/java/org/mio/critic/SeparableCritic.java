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
 * per-core lanes, as in the concatenated critic ({@link Mlp}).
 *
 * <p>Partition bounds: Î = mean_i f(x̃_i)·g(ỹ_i) − F(Σ_i exp c(f(x̃_i)·g(ỹ_π(i)))). InfoNCE: the
 * used rows, in the order of the call's permutation, are cut into consecutive batches of near-equal
 * size (at most {@code batch}), and Î = mean over rows of [T_ii − log mean_j exp T_ij] over the
 * row's batch.
 */
final class SeparableCritic extends TrainedEstimator {
    private final CriticParams p;
    private final Objective objective;
    private final int h;
    private final int e;
    private final Activation act;
    private final int threads;
    private final Mlp f;
    private final Mlp g;

    SeparableCritic(
            String name, Objective objective, CriticParams p, DataType type, int threads, int dx, int dy, Rng init) {
        super(name, p.optimizer(), p.rows(), type, dx, dy);
        this.p = p;
        this.objective = objective;
        this.h = p.hidden();
        this.e = p.embedding();
        this.act = p.activationFunction();
        this.threads = Math.max(1, threads);
        this.f = new Mlp("f", new int[] {dx, h, h, e}, act, p.blockRows(), type, this.threads, params, grads, init);
        this.g = new Mlp("g", new int[] {dy, h, h, e}, act, p.blockRows(), type, this.threads, params, grads, init);
        allocateGradients();
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
        double[] tJ = Kernels.doubles(fx.mul(gy).sum(1));
        double[] tM = Kernels.doubles(fx.mul(gp).sum(1));
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
        int[] inverse = RowSubset.inverse(perm);
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
            for (int b = Threads.start(count, lanes, lane); b < Threads.start(count, lanes, lane + 1); b++) {
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
        int[] inverse = RowSubset.inverse(perm);
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
