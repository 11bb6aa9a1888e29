package org.mio.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.mio.api.plugin.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central-difference gradient checks in float64 (STYLE.md §7).
 *
 * <p>For each checked element θᵢ: numeric = (L(θᵢ+h) − L(θᵢ−h)) / 2h, and the check passes if
 * |numeric − analytic| ≤ absTol + relTol·max(|numeric|, |analytic|). The loss supplier must be
 * deterministic: when the forward pass is noisy, it resets its random stream before every
 * evaluation.
 */
public final class GradientChecker {
    private final double step;
    private final double relTol;
    private final double absTol;
    private final int perTensor;

    /**
     * @param step finite-difference step h (1e-6 suits float64)
     * @param relTol relative tolerance
     * @param absTol absolute floor
     * @param perTensor how many elements to check per tensor (chosen at random; all if smaller)
     */
    public GradientChecker(double step, double relTol, double absTol, int perTensor) {
        this.step = step;
        this.relTol = relTol;
        this.absTol = absTol;
        this.perTensor = perTensor;
    }

    /** Defaults for float64: h = 1e-6, rel 1e-5, abs 1e-8, 30 elements per tensor. */
    public static GradientChecker float64() {
        return new GradientChecker(1e-6, 1e-5, 1e-8, 30);
    }

    /**
     * Checks {@code analytic[name]} against central differences of {@code loss} in every tensor
     * of {@code variables} (perturbed in place and restored).
     *
     * @return the largest relative error seen
     */
    public double check(
            Map<String, INDArray> variables, Map<String, INDArray> analytic, DoubleSupplier loss, Rng pick) {
        double worst = 0;
        for (var e : variables.entrySet()) {
            String name = e.getKey();
            INDArray v = e.getValue();
            INDArray g = analytic.get(name);
            if (g == null) {
                fail("no analytic gradient for " + name);
            }
            if (v.dataType() != DataType.DOUBLE) {
                fail(name + " must be DOUBLE for a gradient check, found " + v.dataType());
            }
            if (!Arrays.equals(v.shape(), g.shape())) {
                fail("gradient of " + name + " has shape " + Arrays.toString(g.shape()) + ", variable "
                        + Arrays.toString(v.shape()));
            }
            INDArray flat = v.reshape(v.length());
            INDArray gflat = g.reshape(g.length());
            int n = (int) v.length();
            int[] idx = n <= perTensor
                    ? java.util.stream.IntStream.range(0, n).toArray()
                    : Arrays.copyOf(pick.permutation(n), perTensor);
            for (int i : idx) {
                double orig = flat.getDouble(i);
                flat.putScalar(i, orig + step);
                double plus = loss.getAsDouble();
                flat.putScalar(i, orig - step);
                double minus = loss.getAsDouble();
                flat.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * step);
                double an = gflat.getDouble(i);
                double err = Math.abs(numeric - an);
                double scale = Math.max(Math.abs(numeric), Math.abs(an));
                if (err > absTol + relTol * scale) {
                    fail(String.format(
                            "gradient of %s[%s]: analytic %.10g, numeric %.10g (abs err %.3g, rel %.3g)",
                            name,
                            Arrays.toString(unravel(i, v.shape())),
                            an,
                            numeric,
                            err,
                            scale == 0 ? 0 : err / scale));
                }
                worst = Math.max(worst, scale == 0 ? 0 : err / scale);
            }
        }
        return worst;
    }

    private static long[] unravel(long i, long[] shape) {
        long[] out = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            out[d] = i % shape[d];
            i /= shape[d];
        }
        return out;
    }
}
