package org.mio.plugins.analysis;

import java.util.List;
import java.util.Map;
import org.mio.api.plugin.ConfigException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reading named weight matrices of a snapshot. */
final class Weights {
    private Weights() {}

    static double[][] matrix(Map<String, INDArray> params, String name) {
        INDArray w = params.get(name);
        if (w == null || w.rank() != 2) {
            throw new ConfigException(
                    "analysis: the model has no 2-D parameter '" + name + "'; it has " + params.keySet());
        }
        return w.castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    /** a_i = Σ_{r ∈ rows} |W[r][i]| (input side, W is [channels, N]). */
    static double[] inputStrength(double[][] w, List<Integer> rows) {
        double[] a = new double[w[0].length];
        for (int r : rows) {
            for (int i = 0; i < a.length; i++) {
                a[i] += Math.abs(w[r][i]);
            }
        }
        return a;
    }

    /** a_i = Σ_{c ∈ cols} |W[i][c]| (output side, W is [N, outputs]). */
    static double[] outputStrength(double[][] w, List<Integer> cols) {
        double[] a = new double[w.length];
        for (int i = 0; i < a.length; i++) {
            for (int c : cols) {
                a[i] += Math.abs(w[i][c]);
            }
        }
        return a;
    }

    /**
     * Checks that the groups of {@code analysis[].params.<field>} name existing indices, before an
     * index beyond the matrix becomes an ArrayIndexOutOfBoundsException deep in a snapshot.
     *
     * @param size how many there are, e.g. the rows of the input weights
     * @param what what they are, e.g. "input channels of W_in"
     */
    static void checkIndices(String field, List<List<Integer>> groups, int size, String what) {
        for (List<Integer> g : groups) {
            for (int i : g) {
                if (i < 0 || i >= size) {
                    throw new ConfigException("analysis: " + field + " = " + groups + " names index " + i
                            + ", but there are " + size + " " + what + " (indices 0.." + (size - 1)
                            + "); set " + field + " in the analyzer's params");
                }
            }
        }
    }

    static void checkPair(String name, List<List<Integer>> groups) {
        if (groups == null
                || groups.size() != 2
                || groups.get(0).isEmpty()
                || groups.get(1).isEmpty()) {
            throw new IllegalArgumentException(name + " must be two non-empty lists of indices, found " + groups);
        }
    }
}
