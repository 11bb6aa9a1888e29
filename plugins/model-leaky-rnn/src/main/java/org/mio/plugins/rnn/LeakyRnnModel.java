package org.mio.plugins.rnn;

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

    @Override
    public Network create(PluginParams params, PluginContext context, int inputSize, int outputSize, Rng init) {
        return new LeakyRnnNetwork(params.as(LeakyRnnParams.class), context.dataType(), inputSize, outputSize, init);
    }
}
