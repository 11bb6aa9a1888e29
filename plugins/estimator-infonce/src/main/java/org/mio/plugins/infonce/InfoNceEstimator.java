package org.mio.plugins.infonce;

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
 * InfoNCE (van den Oord et al. 2018; Poole et al. 2019): the used rows are cut into random batches
 * of {@code batch}, every pair of a batch is scored by the separable critic f(x)·g(y), and Î =
 * mean_i [T(x_i, y_i) − log mean_j exp T(x_i, y_j)]. Low variance, but biased low once the MI
 * nears log(batch), which it cannot exceed. Parameters in {@link InfoNceParams}.
 */
@Component
@EstimatorKind("infonce")
public final class InfoNceEstimator implements MIEstimator {

    /** @param numerics ND4J must be ready before estimators are made */
    @Activate
    public InfoNceEstimator(@Reference Numerics numerics) {
        // nothing to keep: the reference only orders activation after ND4J's initialization
    }

    @Override
    public Footprint footprint(PluginParams params, PluginContext context, int dimX, int dimY, long rows) {
        InfoNceParams p = params.as(InfoNceParams.class);
        return Critics.footprint(p.criticParams(), Objective.infoNce(p.batch()), context, dimX, dimY, rows);
    }

    @Override
    public Estimator create(PluginParams params, PluginContext context, int dimX, int dimY, Rng init) {
        InfoNceParams p = params.as(InfoNceParams.class);
        return Critics.create("infonce", p.criticParams(), Objective.infoNce(p.batch()), context, dimX, dimY, init);
    }
}
