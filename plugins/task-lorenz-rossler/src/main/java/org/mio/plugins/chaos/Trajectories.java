package org.mio.plugins.chaos;

import org.apache.commons.math3.ode.FirstOrderDifferentialEquations;
import org.apache.commons.math3.ode.FirstOrderIntegrator;
import org.apache.commons.math3.ode.nonstiff.DormandPrince54Integrator;
import org.apache.commons.math3.ode.sampling.StepHandler;
import org.apache.commons.math3.ode.sampling.StepInterpolator;

/**
 * The two chaotic systems of the separation task and their sampled, normalized trajectories
 * (METHOD.md §3b; the reference's {@code chaos.py:26-47, 112-140}).
 */
final class Trajectories {
    private Trajectories() {}

    /** Lorenz: dx = σ(y − x), dy = x(ρ − z) − y, dz = xy − βz. */
    static FirstOrderDifferentialEquations lorenz(double sigma, double rho, double beta) {
        return new System3() {
            @Override
            public void computeDerivatives(double t, double[] y, double[] dy) {
                dy[0] = sigma * (y[1] - y[0]);
                dy[1] = y[0] * (rho - y[2]) - y[1];
                dy[2] = y[0] * y[1] - beta * y[2];
            }
        };
    }

    /** Rössler: dx = −y − z, dy = x + a·y, dz = b + x·z − c·z. */
    static FirstOrderDifferentialEquations rossler(double a, double b, double c) {
        return new System3() {
            @Override
            public void computeDerivatives(double t, double[] y, double[] dy) {
                dy[0] = -y[1] - y[2];
                dy[1] = y[0] + a * y[1];
                dy[2] = b + y[0] * y[2] - c * y[2];
            }
        };
    }

    private abstract static class System3 implements FirstOrderDifferentialEquations {
        @Override
        public int getDimension() {
            return 3;
        }
    }

    /**
     * Integrates {@code system} from {@code y0} at t = 0 to {@code tEnd} with the adaptive
     * Dormand–Prince 5(4) pair (scipy's RK45, the reference's integrator) and samples it at
     * {@code samples} equally spaced times {@code linspace(0, tEnd, samples)} from the method's
     * dense output, as {@code solve_ivp(..., t_eval=...)} does.
     *
     * @param rtol relative tolerance (scipy's default 1e-3)
     * @param atol absolute tolerance (scipy's default 1e-6)
     * @return {@code [samples][dimension]}
     */
    static double[][] sample(
            FirstOrderDifferentialEquations system, double[] y0, double tEnd, int samples, double rtol, double atol) {
        return sample(new DormandPrince54Integrator(1e-12 * tEnd, tEnd, atol, rtol), system, y0, tEnd, samples);
    }

    /** As {@link #sample(FirstOrderDifferentialEquations, double[], double, int, double, double)}, any integrator. */
    static double[][] sample(
            FirstOrderIntegrator integrator,
            FirstOrderDifferentialEquations system,
            double[] y0,
            double tEnd,
            int samples) {
        int dim = system.getDimension();
        double[][] out = new double[samples][dim];
        double dt = tEnd / (samples - 1);
        int[] next = {0};
        integrator.addStepHandler(new StepHandler() {
            @Override
            public void init(double t0, double[] y, double t) {}

            @Override
            public void handleStep(StepInterpolator interpolator, boolean isLast) {
                double end = interpolator.getCurrentTime();
                while (next[0] < samples && (next[0] * dt <= end || isLast)) {
                    double t = Math.min(next[0] * dt, end);
                    interpolator.setInterpolatedTime(t);
                    System.arraycopy(interpolator.getInterpolatedState(), 0, out[next[0]], 0, dim);
                    next[0]++;
                }
            }
        });
        double[] y = y0.clone();
        integrator.integrate(system, 0.0, y, tEnd, y);
        if (next[0] != samples) {
            throw new IllegalStateException("the integration gave " + next[0] + " of " + samples + " samples");
        }
        return out;
    }

    /**
     * Min-max scales every variable of a trajectory to [0, 1] over all its samples (the reference
     * scales before it drops the leading samples, chaos.py:46). A constant variable becomes 0.
     */
    static void normalize(double[][] y) {
        int dim = y[0].length;
        for (int k = 0; k < dim; k++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] row : y) {
                min = Math.min(min, row[k]);
                max = Math.max(max, row[k]);
            }
            double range = max - min;
            for (double[] row : y) {
                row[k] = range > 0 ? (row[k] - min) / range : 0.0;
            }
        }
    }
}
