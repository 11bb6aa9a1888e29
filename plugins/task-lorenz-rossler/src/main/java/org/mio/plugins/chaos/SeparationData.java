package org.mio.plugins.chaos;

import org.apache.commons.math3.ode.FirstOrderDifferentialEquations;
import org.mio.api.plugin.Rng;

/**
 * The data set of the separation task as a pure function: sequence {@code i} of file {@code f}
 * is a Lorenz and a Rössler trajectory from U(0, 1)³ initial conditions drawn from the stream
 * {@code (dataSeed, f, i)}, each integrated over its span, sampled, min-max scaled per variable
 * over all samples and cut after the first {@code drop} samples (METHOD.md §3b). Nothing is
 * stored: the same parameters give the same numbers on any machine. Thread-safe.
 */
final class SeparationData {
    private final LorenzRosslerParams p;
    private final FirstOrderDifferentialEquations lorenz;
    private final FirstOrderDifferentialEquations rossler;

    SeparationData(LorenzRosslerParams p) {
        this.p = p;
        this.lorenz = Trajectories.lorenz(p.sigma(), p.rho(), p.beta());
        this.rossler = Trajectories.rossler(p.a(), p.b(), p.c());
    }

    /**
     * One sequence before scaling.
     *
     * @param lorenz0 the Lorenz initial condition
     * @param rossler0 the Rössler initial condition
     * @param lorenz {@code [samples][3]}, as integrated
     * @param rossler {@code [samples][3]}, as integrated
     */
    record Raw(double[] lorenz0, double[] rossler0, double[][] lorenz, double[][] rossler) {}

    /** The initial conditions and trajectories of sequence {@code index} of {@code file}, unscaled. */
    Raw raw(int file, int index) {
        Rng r = Rng.derive(
                p.dataSeed(), "lorenz-rossler", "file", Integer.toString(file), "sequence", Integer.toString(index));
        double[] l0 = uniform3(r.split("lorenz"));
        double[] r0 = uniform3(r.split("rossler"));
        double[][] l = Trajectories.sample(lorenz, l0, p.lorenzEnd(), p.samples(), p.rtol(), p.atol());
        double[][] s = Trajectories.sample(rossler, r0, p.rosslerEnd(), p.samples(), p.rtol(), p.atol());
        return new Raw(l0, r0, l, s);
    }

    /**
     * Sequence {@code index} of {@code file}, scaled and cut, into {@code lorenzOut} and
     * {@code rosslerOut} at {@code offset}: {@code length × 3} values each, time-major.
     *
     * @return the sequence before scaling, as {@link #raw} gives it
     */
    Raw sequence(int file, int index, double[] lorenzOut, double[] rosslerOut, int offset) {
        Raw raw = raw(file, index);
        copyScaled(raw.lorenz(), lorenzOut, offset);
        copyScaled(raw.rossler(), rosslerOut, offset);
        return raw;
    }

    /** Scales a copy of {@code trajectory}, so the raw one stays as integrated. */
    private void copyScaled(double[][] trajectory, double[] out, int offset) {
        double[][] y = new double[trajectory.length][];
        for (int t = 0; t < y.length; t++) {
            y[t] = trajectory[t].clone();
        }
        Trajectories.normalize(y);
        int o = offset;
        for (int t = p.drop(); t < y.length; t++) {
            for (int k = 0; k < 3; k++) {
                out[o++] = y[t][k];
            }
        }
    }

    private static double[] uniform3(Rng r) {
        return new double[] {r.nextDouble(), r.nextDouble(), r.nextDouble()};
    }
}
