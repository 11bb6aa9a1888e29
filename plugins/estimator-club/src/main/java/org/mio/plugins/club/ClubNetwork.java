package org.mio.plugins.club;

import org.mio.api.estimator.Sampling;
import org.mio.api.estimator.ValueAndGradient;
import org.mio.api.plugin.Rng;
import org.mio.critic.Mlp;
import org.mio.critic.RowSubset;
import org.mio.critic.TrainedEstimator;
import org.mio.numerics.Dense;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * CLUB (Cheng et al. 2020) with a Gaussian variational conditional q(y|x) = N(μ(x), diag e^{v(x)}),
 * μ(x) = φ(x·W₁ + b₁)·W₂ + b₂ (parameters {@code muW1 …}) and v(x) = tanh(φ(x·W₁′ + b₁′)·W₂′ + b₂′)
 * ({@code logvarW1 …}), as the reference's {@code CLUB} module, each an {@link Mlp} in per-core
 * lanes:
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
    private final int threads;
    private final Mlp mean;
    private final Mlp logVariance;

    ClubNetwork(ClubParams p, DataType type, int threads, int dx, int dy, Rng init) {
        super("club", p.optimizer(), p.rows(), type, dx, dy);
        this.p = p;
        this.threads = Math.max(1, threads);
        int h = p.hidden();
        this.mean = new Mlp(
                "mu", new int[] {dx, h, dy}, p.activationFunction(), 512, type, this.threads, params, grads, init);
        this.logVariance = new Mlp(
                "logvar", new int[] {dx, h, dy}, p.activationFunction(), 512, type, this.threads, params, grads, init);
        allocateGradients();
    }

    /** One forward pass: μ, v = tanh(·) and the precision e^{−v} of the rows. */
    private final class Forward {
        final INDArray x;
        final INDArray y;
        final INDArray mu;
        final INDArray v;
        final INDArray precision;

        Forward(INDArray x, INDArray y) {
            this.x = x;
            this.y = y;
            mu = mean.forward(x);
            v = Transforms.tanh(logVariance.forward(x), true);
            precision = Transforms.exp(v.neg(), true);
        }

        /**
         * Back from ∂/∂μ and ∂/∂v to the parameters (into {@link #grads}, with {@code wantParams})
         * and to X (returned, with {@code wantInput}).
         */
        INDArray backward(INDArray dMu, INDArray dV, boolean wantParams, boolean wantInput) {
            // through tanh: ∂/∂(pre-activation) = ∂/∂v · (1 − v²)
            INDArray dPre = Dense.contiguous(dV.mul(v.mul(v).rsubi(1)), type);
            INDArray dxMean = mean.backward(Dense.contiguous(dMu, type), wantParams, wantInput);
            INDArray dxVar = logVariance.backward(dPre, wantParams, wantInput);
            return wantInput ? dxMean.addi(dxVar) : null;
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
        double forward = 4.0 * p.hidden() * (dx + dy);
        return n * (call == Call.ESTIMATE ? forward : 3 * forward);
    }
}
