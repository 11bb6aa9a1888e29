package org.mio.plugins.mine;

import org.mio.api.annotations.EstimatorKind;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.plugin.Footprint;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.numerics.Numerics;
import org.nd4j.linalg.api.buffer.DataType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * MINE (mutual information neural estimation) with the Donsker–Varadhan bound, as the paper uses
 * it to measure and minimize the MI between two groups of units (METHOD.md §4). Parameters in
 * {@link MineParams}; equations and the blocked implementation in {@link MineNetwork}.
 */
@Component
@EstimatorKind("mine")
public final class MineEstimator implements MIEstimator {

    /** @param numerics ND4J must be ready before estimators are made */
    @Activate
    public MineEstimator(@Reference Numerics numerics) {
        // nothing to keep: the reference only orders activation after ND4J's initialization
    }

    /**
     * The critic's weights (with gradient, Adam's two moments and each lane's partial
     * gradients), the joint and marginal inputs of the rows used and their gradients, the
     * gradients with respect to X and Y, and each lane's block activations.
     */
    @Override
    public Footprint footprint(PluginParams params, PluginContext context, int dimX, int dimY, long rows) {
        MineParams p = params.as(MineParams.class);
        DataType t = context.dataType();
        long h = p.hidden();
        long c = (long) dimX + dimY;
        long used = p.rows() == null ? rows : Math.min(rows, p.rows());
        String rowsField = p.rows() == null ? null : "rows";
        int lanes = context.threads();
        return Footprint.of(
                Footprint.nd4j(
                        "critic weights with gradients and optimizer state", "hidden", h, t, 4 + 2 * lanes, c + h, h),
                Footprint.nd4j("joint and marginal inputs and their gradients", rowsField, p.rows(), t, 2, 2 * used, c),
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

    @Override
    public Estimator create(PluginParams params, PluginContext context, int dimX, int dimY, Rng init) {
        return new MineNetwork(params.as(MineParams.class), context.dataType(), context.threads(), dimX, dimY, init);
    }
}
