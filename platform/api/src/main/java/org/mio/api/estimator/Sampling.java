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
 * @param rows for an estimator that uses a subset of the S rows ({@link Estimator#rowsUsed}), a
 *     fixed subset: distinct row indices in [0, S), as many as {@code rowsUsed(S)}; the
 *     permutation then permutes positions in this subset. {@code null} to draw the subset from
 *     {@code rng}
 */
public record Sampling(Rng rng, int[] permutation, boolean noise, int[] rows) {

    /** Requires a stream. */
    public Sampling {
        Objects.requireNonNull(rng, "rng");
    }

    /** Without a fixed row subset. */
    public Sampling(Rng rng, int[] permutation, boolean noise) {
        this(rng, permutation, noise, null);
    }

    /** Everything drawn from {@code rng}, noise on: what training uses. */
    public static Sampling of(Rng rng) {
        return new Sampling(rng, null, true);
    }
}
