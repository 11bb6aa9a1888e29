package org.mio.plugins.smile;

import org.mio.critic.CriticParams;
import org.mio.numerics.OptimizerConfig;

/**
 * Parameters of SMILE: the clip {@code tau} and the critic's components, as {@link CriticParams}
 * documents them (same names and defaults as MINE's).
 *
 * @param tau the partition term's scores are clipped to [−τ, τ] (default 5, the paper's larger
 *     setting; τ = 1 trades more bias for less variance). A smaller τ raises the estimate, the
 *     more the larger the MI: on 20 + 20-dim Gaussian samples τ = 3 measured within 10 % at 1–2
 *     nats and 15 % high at 4, τ = 5 11 % low at 1 nat and within 2 % at 4 (docs/estimators.md)
 */
public record SmileParams(
        Double tau,
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

    /** Applies the default clip and checks every component. */
    public SmileParams {
        tau = tau == null ? 5.0 : tau;
        if (!(tau > 0) || tau.isInfinite()) {
            throw new IllegalArgumentException("tau must be a finite number > 0, found " + tau);
        }
        // the critic's own checks, with their messages
        new CriticParams(
                critic,
                hidden,
                embedding,
                activation,
                leakySlope,
                outputBias,
                noise,
                noiseMode,
                rows,
                blockRows,
                optimizer);
    }

    /** The critic these parameters describe. */
    CriticParams criticParams() {
        return new CriticParams(
                critic,
                hidden,
                embedding,
                activation,
                leakySlope,
                outputBias,
                noise,
                noiseMode,
                rows,
                blockRows,
                optimizer);
    }
}
