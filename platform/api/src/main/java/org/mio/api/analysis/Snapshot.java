package org.mio.api.analysis;

import java.util.Map;
import org.mio.api.model.Trajectory;
import org.mio.api.model.UnitGroups;
import org.mio.api.task.TaskBatch;

/**
 * The state of a run at one snapshot epoch. Everything is read-only.
 *
 * @param epoch the epoch (0 = after estimator pre-training, before any model update)
 * @param parameters the network's parameters by name (e.g. {@code W_in [in, N]},
 *     {@code W_rec [N, N]}, {@code W_out [N, out]})
 * @param groups the two unit groups
 * @param batch a fresh evaluation batch
 * @param trajectory the network run over the learning segment of {@code batch}, internal
 *     noise on, from a state after the transient
 */
public record Snapshot(
        int epoch,
        Map<String, org.nd4j.linalg.api.ndarray.INDArray> parameters,
        UnitGroups groups,
        TaskBatch batch,
        Trajectory trajectory) {

    /** Wraps {@code parameters} read-only. */
    public Snapshot {
        parameters = Map.copyOf(parameters);
    }
}
