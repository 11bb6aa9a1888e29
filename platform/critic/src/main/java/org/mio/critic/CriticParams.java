package org.mio.critic;

import org.mio.numerics.OptimizerConfig;

/**
 * The critic of a critic-based estimator and how it is fed; {@code null} means the default, which
 * is the working-memory value of MINE (METHOD.md §4) unless a component says otherwise. An
 * estimator plugin reads these from its {@code estimator.params} (MINE and NWJ as they are; an
 * estimator with parameters of its own, such as SMILE's clip, repeats these components in its
 * record beside its own and builds one of these from them, so the JSON stays flat).
 *
 * @param critic {@code concat} (default): T(x, y) = w₃ᵀ φ(W₂ᵀ φ(Wxᵀx + bx + Wyᵀy + by) + b₂) + b₃,
 *     MINE's statistics network; or {@code separable}: T(x, y) = f(x)·g(y) with f and g two
 *     networks of the same shape, φ(φ(·W₁ + b₁)W₂ + b₂)W₃ + b₃, ending in {@code embedding} units
 * @param hidden width of the hidden layers (WM 512, separation 100)
 * @param embedding the separable critic's output width (default 32); not for {@code concat}
 * @param activation {@code relu} (WM), {@code leaky-relu} (separation) or {@code elu} (smooth; see
 *     {@link Activation})
 * @param leakySlope slope of leaky-relu for negative inputs (default 0.25)
 * @param outputBias whether the concatenated critic has an output bias b₃ (WM true, separation
 *     false); not for {@code separable}, where a constant cancels in every bound
 * @param noise σ of the Gaussian noise added to the inputs (WM 0.1, separation 0.05)
 * @param noiseMode {@code joint-y-only} (the default of {@code concat}; mine.py:103-110: noisy X in
 *     both terms, noisy Y only in the joint term, the shuffled Y noise-free), {@code both} (the
 *     default of {@code separable}; noise on X and Y before shuffling) or {@code none}
 * @param rows rows used per call, a random subset of the S samples; default all
 * @param blockRows the most rows per block of the concatenated critic (default 512): a block's
 *     joint and marginal rows go forward and backward together while its activations are in the
 *     core's cache
 * @param optimizer phase-A optimizer (default RMSprop lr 0.003, clipnorm 4.0 per variable)
 */
public record CriticParams(
        String critic,
        Integer hidden,
        Integer embedding,
        String activation,
        Double leakySlope,
        Boolean outputBias,
        Double noise,
        String noiseMode,
        Integer rows,
        Integer blockRows,
        OptimizerConfig optimizer) {

    /** Applies defaults and checks ranges. */
    public CriticParams {
        critic = critic == null ? "concat" : critic;
        if (!critic.equals("concat") && !critic.equals("separable")) {
            throw new IllegalArgumentException("critic must be one of concat, separable, found " + critic);
        }
        boolean concat = critic.equals("concat");
        hidden = hidden == null ? 512 : hidden;
        if (embedding != null && concat) {
            throw new IllegalArgumentException("embedding is a parameter of the separable critic; this one is concat");
        }
        embedding = embedding == null ? 32 : embedding;
        activation = activation == null ? "relu" : activation;
        leakySlope = leakySlope == null ? 0.25 : leakySlope;
        if (Boolean.TRUE.equals(outputBias) && !concat) {
            throw new IllegalArgumentException(
                    "outputBias = true is not offered for the separable critic (its f and g have output biases)");
        }
        outputBias = outputBias == null ? concat : outputBias;
        noise = noise == null ? 0.1 : noise;
        noiseMode = noiseMode == null ? (concat ? "joint-y-only" : "both") : noiseMode;
        blockRows = blockRows == null ? 512 : blockRows;
        optimizer = optimizer == null ? OptimizerConfig.rmsprop(0.003, 4.0) : optimizer;
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden must be ≥ 1, found " + hidden);
        }
        if (embedding < 1) {
            throw new IllegalArgumentException("embedding must be ≥ 1, found " + embedding);
        }
        Activation.of(activation, leakySlope);
        if (!(noise >= 0) || noise.isInfinite()) {
            throw new IllegalArgumentException("noise must be a finite number ≥ 0, found " + noise);
        }
        if (!noiseMode.equals("joint-y-only") && !noiseMode.equals("both") && !noiseMode.equals("none")) {
            throw new IllegalArgumentException("noiseMode must be one of joint-y-only, both, none, found " + noiseMode);
        }
        if (noiseMode.equals("joint-y-only") && !concat) {
            throw new IllegalArgumentException(
                    "noiseMode joint-y-only needs the concat critic; the separable one offers both, none");
        }
        if (rows != null && rows < 2) {
            throw new IllegalArgumentException("rows must be ≥ 2 or absent (all rows), found " + rows);
        }
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows must be ≥ 1, found " + blockRows);
        }
    }

    /** Whether this is the concatenated (MINE) critic. */
    public boolean concat() {
        return critic.equals("concat");
    }

    /** The hidden layers' activation. */
    public Activation activationFunction() {
        return Activation.of(activation, leakySlope);
    }

    /**
     * The slope for negative inputs: 0 for relu, and for elu, which has none.
     *
     * @deprecated elu is not described by a slope; use {@link #activationFunction()}
     */
    @Deprecated
    public double slope() {
        return activationFunction().slope();
    }
}
