package org.mio.numerics;

/**
 * The modularity and separation measures of METHOD.md §6a–b on plain arrays, shared by the
 * analyzers: Newman's weighted modularity of a fixed two-group partition, the separation index D,
 * and Pearson correlations. Groups are index arrays (e.g. {@code UnitGroups.group1()}); units in
 * neither group count for the degrees but not as a community. Thread-safe (no state).
 */
public final class Modularity {
    private Modularity() {}

    /**
     * Newman's weighted modularity of a fixed two-group partition, and its maximum for the same
     * degrees.
     *
     * @param q the modularity
     * @param qMax its maximum over partitions with these group sizes' within-group degree products
     */
    public record Q(double q, double qMax) {
        /** Q / Q_max (0 when Q_max is 0). */
        public double normalized() {
            return qMax == 0 ? 0 : q / qMax;
        }
    }

    /**
     * Q of the graph A = |M| with zero diagonal, symmetrized as A + Aᵀ (wm_analysis_essence.py:
     * 862-865, 967-981): k_i = Σ_j A_ij, 2m = Σ A, Q = (1/2m)·Σ_{ij same group}(A_ij − k_i k_j/2m),
     * Q_max = 1 − (1/2m)·Σ_{ij same group} k_i k_j/2m.
     */
    public static Q newman(double[][] m, int[] group1, int[] group2) {
        int n = m.length;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    a[i][j] = Math.abs(m[i][j]) + Math.abs(m[j][i]);
                }
            }
        }
        double[] k = new double[n];
        double twoM = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                k[i] += a[i][j];
            }
            twoM += k[i];
        }
        if (twoM == 0) {
            return new Q(0, 0);
        }
        int[] g = new int[n];
        for (int i : group1) {
            g[i] = 1;
        }
        for (int i : group2) {
            g[i] = 2;
        }
        double within = 0;
        double expected = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (g[i] != 0 && g[i] == g[j]) {
                    within += a[i][j];
                    expected += k[i] * k[j] / twoM;
                }
            }
        }
        return new Q((within - expected) / twoM, 1 - expected / twoM);
    }

    /**
     * Separation index D = |Σ_{G1} d_i − Σ_{G2} d_i| / Σ_i (a1_i + a2_i) with d = a2 − a1, in [0, 1]
     * (wm_analysis_essence.py:888-928).
     */
    public static double separation(double[] a1, double[] a2, int[] group1, int[] group2) {
        double s1 = 0;
        double s2 = 0;
        double total = 0;
        for (int i : group1) {
            s1 += a2[i] - a1[i];
        }
        for (int i : group2) {
            s2 += a2[i] - a1[i];
        }
        for (int i = 0; i < a1.length; i++) {
            total += a1[i] + a2[i];
        }
        return total == 0 ? 0 : Math.abs(s1 - s2) / total;
    }

    /** Pearson correlation of two vectors (0 if either is constant). */
    public static double pearson(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double a = x[i] - mx;
            double b = y[i] - my;
            sxy += a * b;
            sxx += a * a;
            syy += b * b;
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }

    /**
     * Pearson correlations between the columns of {@code a [S, p]} and of {@code b [S, q]}, as
     * {@code [p][q]}, in one pass over the rows.
     */
    public static double[][] correlations(double[] a, int p, double[] b, int q, int rows) {
        double[] ma = new double[p];
        double[] mb = new double[q];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < p; i++) {
                ma[i] += a[r * p + i];
            }
            for (int j = 0; j < q; j++) {
                mb[j] += b[r * q + j];
            }
        }
        for (int i = 0; i < p; i++) {
            ma[i] /= rows;
        }
        for (int j = 0; j < q; j++) {
            mb[j] /= rows;
        }
        double[][] sab = new double[p][q];
        double[] saa = new double[p];
        double[] sbb = new double[q];
        double[] da = new double[p];
        double[] db = new double[q];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < p; i++) {
                da[i] = a[r * p + i] - ma[i];
                saa[i] += da[i] * da[i];
            }
            for (int j = 0; j < q; j++) {
                db[j] = b[r * q + j] - mb[j];
                sbb[j] += db[j] * db[j];
            }
            for (int i = 0; i < p; i++) {
                double x = da[i];
                double[] row = sab[i];
                for (int j = 0; j < q; j++) {
                    row[j] += x * db[j];
                }
            }
        }
        double[][] c = new double[p][q];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < q; j++) {
                c[i][j] = saa[i] == 0 || sbb[j] == 0 ? 0 : sab[i][j] / Math.sqrt(saa[i] * sbb[j]);
            }
        }
        return c;
    }
}
