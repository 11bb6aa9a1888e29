package org.mio.plugins.club;

import org.mio.api.annotations.EstimatorKind;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.plugin.Footprint;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.numerics.Numerics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * CLUB, the contrastive log-ratio upper bound (Cheng et al. 2020): a Gaussian q(y|x) trained by
 * likelihood in phase A, and Î = mean log q(y_i|x_i) − mean_i mean_j log q(y_j|x_i), whose
 * gradient phase B descends. An upper bound where MINE and its kin are lower bounds, so
 * minimizing it pushes the MI itself down. Equations in {@link ClubNetwork}, parameters in
 * {@link ClubParams}.
 */
@Component
@EstimatorKind("club")
public final class ClubEstimator implements MIEstimator {

    /** @param numerics ND4J must be ready before estimators are made */
    @Activate
    public ClubEstimator(@Reference Numerics numerics) {
        // nothing to keep: the reference only orders activation after ND4J's initialization
    }

    /** The weights with gradients and optimizer state; per used row the inputs, activations and their gradients. */
    @Override
    public Footprint footprint(PluginParams params, PluginContext context, int dimX, int dimY, long rows) {
        ClubParams p = params.as(ClubParams.class);
        long h = p.hidden();
        long used = p.rows() == null ? rows : Math.min(rows, p.rows());
        String rowsField = p.rows() == null ? null : "rows";
        return Footprint.of(
                Footprint.nd4j(
                        "weights with gradients and optimizer state",
                        "hidden",
                        h,
                        context.dataType(),
                        4,
                        2L * (dimX + dimY + 2),
                        h),
                Footprint.nd4j(
                        "inputs, activations and their gradients",
                        rowsField,
                        p.rows(),
                        context.dataType(),
                        8,
                        used,
                        h + dimX + dimY));
    }

    @Override
    public Estimator create(PluginParams params, PluginContext context, int dimX, int dimY, Rng init) {
        return new ClubNetwork(params.as(ClubParams.class), context.dataType(), context.threads(), dimX, dimY, init);
    }
}
