package org.mio.api.analysis;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What an analyzer found at one snapshot.
 *
 * @param scalars named numbers, e.g. {@code Q_str, Q_corr, D_in}; tracked over training
 * @param arrays named vectors or matrices, e.g. {@code corr_target [2, N]}; saved as .npy
 */
public record AnalysisResult(Map<String, Double> scalars, Map<String, INDArray> arrays) {

    /** Keeps insertion order, read-only. */
    public AnalysisResult {
        scalars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
        arrays = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
    }
}
