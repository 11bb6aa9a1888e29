package org.mio.critic;

import org.mio.api.estimator.Estimator;
import org.mio.api.plugin.Footprint;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The critic-based estimators for an estimator plugin to return: a critic ({@link CriticParams})
 * under an {@link Objective}. An estimator plugin is then its params record and a component:
 *
 * <pre>{@code
 * @Component @EstimatorKind("nwj")
 * public final class NwjEstimator implements MIEstimator {
 *     public Estimator create(PluginParams params, PluginContext context, int dimX, int dimY, Rng init) {
 *         return Critics.create("nwj", params.as(CriticParams.class), Objective.nwj(), context, dimX, dimY, init);
 *     }
 *     public Footprint footprint(PluginParams params, PluginContext context, int dimX, int dimY, long rows) {
 *         return Critics.footprint(params.as(CriticParams.class), Objective.nwj(), context, dimX, dimY, rows);
 *     }
 * }
 * }</pre>
 */
public final class Critics {
    private Critics() {}

    /**
     * The estimator of one run.
     *
     * @param name the estimator's kind, for messages
     * @param p the critic
     * @param objective the bound its scores make
     * @param context data type and threads of the run
     * @param dx columns of X
     * @param dy columns of Y
     * @param init the stream for the initial weights
     * @throws IllegalArgumentException if the concatenated critic is asked for InfoNCE
     */
    public static Estimator create(
            String name, CriticParams p, Objective objective, PluginContext context, int dx, int dy, Rng init) {
        return create(name, p, objective, context.dataType(), context.threads(), dx, dy, init);
    }

    /** As {@link #create(String, CriticParams, Objective, PluginContext, int, int, Rng)}, with the data type and threads given. */
    public static Estimator create(
            String name, CriticParams p, Objective objective, DataType type, int threads, int dx, int dy, Rng init) {
        if (!p.concat()) {
            return new SeparableCritic(name, objective, p, type, threads, dx, dy, init);
        }
        if (objective instanceof Objective.Partition bound) {
            return new ConcatCritic(name, bound, p, type, threads, dx, dy, init);
        }
        throw new IllegalArgumentException("critic concat is not offered for " + objective.name()
                + ": it would score every pair of a batch" + " through the whole network; use critic separable");
    }

    /**
     * The memory of {@link #create}'s estimator at its peak in one call on {@code rows} samples.
     *
     * @param rows S, before the critic's own subsampling
     */
    public static Footprint footprint(
            CriticParams p, Objective objective, PluginContext context, int dx, int dy, long rows) {
        DataType t = context.dataType();
        long h = p.hidden();
        long c = (long) dx + dy;
        long used = p.rows() == null ? rows : Math.min(rows, p.rows());
        String rowsField = p.rows() == null ? null : "rows";
        if (p.concat()) {
            int lanes = context.threads();
            return Footprint.of(
                    Footprint.nd4j(
                            "critic weights with gradients and optimizer state",
                            "hidden",
                            h,
                            t,
                            4 + 2 * lanes,
                            c + h,
                            h),
                    Footprint.nd4j(
                            "joint and marginal inputs and their gradients", rowsField, p.rows(), t, 2, 2 * used, c),
                    Footprint.nd4j("gradients with respect to X and Y", rowsField, p.rows(), t, 1, used, c),
                    Footprint.nd4j(
                            "block activations of each lane",
                            "blockRows",
                            p.blockRows(),
                            t,
                            4 * lanes,
                            2L * p.blockRows(),
                            h));
        }
        long e = p.embedding();
        long batch = objective instanceof Objective.InfoNce nce ? nce.batch() : 1;
        return Footprint.of(
                Footprint.nd4j(
                        "critic weights with gradients and optimizer state", "hidden", h, t, 4, c + 2 * h + 2 * e, h),
                Footprint.nd4j("inputs and their gradients", rowsField, p.rows(), t, 2, used, c),
                Footprint.nd4j("activations and their gradients of f and g", "hidden", h, t, 8, used, h),
                Footprint.nd4j("embeddings, permuted copies and their gradients", "embedding", e, t, 12, used, e),
                Footprint.nd4j("scores of a batch and their gradients", "batch", batch, t, 2, batch, batch));
    }
}
