package org.mio.plugins.mine;

import org.mio.numerics.OptimizerConfig;

/**
 * Parameters of the MINE estimator (METHOD.md §4); {@code null} means the working-memory value.
 *
 * @param hidden width of both hidden layers (WM 512, separation 100)
 * @param activation {@code relu} (WM) or {@code leaky-relu} (separation)
 * @param leakySlope slope of leaky-relu for negative inputs (default 0.25)
 * @param outputBias whether T has an output bias b₃ (WM true, separation false)
 * @param noise σ of the Gaussian noise added to the inputs (WM 0.1, separation 0.05)
 * @param noiseMode {@code joint-y-only} (WM, mine.py:103-110: noisy X in both terms, noisy Y only
 *     in the joint term, the shuffled Y noise-free), {@code both} (separation: noise on X and Y
 *     before shuffling) or {@code none}
 * @param rows rows used per call, a random subset of the S samples; default all
 * @param blockRows the most rows per block (default 512): a block's joint and marginal rows go
 *     forward and backward together while its activations are in the core's cache
 * @param optimizer phase-A optimizer (default RMSprop lr 0.003, clipnorm 4.0 per variable)
 */
public record MineParams(
        Integer hidden,
        String activation,
        Double leakySlope,
        Boolean outputBias,
        Double noise,
        String noiseMode,
        Integer rows,
        Integer blockRows,
        OptimizerConfig optimizer) {

    /** Applies defaults and checks ranges. */
    public MineParams {
        hidden = hidden == null ? 512 : hidden;
        activation = activation == null ? "relu" : activation;
        leakySlope = leakySlope == null ? 0.25 : leakySlope;
        outputBias = outputBias == null || outputBias;
        noise = noise == null ? 0.1 : noise;
        noiseMode = noiseMode == null ? "joint-y-only" : noiseMode;
        blockRows = blockRows == null ? 512 : blockRows;
        optimizer = optimizer == null ? OptimizerConfig.rmsprop(0.003, 4.0) : optimizer;
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden must be ≥ 1, found " + hidden);
        }
        if (!activation.equals("relu") && !activation.equals("leaky-relu")) {
            throw new IllegalArgumentException("activation must be one of relu, leaky-relu, found " + activation);
        }
        if (!(leakySlope >= 0 && leakySlope < 1)) {
            throw new IllegalArgumentException("leakySlope must be in [0, 1), found " + leakySlope);
        }
        if (!(noise >= 0) || noise.isInfinite()) {
            throw new IllegalArgumentException("noise must be a finite number ≥ 0, found " + noise);
        }
        if (!noiseMode.equals("joint-y-only") && !noiseMode.equals("both") && !noiseMode.equals("none")) {
            throw new IllegalArgumentException("noiseMode must be one of joint-y-only, both, none, found " + noiseMode);
        }
        if (rows != null && rows < 2) {
            throw new IllegalArgumentException("rows must be ≥ 2 or absent (all rows), found " + rows);
        }
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows must be ≥ 1, found " + blockRows);
        }
    }

    /** The slope for negative inputs: 0 for relu. */
    double slope() {
        return activation.equals("relu") ? 0.0 : leakySlope;
    }
}
