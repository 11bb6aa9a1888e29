package org.mio.plugins.infonce;

import org.mio.critic.CriticParams;
import org.mio.numerics.OptimizerConfig;

/**
 * Parameters of InfoNCE: the batch size and the critic's components, as {@link CriticParams}
 * documents them, but for the critic, which is {@code separable} by default and must be.
 *
 * @param batch rows per contrastive batch (default 256): every row is scored against the others
 *     of its batch, and the estimate cannot exceed log(batch) (5.5 nats at 256)
 */
public record InfoNceParams(
        Integer batch,
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

    /** Applies the defaults and checks every component. */
    public InfoNceParams {
        batch = batch == null ? 256 : batch;
        critic = critic == null ? "separable" : critic;
        if (batch < 2) {
            throw new IllegalArgumentException("batch must be ≥ 2, found " + batch);
        }
        if (critic.equals("concat")) {
            throw new IllegalArgumentException("critic must be separable for infonce (the concat critic would score"
                    + " every pair of a batch through the whole network), found concat");
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
