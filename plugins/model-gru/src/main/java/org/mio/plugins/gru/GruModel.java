package org.mio.plugins.gru;

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
 * The GRU of the separation experiment (METHOD.md §2): Keras {@code GRU(reset_after=True)} with a
 * linear readout; parameters in {@link GruParams}, equations in {@link GruNetwork}.
 */
@Component
@ModelKind("gru")
public final class GruModel implements RecurrentModel {

    /** @param numerics ND4J must be ready before networks are made */
    @Activate
    public GruModel(@Reference Numerics numerics) {
        // nothing to keep: the reference only orders activation after ND4J's initialization
    }

    /**
     * Weights (with gradient and Adam's two moments), the orthogonal initialization's work
     * arrays, the trajectory a forward pass keeps (input projections of the three gates, the
     * gates and the state: 8 values per unit and step) and the backward pass's gradients of the
     * projections (6 per unit and step).
     */
    @Override
    public Footprint footprint(
            PluginParams params, PluginContext context, int inputSize, int outputSize, int batchSize, long steps) {
        GruParams p = params.as(GruParams.class);
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
                        3 * n),
                Footprint.heap("orthogonal initialization of the recurrent kernel", "hidden", n, 8, 2, n, 3 * n),
                Footprint.nd4j("trajectory kept for backpropagation", null, null, t, 8, rows, n),
                Footprint.nd4j("gradients of backpropagation", null, null, t, 6, rows, n),
                Footprint.nd4j("outputs", null, null, t, 2, rows, outputSize));
    }

    @Override
    public Network create(PluginParams params, PluginContext context, int inputSize, int outputSize, Rng init) {
        return new GruNetwork(
                params.as(GruParams.class), context.dataType(), context.threads(), inputSize, outputSize, init);
    }
}
