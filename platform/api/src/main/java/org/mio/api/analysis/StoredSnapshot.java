package org.mio.api.analysis;

import java.util.Map;
import org.mio.api.model.UnitGroups;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A snapshot as stored in a run folder, read back to draw figures without re-running anything.
 *
 * @param epoch the snapshot epoch
 * @param parameters the network's parameters at that epoch, by name
 * @param groups the two unit groups
 * @param scalars every analyzer's scalars at that epoch
 * @param arrays every analyzer's arrays at that epoch, by the names analyzers gave them
 */
public record StoredSnapshot(
        int epoch,
        Map<String, INDArray> parameters,
        UnitGroups groups,
        Map<String, Double> scalars,
        Map<String, INDArray> arrays) {

    /** Wraps the maps read-only. */
    public StoredSnapshot {
        parameters = Map.copyOf(parameters);
        scalars = Map.copyOf(scalars);
        arrays = Map.copyOf(arrays);
    }
}
