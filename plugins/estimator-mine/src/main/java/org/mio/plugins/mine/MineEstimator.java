package org.mio.plugins.mine;

import org.mio.api.annotations.EstimatorKind;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.plugin.Footprint;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.critic.CriticParams;
import org.mio.critic.Critics;
import org.mio.critic.Objective;
import org.mio.numerics.Numerics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * MINE (mutual information neural estimation) with the Donsker–Varadhan bound, as the paper uses
 * it to measure and minimize the MI between two groups of units (METHOD.md §4): the critic library's
 * concatenated critic (or, with {@code critic: separable}, the separable one) under
 * {@link Objective#dv()}. Parameters in {@link CriticParams}.
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
        return Critics.footprint(params.as(CriticParams.class), Objective.dv(), context, dimX, dimY, rows);
    }

    @Override
    public Estimator create(PluginParams params, PluginContext context, int dimX, int dimY, Rng init) {
        return Critics.create("mine", params.as(CriticParams.class), Objective.dv(), context, dimX, dimY, init);
    }
}
