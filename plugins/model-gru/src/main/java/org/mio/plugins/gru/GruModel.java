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
     * arrays, the trajectory a forward pass keeps (the state and the three gates with the
     * recurrent candidate term: 5 values per unit and step), the lanes' chunk buffers (input
     * projections forward; gate gradients, h_{t−1} and ∂L/∂h backward: 8 values per unit for
     * {@link GruNetwork#CHUNK} steps of every sequence) and the outputs.
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
                Footprint.nd4j("trajectory kept for backpropagation", null, null, t, 5, rows, n),
                Footprint.nd4j(
                        "chunk buffers of the lanes",
                        null,
                        null,
                        t,
                        8,
                        batchSize,
                        Math.min(steps, GruNetwork.CHUNK),
                        n),
                Footprint.nd4j("outputs", null, null, t, 2, rows, outputSize));
    }

    @Override
    public Network create(PluginParams params, PluginContext context, int inputSize, int outputSize, Rng init) {
        return new GruNetwork(
                params.as(GruParams.class), context.dataType(), context.threads(), inputSize, outputSize, init);
    }
}
