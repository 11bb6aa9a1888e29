package org.mio.plugins.chaos;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * One sequence as it enters a batch: inputs L + R ({@code [length·3]}) and targets [L, R]
 * ({@code [length·6]}), time-major, in float32 for float32 runs (each value rounded once from the
 * float64 it is computed in, as a float64 array cast to float32 is) and in float64 otherwise.
 * Exactly one of the two pairs is set.
 */
record Sequence(float[] inputs32, float[] targets32, double[] inputs64, double[] targets64) {

    /** From the scaled trajectories, {@code [length·3]} each. */
    static Sequence of(double[] lorenz, double[] rossler, DataType type) {
        int len = lorenz.length / 3;
        double[] in = new double[len * 3];
        double[] out = new double[len * 6];
        for (int r = 0; r < len; r++) {
            for (int d = 0; d < 3; d++) {
                double l = lorenz[r * 3 + d];
                double s = rossler[r * 3 + d];
                in[r * 3 + d] = l + s;
                out[r * 6 + d] = l;
                out[r * 6 + 3 + d] = s;
            }
        }
        if (type != DataType.FLOAT) {
            return new Sequence(null, null, in, out);
        }
        return new Sequence(toFloat(in), toFloat(out), null, null);
    }

    /** Heap bytes of one sequence of {@code length} steps. */
    static long bytes(int length, DataType type) {
        return 9L * length * (type == DataType.FLOAT ? 4 : 8) + 64;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
