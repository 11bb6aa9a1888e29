package org.mio.plugins.club;

import org.mio.api.estimator.Sampling;
import org.mio.api.estimator.ValueAndGradient;
import org.mio.api.plugin.Rng;
import org.mio.critic.RowSubset;
import org.mio.critic.TrainedEstimator;
import org.mio.numerics.Dense;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * CLUB (Cheng et al. 2020) with a Gaussian variational conditional q(y|x) = N(μ(x), diag e^{v(x)}),
 * μ(x) = φ(x·A₁ + a₁)·A₂ + a₂ and v(x) = tanh(φ(x·B₁ + b₁)·B₂ + b₂), as the reference's
 * {@code CLUB} module:
 *
 * <pre>
 * Î = mean_i log q(y_i|x_i) − mean_i mean_j log q(y_j|x_i)
 *   = mean_i Σ_k [((ȳ_k − μ_ik)² + s²_k) − (y_ik − μ_ik)²] / (2 e^{v_ik})
 * </pre>
 *
 * with ȳ and s² the mean and (biased) variance of Y's columns over the rows used: the double sum
 * over all pairs in closed form, O(S·d). It is an upper bound on I(X; Y) when q is the true
 * conditional, and the gradient of Î with respect to X and Y is what the trainer descends. Phase A
 * does not ascend Î: it maximizes the log-likelihood mean_i log q(y_i|x_i), so
 * {@link #parameterGradients} is the likelihood's gradient.
 */
final class ClubNetwork extends TrainedEstimator {
    private final ClubParams p;
    private final int h;
    private final double slope;
    private final int threads;

    ClubNetwork(ClubParams p, DataType type, int threads, int dx, int dy, Rng init) {
        super("club", p.optimizer(), p.rows(), type, dx, dy);
        this.p = p;
        this.h = p.hidden();
        this.slope = p.slope();
        this.threads = Math.max(1, threads);
        // Keras/PyTorch-style dense layers: Glorot-uniform kernels, zero biases
        params.put("A1", Dense.glorot(type, dx, h, init::nextDouble));
        params.put("a1", Nd4j.zeros(type, h));
        params.put("A2", Dense.glorot(type, h, dy, init::nextDouble));
        params.put("a2", Nd4j.zeros(type, dy));
        params.put("B1", Dense.glorot(type, dx, h, init::nextDouble));
        params.put("b1", Nd4j.zeros(type, h));
        params.put("B2", Dense.glorot(type, h, dy, init::nextDouble));
        params.put("b2", Nd4j.zeros(type, dy));
        allocateGradients();
    }

    /** One forward pass: hidden activations, μ, v and the precision e^{−v}. */
    private final class Forward {
        final INDArray x;
        final INDArray y;
        final INDArray zm;
        final INDArray hm;
        final INDArray zv;
        final INDArray hv;
        final INDArray mu;
        final INDArray v;
        final INDArray precision;

        Forward(INDArray x, INDArray y) {
            this.x = x;
            this.y = y;
            zm = x.mmul(params.get("A1")).addiRowVector(params.get("a1"));
            hm = Transforms.leakyRelu(zm, slope, true);
            mu = hm.mmul(params.get("A2")).addiRowVector(params.get("a2"));
            zv = x.mmul(params.get("B1")).addiRowVector(params.get("b1"));
            hv = Transforms.leakyRelu(zv, slope, true);
            v = Transforms.tanh(hv.mmul(params.get("B2")).addiRowVector(params.get("b2")), true);
            precision = Transforms.exp(v.neg(), true);
        }

        /**
         * Back from ∂/∂μ and ∂/∂v to the parameters (into {@link #grads}, with {@code wantParams})
         * and to X (returned, with {@code wantInput}).
         */
        INDArray backward(INDArray dMu, INDArray dV, boolean wantParams, boolean wantInput) {
            // through tanh: ∂/∂(pre-activation) = ∂/∂v · (1 − v²)
            INDArray dPre = dV.mul(v.mul(v).rsubi(1));
            INDArray dHm = dMu.mmul(params.get("A2").transpose()).muli(derivative(zm));
            INDArray dHv = dPre.mmul(params.get("B2").transpose()).muli(derivative(zv));
            if (wantParams) {
                grads.get("A2").assign(hm.transpose().mmul(dMu));
                grads.get("a2").assign(dMu.sum(0));
                grads.get("B2").assign(hv.transpose().mmul(dPre));
                grads.get("b2").assign(dPre.sum(0));
                grads.get("A1").assign(x.transpose().mmul(dHm));
                grads.get("a1").assign(dHm.sum(0));
                grads.get("B1").assign(x.transpose().mmul(dHv));
                grads.get("b1").assign(dHv.sum(0));
            }
            return wantInput
                    ? dHm.mmul(params.get("A1").transpose())
                            .addi(dHv.mmul(params.get("B1").transpose()))
                    : null;
        }

        private INDArray derivative(INDArray z) {
            // φ'(z): 1 where z > 0, else the slope
            return z.gt(0).castTo(type).muli(1 - slope).addi(slope);
        }
    }

    /** Î of a forward pass, with ȳ and s² of its rows. */
    private static double value(Forward f, INDArray mean, INDArray var) {
        INDArray fit = f.y.sub(f.mu);
        INDArray toMean = f.mu.neg().addiRowVector(mean);
        INDArray terms =
                toMean.muli(toMean).addiRowVector(var).subi(fit.mul(fit)).muli(f.precision);
        return 0.5 * terms.sumNumber().doubleValue() / f.x.size(0);
    }

    private RowSubset.Drawn inputs(INDArray x, INDArray y, Sampling s) {
        return drawRows(x, y, s, p.noise(), p.noiseMode(), threads);
    }

    /** Î; with {@code wantParams}, ∂(scale·log-likelihood)/∂θ into {@link #grads}. */
    @Override
    protected double run(INDArray x, INDArray y, Sampling sampling, double scale, boolean wantParams) {
        RowSubset.Drawn in = inputs(x, y, sampling);
        Forward f = new Forward(in.x(), in.y());
        INDArray mean = f.y.mean(0);
        INDArray var = f.y.var(false, 0);
        double value = value(f, mean, var);
        if (wantParams) {
            long n = f.x.size(0);
            // log q(y|x) = −½ Σ_k [log 2π + v_k + (y_k − μ_k)² e^{−v_k}]: ∂/∂μ = (y − μ)e^{−v}, ∂/∂v = ½((y − μ)²e^{−v}
            // − 1)
            INDArray fit = f.y.sub(f.mu);
            INDArray dMu = fit.mul(f.precision).muli(scale / n);
            INDArray dV = fit.mul(fit).muli(f.precision).subi(1).muli(0.5 * scale / n);
            f.backward(dMu, dV, true, false);
        }
        return value;
    }

    @Override
    public ValueAndGradient valueAndGradient(INDArray x, INDArray y, Sampling sampling) {
        RowSubset.Drawn in = inputs(x, y, sampling);
        Forward f = new Forward(in.x(), in.y());
        INDArray mean = f.y.mean(0);
        INDArray var = f.y.var(false, 0);
        double value = value(f, mean, var);
        long n = f.x.size(0);
        INDArray fit = f.y.sub(f.mu);
        INDArray toMean = f.mu.neg().addiRowVector(mean);
        // ∂Î/∂μ_ik = (y_ik − ȳ_k) e^{−v_ik} / n; ∂Î/∂v_ik = −[(ȳ_k − μ_ik)² + s²_k − (y_ik − μ_ik)²] e^{−v_ik} / (2n)
        INDArray centred = f.y.subRowVector(mean);
        INDArray dMu = centred.mul(f.precision).divi(n);
        INDArray dV = toMean.mul(toMean)
                .addiRowVector(var)
                .subi(fit.mul(fit))
                .muli(f.precision)
                .muli(-0.5 / n);
        INDArray dx = f.backward(dMu, dV, false, true);
        // ∂Î/∂y_jk = [−(y_jk − μ_jk) e^{−v_jk} + B_k + A_k (y_jk − ȳ_k)] / n with A = mean_i e^{−v_i},
        // B = mean_i (ȳ − μ_i) e^{−v_i}: the joint term of row j and row j's share of ȳ and s²
        INDArray a = f.precision.mean(0);
        INDArray b = toMean.mul(f.precision).mean(0);
        INDArray dy = fit.mul(f.precision)
                .negi()
                .addiRowVector(b)
                .addi(centred.mulRowVector(a))
                .divi(n);
        return new ValueAndGradient(value, in.scatter(dx), in.scatter(dy));
    }

    /**
     * Floating-point operations of one call (multiply and add counted separately): per used row
     * the two networks' forward passes cost 4h(dx + dy); a backward pass twice that.
     */
    @Override
    public double flops(long rows, Call call) {
        long n = rowsUsed((int) Math.min(rows, Integer.MAX_VALUE));
        double forward = 4.0 * h * (dx + dy);
        return n * (call == Call.ESTIMATE ? forward : 3 * forward);
    }
}
