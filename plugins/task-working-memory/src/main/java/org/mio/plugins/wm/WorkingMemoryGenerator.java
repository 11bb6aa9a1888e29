package org.mio.plugins.wm;

import java.util.random.RandomGenerator;

/**
 * The sequence generator of METHOD.md §3a (reference: wm/tasks.py:295-338), one sequence at a
 * time on plain arrays. Channel {@code 2m} is ON_m and {@code 2m+1} is OFF_m.
 */
final class WorkingMemoryGenerator {
    private final WorkingMemoryParams p;

    WorkingMemoryGenerator(WorkingMemoryParams p) {
        this.p = p;
    }

    /**
     * Bernoulli onsets {@code [T+2][2n]} drawn in time-major, channel-minor order (reference:
     * onsets for t = 0..T+1).
     */
    boolean[][] onsets(RandomGenerator rng) {
        int total = p.totalSteps();
        int channels = 2 * p.bits();
        boolean[][] on = new boolean[total + 2][channels];
        double prob = p.onsetProbability();
        for (int t = 0; t < total + 2; t++) {
            for (int c = 0; c < channels; c++) {
                on[t][c] = rng.nextDouble() < prob;
            }
        }
        return on;
    }

    /**
     * Inputs {@code [T][2n]} and targets {@code [T][n]} of one sequence from its onsets.
     *
     * <ol>
     *   <li>input[t][c] = amplitude for t ∈ [s, s+width) of every onset s on c (pulses merge);</li>
     *   <li>state[0][m] = +1 if ON_m has an onset at 0 else −1; then ON wins over OFF on a tie and
     *       the state holds otherwise;</li>
     *   <li>signal[0] = 0, signal[t] = clip(signal[t−1] + slope·state[t], −1, 1);</li>
     *   <li>target[t] = signal[t+1]: one step of look-ahead (tasks.py:337).</li>
     * </ol>
     */
    void sequence(boolean[][] onsets, float[][] input, float[][] target) {
        int total = p.totalSteps();
        int channels = 2 * p.bits();
        int width = p.pulseWidth();
        float amp = (float) (double) p.amplitude();
        for (int s = 0; s < onsets.length; s++) {
            for (int c = 0; c < channels; c++) {
                if (onsets[s][c]) {
                    for (int t = s; t < Math.min(s + width, total); t++) {
                        input[t][c] = amp;
                    }
                }
            }
        }
        double slope = p.rampSlope();
        for (int m = 0; m < p.bits(); m++) {
            int state = onsets[0][2 * m] ? 1 : -1;
            double signal = 0;
            for (int t = 1; t <= total; t++) {
                if (onsets[t][2 * m]) {
                    state = 1;
                } else if (onsets[t][2 * m + 1]) {
                    state = -1;
                }
                signal = Math.max(-1, Math.min(1, signal + slope * state));
                target[t - 1][m] = (float) signal;
            }
        }
    }
}
