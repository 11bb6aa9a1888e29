package org.mio.plugins.nwj;

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
 * The NWJ bound (Nguyen, Wainwright and Jordan 2010; the f-divergence bound of f-GAN with the
 * critic shifted by one): Î = mean T(x_i, y_i) − e⁻¹·mean exp T(x_i, y_π(i)). Unlike Donsker–Varadhan
 * it is linear in the partition sum, so a mini-batch gives an unbiased estimate of the bound and
 * its gradient, at the price of a larger variance. The critic and every option as MINE's
 * ({@link CriticParams}).
 */
@Component
@EstimatorKind("nwj")
public final class NwjEstimator implements MIEstimator {

    /** @param numerics ND4J must be ready before estimators are made */
    @Activate
    public NwjEstimator(@Reference Numerics numerics) {
        // nothing to keep: the reference only orders activation after ND4J's initialization
    }

    @Override
    public Footprint footprint(PluginParams params, PluginContext context, int dimX, int dimY, long rows) {
        return Critics.footprint(params.as(CriticParams.class), Objective.nwj(), context, dimX, dimY, rows);
    }

    @Override
    public Estimator create(PluginParams params, PluginContext context, int dimX, int dimY, Rng init) {
        return Critics.create("nwj", params.as(CriticParams.class), Objective.nwj(), context, dimX, dimY, init);
    }
}
