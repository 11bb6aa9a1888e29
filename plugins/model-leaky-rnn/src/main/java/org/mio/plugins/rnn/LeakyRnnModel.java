package org.mio.plugins.rnn;

import org.mio.api.annotations.ModelKind;
import org.mio.api.model.Network;
import org.mio.api.model.RecurrentModel;
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
 * The leaky-integrator RNN with internal noise of the working-memory experiment (METHOD.md §1);
 * parameters in {@link LeakyRnnParams}, equations in {@link LeakyRnnNetwork}.
 */
@Component
@ModelKind("leaky-rnn")
public final class LeakyRnnModel implements RecurrentModel {

    /** @param numerics ND4J must be ready before networks are made */
    @Activate
    public LeakyRnnModel(@Reference Numerics numerics) {
        // nothing to keep: the reference only orders activation after ND4J's initialization
    }

    /**
     * Weights (with gradient and Adam's two moments), their initialization's work array, the
     * forward pass (input projections, rates; a double copy of each for the recurrence) and the
     * backward pass (its double work arrays and the gradient of the pre-activations).
     */
    @Override
    public Footprint footprint(
            PluginParams params, PluginContext context, int inputSize, int outputSize, int batchSize, long steps) {
        LeakyRnnParams p = params.as(LeakyRnnParams.class);
        DataType t = context.dataType();
        long n = p.hidden();
        long rows = Footprint.product(batchSize, steps);
        return Footprint.of(
                Footprint.nd4j(
                        "weights with their gradients and optimizer state",
                        "hidden",
                        n,
                        t,
                        4,
                        n + inputSize + outputSize,
                        n),
                Footprint.heap("initialization of the recurrent weights", "hidden", n, 8, 1, n, n),
                Footprint.nd4j("input projections, rates and their gradients", null, null, t, 3, rows, n),
                Footprint.nd4j("double copy of the input projections", null, null, DataType.DOUBLE, 1, rows, n),
                Footprint.heap("states and gradients of the recurrence", null, null, 8, 4, rows, n),
                Footprint.nd4j("outputs", null, null, t, 2, rows, outputSize));
    }

    @Override
    public Network create(PluginParams params, PluginContext context, int inputSize, int outputSize, Rng init) {
        return new LeakyRnnNetwork(params.as(LeakyRnnParams.class), context.dataType(), inputSize, outputSize, init);
    }
}
