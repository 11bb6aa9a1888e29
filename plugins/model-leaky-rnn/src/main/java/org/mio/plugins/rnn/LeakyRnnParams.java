package org.mio.plugins.rnn;

/**
 * Parameters of the leaky RNN (METHOD.md §1); {@code null} means the reference value.
 *
 * @param hidden N, hidden units (default 40; gp_wm.py:12)
 * @param alpha α = dt/τ in (0, 1] (default 0.1; gp_wm.py:15)
 * @param noise σ, std of the internal noise added each step, not scaled by α (default 0.1)
 * @param groupSplit G1 = units [0, groupSplit), G2 = [groupSplit, N) (default N/2)
 * @param recurrentScale g: W_rec ~ Normal(0, (g/√N)²) (default 1.0)
 * @param l2Input c·‖W_in‖² (Keras l2, no ½; default 0.01)
 * @param l2Recurrent c·‖W_rec‖² (default 0.01)
 * @param l2Output c·‖W_out‖² (default 0.01)
 */
public record LeakyRnnParams(
        Integer hidden,
        Double alpha,
        Double noise,
        Integer groupSplit,
        Double recurrentScale,
        Double l2Input,
        Double l2Recurrent,
        Double l2Output) {

    /** Applies defaults and checks ranges. */
    public LeakyRnnParams {
        hidden = hidden == null ? 40 : hidden;
        alpha = alpha == null ? 0.1 : alpha;
        noise = noise == null ? 0.1 : noise;
        groupSplit = groupSplit == null ? hidden / 2 : groupSplit;
        recurrentScale = recurrentScale == null ? 1.0 : recurrentScale;
        l2Input = l2Input == null ? 0.01 : l2Input;
        l2Recurrent = l2Recurrent == null ? 0.01 : l2Recurrent;
        l2Output = l2Output == null ? 0.01 : l2Output;
        if (hidden < 2) {
            throw new IllegalArgumentException("hidden must be ≥ 2, found " + hidden);
        }
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1], found " + alpha);
        }
        if (!(noise >= 0) || noise.isInfinite()) {
            throw new IllegalArgumentException("noise must be a finite number ≥ 0, found " + noise);
        }
        if (groupSplit < 1 || groupSplit >= hidden) {
            throw new IllegalArgumentException("groupSplit must be in [1, " + (hidden - 1) + "], found " + groupSplit);
        }
        if (!(recurrentScale >= 0)) {
            throw new IllegalArgumentException("recurrentScale must be ≥ 0, found " + recurrentScale);
        }
        for (double c : new double[] {l2Input, l2Recurrent, l2Output}) {
            if (!(c >= 0)) {
                throw new IllegalArgumentException("l2Input, l2Recurrent and l2Output must be ≥ 0, found " + c);
            }
        }
    }
}
