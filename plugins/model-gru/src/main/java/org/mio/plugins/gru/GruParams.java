package org.mio.plugins.gru;

/**
 * Parameters of the GRU (METHOD.md §2); {@code null} means the reference value.
 *
 * @param hidden N, hidden units (default 100; separation/model.py:7-22)
 * @param groupSplit G1 = units [0, groupSplit), G2 = [groupSplit, N) (default N/2; gru_training.py:111-112)
 * @param l2Input c·‖W‖² on the input kernel (Keras l2, no ½; default 1e-5, run_multipule_trials.py:31)
 * @param l2Recurrent c·‖U‖² on the recurrent kernel (default 1e-5)
 * @param l2Output c·‖W_o‖² on the readout (default 1e-5, run_multipule_trials.py:32)
 */
public record GruParams(Integer hidden, Integer groupSplit, Double l2Input, Double l2Recurrent, Double l2Output) {

    /** Applies defaults and checks ranges. */
    public GruParams {
        hidden = hidden == null ? 100 : hidden;
        if (hidden < 2) {
            throw new IllegalArgumentException("hidden must be ≥ 2, found " + hidden);
        }
        groupSplit = groupSplit == null ? hidden / 2 : groupSplit;
        if (groupSplit < 1 || groupSplit >= hidden) {
            throw new IllegalArgumentException("groupSplit must be in [1, " + (hidden - 1) + "], found " + groupSplit);
        }
        l2Input = l2("l2Input", l2Input);
        l2Recurrent = l2("l2Recurrent", l2Recurrent);
        l2Output = l2("l2Output", l2Output);
    }

    private static double l2(String name, Double v) {
        double x = v == null ? 1e-5 : v;
        if (!(x >= 0) || Double.isInfinite(x)) {
            throw new IllegalArgumentException(name + " must be a finite number ≥ 0, found " + x);
        }
        return x;
    }
}
