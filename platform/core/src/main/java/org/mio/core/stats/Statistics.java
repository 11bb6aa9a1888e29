package org.mio.core.stats;

import java.util.Arrays;
import org.mio.api.plugin.Rng;

/**
 * The multi-trial statistics of METHOD.md §6a.7–8 and their tests: onsets of a metric over
 * training, the exact sign test for paired onsets, and bootstrap intervals for differences of
 * means between conditions.
 */
public final class Statistics {
    private Statistics() {}

    /**
     * t₅₀(M): the first snapshot epoch at which M has covered half of its rise from its first
     * value (epoch 0) to its final value, i.e. M ≥ M₀ + ½(M_final − M₀) (this project's definition,
     * METHOD.md §6a.8; measuring from M₀ keeps a metric that starts high from scoring onset 0).
     * {@code NaN} when M does not rise ({@code M_final ≤ M₀}) or a value is not finite.
     *
     * @param epochs snapshot epochs, ascending, the first being the reference (normally 0)
     * @param values M at those epochs
     */
    public static double onset50(int[] epochs, double[] values) {
        if (epochs.length != values.length || epochs.length == 0) {
            throw new IllegalArgumentException("onset50 needs as many values as epochs, at least one");
        }
        double first = values[0];
        double last = values[values.length - 1];
        if (!Double.isFinite(first) || !Double.isFinite(last) || !(last > first)) {
            return Double.NaN;
        }
        double half = first + 0.5 * (last - first);
        for (int i = 1; i < values.length; i++) {
            if (values[i] >= half) {
                return epochs[i];
            }
        }
        return epochs[epochs.length - 1];
    }

    /**
     * Result of a paired sign test.
     *
     * @param positive pairs with a &lt; b (e.g. the functional onset first)
     * @param negative pairs with a &gt; b
     * @param ties pairs with a = b or undefined, left out
     * @param pValue exact two-sided binomial p-value under P(a &lt; b) = ½
     */
    public record SignTest(int positive, int negative, int ties, double pValue) {}

    /** The exact two-sided sign test of {@code a[i] < b[i]} over pairs; NaN pairs count as ties. */
    public static SignTest signTest(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("signTest needs paired samples, found " + a.length + " and " + b.length);
        }
        int pos = 0;
        int neg = 0;
        int ties = 0;
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(a[i]) || Double.isNaN(b[i]) || a[i] == b[i]) {
                ties++;
            } else if (a[i] < b[i]) {
                pos++;
            } else {
                neg++;
            }
        }
        int n = pos + neg;
        if (n == 0) {
            return new SignTest(0, 0, ties, 1.0);
        }
        int k = Math.min(pos, neg);
        double tail = 0;
        for (int j = 0; j <= k; j++) {
            tail += Math.exp(logChoose(n, j) - n * Math.log(2));
        }
        return new SignTest(pos, neg, ties, Math.min(1.0, 2 * tail));
    }

    /**
     * A percentile bootstrap interval.
     *
     * @param estimate the statistic on the samples themselves
     * @param low lower bound
     * @param high upper bound
     */
    public record Interval(double estimate, double low, double high) {}

    /**
     * mean(a) − mean(b) with a percentile bootstrap interval: each sample is resampled with
     * replacement {@code resamples} times from {@code rng}; NaN entries are left out.
     *
     * @param level e.g. 0.95
     */
    public static Interval bootstrapMeanDifference(double[] a, double[] b, int resamples, double level, Rng rng) {
        double[] x = finite(a);
        double[] y = finite(b);
        if (x.length == 0 || y.length == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        double[] d = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            d[r] = resampledMean(x, rng) - resampledMean(y, rng);
        }
        Arrays.sort(d);
        double alpha = (1 - level) / 2;
        return new Interval(mean(x) - mean(y), quantile(d, alpha), quantile(d, 1 - alpha));
    }

    /** Mean of the finite entries (NaN if none). */
    public static double mean(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                s += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** Sample standard deviation of the finite entries (NaN if fewer than two). */
    public static double sd(double[] v) {
        double m = mean(v);
        double s = 0;
        int n = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                s += (x - m) * (x - m);
                n++;
            }
        }
        return n < 2 ? Double.NaN : Math.sqrt(s / (n - 1));
    }

    /** Median of the finite entries (NaN if none). */
    public static double median(double[] v) {
        double[] f = finite(v);
        if (f.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(f);
        return f.length % 2 == 1 ? f[f.length / 2] : (f[f.length / 2 - 1] + f[f.length / 2]) / 2;
    }

    /** Linear-interpolation quantile (type 7) of sorted values. */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double resampledMean(double[] v, Rng rng) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += v[rng.nextInt(v.length)];
        }
        return s / v.length;
    }

    private static double[] finite(double[] v) {
        return Arrays.stream(v).filter(x -> !Double.isNaN(x)).toArray();
    }

    private static double logChoose(int n, int k) {
        double s = 0;
        for (int i = 1; i <= k; i++) {
            s += Math.log(n - k + i) - Math.log(i);
        }
        return s;
    }
}
