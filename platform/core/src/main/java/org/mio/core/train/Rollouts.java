package org.mio.core.train;

import org.mio.api.model.Network;
import org.mio.api.model.Trajectory;
import org.mio.api.plugin.Rng;
import org.mio.api.task.TaskBatch;
import org.mio.core.config.InitialState;
import org.mio.core.session.Session;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs of the network without gradient that every phase shares: the initial state of a batch and
 * the run over its transient (METHOD.md §5a: the state entering the learning segment).
 */
final class Rollouts {
    private final Session session;

    Rollouts(Session session) {
        this.session = session;
    }

    /** Zeros, or x₀ ~ N(0, 1) drawn from {@code rng}. */
    INDArray initialState(InitialState kind, int batch, Rng rng) {
        Network net = session.network();
        return kind == InitialState.ZEROS
                ? net.zeroState(batch)
                : Tensors.normal(session.context().dataType(), batch, net.stateSize(), rng);
    }

    /** The run over the batch's transient without gradient, or {@code null} if it has none. */
    Trajectory overTransient(TaskBatch batch, INDArray x0, Rng noise) {
        if (batch.transientSteps() == 0) {
            return null;
        }
        INDArray in = Tensors.steps(batch.inputs(), 0, batch.transientSteps());
        return session.network().forward(in, x0, noise, false);
    }

    /** The state at the end of the transient ({@code x0} if there is none). */
    INDArray afterTransient(TaskBatch batch, INDArray x0, Rng noise) {
        Trajectory warm = overTransient(batch, x0, noise);
        if (warm == null) {
            return x0;
        }
        try (warm) {
            return warm.finalState();
        }
    }
}
