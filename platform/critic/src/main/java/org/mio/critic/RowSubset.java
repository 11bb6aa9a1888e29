package org.mio.critic;

import java.util.Arrays;
import org.mio.api.estimator.Sampling;

/**
 * The random choices of a call that every critic makes the same way, in the same order: the
 * subset of rows it uses (when {@code rows} is below S), then the permutation that pairs each
 * used row with another row's Y. A fixed subset or permutation in the {@link Sampling} replaces
 * the draw, after a check that names what is wrong.
 */
public final class RowSubset {
    private RowSubset() {}

    /**
     * The used rows: {@code null} for all {@code total} rows, the sampling's fixed subset, or the
     * first {@code n} of a permutation drawn from its stream.
     *
     * @param name the estimator, for messages
     * @throws IllegalArgumentException if a fixed subset has the wrong length or repeats or leaves
     *     [0, total)
     */
    public static int[] rows(String name, Sampling s, int n, int total) {
        if (s.rows() == null) {
            return n < total ? Arrays.copyOf(s.rng().permutation(total), n) : null;
        }
        int[] rows = s.rows();
        if (rows.length != n) {
            throw new IllegalArgumentException(name + ": the row subset has " + rows.length
                    + " entries; this estimator uses " + n + " of the " + total + " rows");
        }
        boolean[] seen = new boolean[total];
        for (int r : rows) {
            if (r < 0 || r >= total || seen[r]) {
                throw new IllegalArgumentException(
                        name + ": the row subset must hold distinct rows in [0, " + total + "), found " + r);
            }
            seen[r] = true;
        }
        return rows;
    }

    /** The sampling's fixed permutation of n positions, or one drawn from its stream. */
    public static int[] permutation(String name, Sampling s, int n) {
        int[] perm = s.permutation() != null ? s.permutation() : s.rng().permutation(n);
        if (perm.length != n) {
            throw new IllegalArgumentException(
                    name + ": the permutation has " + perm.length + " entries for " + n + " rows");
        }
        return perm;
    }
}
