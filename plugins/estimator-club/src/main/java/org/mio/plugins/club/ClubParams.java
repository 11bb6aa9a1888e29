package org.mio.plugins.club;

import org.mio.critic.Activation;
import org.mio.numerics.OptimizerConfig;

/**
 * Parameters of CLUB; {@code null} means the default, which follows MINE's working-memory values
 * where the two share a meaning.
 *
 * @param hidden width of the hidden layer of each of the two networks μ(x) and log σ²(x) (default
 *     512)
 * @param activation {@code relu} (default), {@code leaky-relu} or {@code elu}
 * @param leakySlope slope of leaky-relu for negative inputs (default 0.25)
 * @param noise σ of the Gaussian noise added to X and Y (default 0.1)
 * @param noiseMode {@code both} (default) or {@code none}
 * @param rows rows used per call, a random subset of the S samples; default all
 * @param optimizer phase-A optimizer of the likelihood (default RMSprop lr 0.003, clipnorm 4.0)
 */
public record ClubParams(
        Integer hidden,
        String activation,
        Double leakySlope,
        Double noise,
        String noiseMode,
        Integer rows,
        OptimizerConfig optimizer) {

    /** Applies defaults and checks ranges. */
    public ClubParams {
        hidden = hidden == null ? 512 : hidden;
        activation = activation == null ? "relu" : activation;
        leakySlope = leakySlope == null ? 0.25 : leakySlope;
        noise = noise == null ? 0.1 : noise;
        noiseMode = noiseMode == null ? "both" : noiseMode;
        optimizer = optimizer == null ? OptimizerConfig.rmsprop(0.003, 4.0) : optimizer;
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden must be ≥ 1, found " + hidden);
        }
        Activation.of(activation, leakySlope);
        if (!(noise >= 0) || noise.isInfinite()) {
            throw new IllegalArgumentException("noise must be a finite number ≥ 0, found " + noise);
        }
        if (!noiseMode.equals("both") && !noiseMode.equals("none")) {
            throw new IllegalArgumentException("noiseMode must be one of both, none, found " + noiseMode);
        }
        if (rows != null && rows < 2) {
            throw new IllegalArgumentException("rows must be ≥ 2 or absent (all rows), found " + rows);
        }
    }

    /** The hidden layers' activation. */
    Activation activationFunction() {
        return Activation.of(activation, leakySlope);
    }
}
