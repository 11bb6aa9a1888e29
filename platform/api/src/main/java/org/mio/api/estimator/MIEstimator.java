package org.mio.api.estimator;

import org.mio.api.plugin.Footprint;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An estimator plugin: a stateless factory registered with the property {@link #KIND}, e.g.
 * {@code @Component @EstimatorKind("mine")}. Thread-safe.
 */
@ConsumerType
public interface MIEstimator {

    /** Service property (String): the kind experiments name this estimator by, e.g. {@code mine}. */
    String KIND = "mio.estimator.kind";

    /**
     * Creates the estimator of one run for inputs {@code X [S, dimX]} and {@code Y [S, dimY]}.
     *
     * @param params the {@code estimator.params} of the experiment
     * @param context data type, threads and cache folder of the run
     * @param dimX columns of X (size of group 1)
     * @param dimY columns of Y (size of group 2)
     * @param init the stream for parameter initialization
     * @throws org.mio.api.plugin.ConfigException if a parameter is invalid
     */
    Estimator create(PluginParams params, PluginContext context, int dimX, int dimY, Rng init);

    /**
     * The memory the estimator of {@link #create} will hold at its peak in one call on
     * {@code rows} samples (its parameters and optimizer state, the activations and gradients of
     * the rows it uses), estimated from the parameters without allocating. {@link Footprint#NONE}
     * by default.
     *
     * @param params the {@code estimator.params} of the experiment
     * @param context data type, threads and cache folder of the run
     * @param dimX columns of X
     * @param dimY columns of Y
     * @param rows S, the rows of X and Y the platform passes (before the estimator's own
     *     subsampling)
     * @throws org.mio.api.plugin.ConfigException if a parameter is invalid
     */
    default Footprint footprint(PluginParams params, PluginContext context, int dimX, int dimY, long rows) {
        return Footprint.NONE;
    }
}
