package org.mio.plugins.mine;

import org.mio.api.annotations.EstimatorKind;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.numerics.Numerics;
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

    @Override
    public Estimator create(PluginParams params, PluginContext context, int dimX, int dimY, Rng init) {
        return new MineNetwork(params.as(MineParams.class), context.dataType(), context.threads(), dimX, dimY, init);
    }
}
