package org.mio.plugins.smile;

import org.mio.api.annotations.EstimatorKind;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.plugin.Footprint;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.critic.Critics;
import org.mio.critic.Objective;
import org.mio.numerics.Numerics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * SMILE (Song and Ermon 2020): the Donsker–Varadhan bound with the partition term's scores clipped
 * to [−τ, τ], Î = mean T(x_i, y_i) − log mean exp clip(T(x_i, y_π(i)), −τ, τ). The clip bounds the
 * variance of the partition term that makes MINE's estimate noisy at high MI; a clipped score
 * contributes no gradient. Parameters in {@link SmileParams}.
 */
@Component
@EstimatorKind("smile")
public final class SmileEstimator implements MIEstimator {

    /** @param numerics ND4J must be ready before estimators are made */
    @Activate
    public SmileEstimator(@Reference Numerics numerics) {
        // nothing to keep: the reference only orders activation after ND4J's initialization
    }

    @Override
    public Footprint footprint(PluginParams params, PluginContext context, int dimX, int dimY, long rows) {
        SmileParams p = params.as(SmileParams.class);
        return Critics.footprint(p.criticParams(), Objective.smile(p.tau()), context, dimX, dimY, rows);
    }

    @Override
    public Estimator create(PluginParams params, PluginContext context, int dimX, int dimY, Rng init) {
        SmileParams p = params.as(SmileParams.class);
        return Critics.create("smile", p.criticParams(), Objective.smile(p.tau()), context, dimX, dimY, init);
    }
}
