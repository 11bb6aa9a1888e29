package org.mio.plugins.gru;

import org.mio.api.annotations.ModelKind;
import org.mio.api.model.Network;
import org.mio.api.model.RecurrentModel;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.numerics.Numerics;
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

    @Override
    public Network create(PluginParams params, PluginContext context, int inputSize, int outputSize, Rng init) {
        return new GruNetwork(
                params.as(GruParams.class), context.dataType(), context.threads(), inputSize, outputSize, init);
    }
}
