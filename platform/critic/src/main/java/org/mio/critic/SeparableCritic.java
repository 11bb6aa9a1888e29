package org.mio.critic;

import org.mio.api.estimator.Sampling;
import org.mio.api.estimator.ValueAndGradient;
import org.mio.api.plugin.Rng;
import org.mio.numerics.Dense;
import org.mio.numerics.Rows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The separable critic T(x, y) = f(x)·g(y), with f and g two networks φ(φ(·W₁ + b₁)W₂ + b₂)W₃ + b₃
 * ending in {@code embedding} units, under any {@link Objective}. Each input row goes through its
 * network once; the scores of joint, marginal or all pairs of a batch are then dot products of the
 * embeddings (for InfoNCE, one GEMM per batch). The layers are whole-matrix GEMMs on all threads.
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

    /** One of the two networks, its parameters named {@code <prefix>W1 … <prefix>b3}, and the activations of the last call. */
    private final class Tower {
        final String prefix;
        INDArray input;
        INDArray a1;
        INDArray a2;

        Tower(String prefix, int in, Rng init) {
            this.prefix = prefix;
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

        /** The embeddings [n, e] of the rows of {@code x}, keeping the activations for {@link #backward}. */
        INDArray forward(INDArray x) {
            int n = (int) x.size(0);
            input = x;
            a1 = mm(x, param("W1"));
            k.biasAct(a1, 0, n, h, vector(param("b1")), slope);
            a2 = mm(a1, param("W2"));
            k.biasAct(a2, 0, n, h, vector(param("b2")), slope);
            return mm(a2, param("W3")).addiRowVector(param("b3"));
        }

        /**
         * Back from ∂/∂embedding: the parameter gradients (with {@code wantParams}) and the gradient
         * with respect to the input (with {@code wantInput}, else {@code null}).
         */
        INDArray backward(INDArray dOut, boolean wantParams, boolean wantInput) {
            int n = (int) dOut.size(0);
            if (wantParams) {
                grads.get(prefix + "W3").assign(a2.transpose().mmul(dOut));
                grads.get(prefix + "b3").assign(dOut.sum(0));
            }
            INDArray d2 = mm(dOut, param("W3").transpose());
            double[] sum2 = new double[h];
            k.mask(d2, a2, 0, n, h, slope, sum2);
            INDArray d1 = mm(d2, param("W2").transpose());
            double[] sum1 = new double[h];
            k.mask(d1, a1, 0, n, h, slope, sum1);
            if (wantParams) {
                grads.get(prefix + "W2").assign(a1.transpose().mmul(d2));
                grads.get(prefix + "b2").assign(Nd4j.createFromArray(sum2).castTo(type));
                grads.get(prefix + "W1").assign(input.transpose().mmul(d1));
                grads.get(prefix + "b1").assign(Nd4j.createFromArray(sum1).castTo(type));
            }
            return wantInput ? mm(d1, param("W1").transpose()) : null;
        }
    }

    /** a·b as a whole row-major array, which the elementwise kernels need. */
    private static INDArray mm(INDArray a, INDArray b) {
        INDArray c = a.mmul(b);
        return c.ordering() == 'c' && !c.isView() ? c : c.dup('c');
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
        INDArray dx = f.backward(d[0], wantParams, wantInputs);
        INDArray dyOut = g.backward(d[1], wantParams, wantInputs);
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
     * InfoNCE over consecutive batches of the rows in the order of {@code perm}.
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
        double value = 0;
        for (int b = 0; b < count; b++) {
            int from = (int) ((long) n * b / count);
            int to = (int) ((long) n * (b + 1) / count);
            int m = to - from;
            INDArray fb = fo.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            INDArray gb = go.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            double[] t = vector(fb.mmul(gb.transpose()));
            double[] ds = new double[m * m];
            for (int i = 0; i < m; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < m; j++) {
                    max = Math.max(max, t[i * m + j]);
                }
                double sum = 0;
                for (int j = 0; j < m; j++) {
                    sum += Math.exp(t[i * m + j] - max);
                }
                value += t[i * m + i] - (max + Math.log(sum / m));
                for (int j = 0; j < m; j++) {
                    ds[i * m + j] = -scale / n * Math.exp(t[i * m + j] - max) / sum;
                }
                ds[i * m + i] += scale / n;
            }
            INDArray dS = Nd4j.createFromArray(ds).castTo(type).reshape(m, m);
            dFo.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(dS.mmul(gb));
            dGo.get(NDArrayIndex.interval(from, to), NDArrayIndex.all())
                    .assign(dS.transpose().mmul(fb));
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
