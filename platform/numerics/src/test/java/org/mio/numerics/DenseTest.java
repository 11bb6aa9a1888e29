package org.mio.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DenseTest {

    /** Every x of a fine grid over [−40, 40] plus the extremes and the clamp's neighbourhood. */
    private static double[] grid() {
        int n = 800_001;
        double[] x = new double[n + 6];
        for (int i = 0; i < n; i++) {
            x[i] = -40 + 80.0 * i / (n - 1);
        }
        double[] extra = {1e-300, -1e-12, 9.999999, 10.000001, -1e6, Double.MAX_VALUE};
        System.arraycopy(extra, 0, x, n, extra.length);
        return x;
    }

    @Test
    void approximateTanhIsWithinTwoHundredthsOfAMicroOfTheExactOne() {
        double[] x = grid();
        double[] v = x.clone();
        Dense.tanh(v, 0, v.length, true);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(v[i] - Math.tanh(x[i])));
            // odd, and never outside [−1, 1]
            assertTrue(Math.abs(v[i]) <= 1, "|tanh| ≤ 1 at " + x[i]);
        }
        assertTrue(worst < 2.5e-8, "largest error " + worst);
        assertTrue(worst > 1e-9, "an approximation, not the exact function: " + worst);
        double[] odd = {-0.7, 0.7};
        Dense.tanh(odd, 0, 2, true);
        assertEquals(-odd[0], odd[1], 0);
    }

    @Test
    void approximateSigmoidIsWithinAHundredthOfAMicroAndOnlyTheRangeChanges() {
        double[] x = grid();
        double[] v = x.clone();
        v[0] = 123; // outside the range: untouched
        Dense.sigmoid(v, 1, v.length, true);
        assertEquals(123, v[0]);
        double worst = 0;
        for (int i = 1; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(v[i] - 1 / (1 + Math.exp(-x[i]))));
            assertTrue(v[i] >= 0 && v[i] <= 1, "σ in [0, 1] at " + x[i]);
        }
        assertTrue(worst < 1.25e-8, "largest error " + worst);
    }

    @Test
    void float32Expm1OfNonPositiveArgumentsIsWithinAFewFloatUlps() {
        double worst = 0;
        double worstRelativeNearZero = 0;
        for (double x : grid()) {
            float xf = (float) x;
            if (xf > 0) {
                continue;
            }
            float v = Dense.expm1NonPositive(xf);
            worst = Math.max(worst, Math.abs(v - Math.expm1(xf)));
            if (xf > -1e-3f && xf < 0) {
                worstRelativeNearZero = Math.max(worstRelativeNearZero, Math.abs(v / Math.expm1(xf) - 1));
            }
            assertTrue(v >= -1 && v <= 0, "expm1 in [−1, 0] at " + x);
        }
        assertTrue(worst < 3e-7, "largest error " + worst);
        // near 0 the error is relative, as elu's small negative outputs need
        assertTrue(worstRelativeNearZero < 1e-6, "largest relative error near 0: " + worstRelativeNearZero);
        assertEquals(0f, Dense.expm1NonPositive(0f), 0);
        assertEquals(-1e-12, Dense.expm1NonPositive(-1e-12f), 1e-18);
    }

    @Test
    void exactPathsAreTheScalarFunctions() {
        double[] x = {-30, -2.5, -1e-4, 0, 3e-4, 0.8, 19.5, 25};
        double[] t = x.clone();
        double[] s = x.clone();
        Dense.tanh(t, 0, x.length, false);
        Dense.sigmoid(s, 0, x.length, false);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Math.tanh(x[i]), t[i], 4e-16);
            assertEquals(1 / (1 + Math.exp(-x[i])), s[i], 0);
        }
    }
}
