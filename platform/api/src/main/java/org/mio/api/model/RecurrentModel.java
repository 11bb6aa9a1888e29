package org.mio.api.model;

import org.mio.api.plugin.Footprint;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A model plugin: a stateless factory registered with the property {@link #KIND}, e.g.
 * {@code @Component @ModelKind("leaky-rnn")}. Thread-safe.
 */
@ConsumerType
public interface RecurrentModel {

    /** Service property (String): the kind experiments name this model by, e.g. {@code leaky-rnn}. */
    String KIND = "mio.model.kind";

    /**
     * Creates and initializes the network of one run.
     *
     * @param params the {@code model.params} of the experiment
     * @param context data type, threads and cache folder of the run
     * @param inputSize input channels, from the task
     * @param outputSize output channels, from the task
     * @param init the stream for weight initialization (nothing else may draw from it)
     * @throws org.mio.api.plugin.ConfigException if a parameter is invalid
     */
    Network create(PluginParams params, PluginContext context, int inputSize, int outputSize, Rng init);

    /**
     * The memory the network of {@link #create} will hold at its peak (weights, what a forward
     * pass with {@code keepForBackward} keeps, the gradients of a backward pass), estimated from
     * the parameters without allocating, so that the platform can refuse sizes that cannot fit
     * before it creates anything. {@link Footprint#NONE} by default.
     *
     * @param params the {@code model.params} of the experiment
     * @param context data type, threads and cache folder of the run
     * @param inputSize input channels, from the task
     * @param outputSize output channels, from the task
     * @param batchSize sequences per batch
     * @param steps time steps per sequence (the task's; 0 if it does not say)
     * @throws org.mio.api.plugin.ConfigException if a parameter is invalid
     */
    default Footprint footprint(
            PluginParams params, PluginContext context, int inputSize, int outputSize, int batchSize, long steps) {
        return Footprint.NONE;
    }
}
