package org.mio.api.estimator;

import java.util.Objects;
import org.mio.api.plugin.Rng;

/**
 * The random choices of one estimator call.
 *
 * @param rng the stream for every draw of the call (shuffles, noise, row subsets)
 * @param permutation a fixed permutation of the S rows for the marginal samples, or {@code null}
 *     to draw one from {@code rng}; used to compare against other implementations
 * @param noise whether the estimator adds its input noise (MINE's N(0, σ²)); {@code false} makes
 *     the call deterministic given the permutation
 */
public record Sampling(Rng rng, int[] permutation, boolean noise) {

    /** Requires a stream. */
    public Sampling {
        Objects.requireNonNull(rng, "rng");
    }

    /** Everything drawn from {@code rng}, noise on: what training uses. */
    public static Sampling of(Rng rng) {
        return new Sampling(rng, null, true);
    }
}
