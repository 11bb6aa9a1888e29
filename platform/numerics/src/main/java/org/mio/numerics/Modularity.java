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

    /**
     * Communities found by greedy modularity agglomeration (Clauset, Newman & Moore 2004) of the
     * weighted graph with an edge w_ij = |M_ij| for every pair i &lt; j (no self-loops), merged
     * down to {@code communities} whatever the sign of the last gains: networkx's {@code
     * greedy_modularity_communities(G, weight='weight', cutoff=2, best_n=2)} as the separation
     * reference calls it (separation/utils.py, community_analysis). Each step merges the pair with
     * the largest gain ΔQ = 2·(e_ij − a_i·a_j), e_ij the fraction of the edge weight between them
     * and a_i the fraction of the degree in community i; ties go to the lowest indices.
     *
     * @param m a square matrix; only its upper triangle is read
     * @param communities how many communities to stop at, ≥ 1
     * @return the community of each node, numbered 0, 1, … by their lowest node
     */
    public static int[] greedyCommunities(double[][] m, int communities) {
        int n = m.length;
        if (communities < 1) {
            throw new IllegalArgumentException("communities must be ≥ 1, found " + communities);
        }
        double[][] e = new double[n][n];
        double twoM = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double w = Math.abs(m[i][j]);
                e[i][j] = w;
                e[j][i] = w;
                twoM += 2 * w;
            }
        }
        int[] of = new int[n]; // node -> the community it is in (a surviving node's index)
        for (int i = 0; i < n; i++) {
            of[i] = i;
        }
        if (twoM > 0) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    e[i][j] /= twoM;
                    a[i] += e[i][j];
                }
            }
            boolean[] alive = new boolean[n];
            java.util.Arrays.fill(alive, true);
            for (int left = n; left > communities; left--) {
                int bi = -1;
                int bj = -1;
                double best = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    if (!alive[i]) {
                        continue;
                    }
                    for (int j = i + 1; j < n; j++) {
                        if (alive[j]) {
                            double dq = 2 * (e[i][j] - a[i] * a[j]);
                            if (dq > best) {
                                best = dq;
                                bi = i;
                                bj = j;
                            }
                        }
                    }
                }
                // merge bj into bi
                for (int x = 0; x < n; x++) {
                    if (alive[x] && x != bi && x != bj) {
                        e[bi][x] += e[bj][x];
                        e[x][bi] = e[bi][x];
                    }
                }
                a[bi] += a[bj];
                alive[bj] = false;
                for (int v = 0; v < n; v++) {
                    if (of[v] == bj) {
                        of[v] = bi;
                    }
                }
            }
        } else {
            java.util.Arrays.fill(of, 0); // no edges: no structure to find
        }
        int[] label = new int[n];
        java.util.Map<Integer, Integer> number = new java.util.HashMap<>();
        for (int v = 0; v < n; v++) {
            label[v] = number.computeIfAbsent(of[v], k -> number.size());
        }
        return label;
    }

    /**
     * Normalized mutual information of two labelings of the same items, I(A;B) divided by the
     * arithmetic mean of H(A) and H(B), natural logarithms: scikit-learn's {@code
     * normalized_mutual_info_score} with its default average, as the separation reference scores
     * its communities against the two groups. 1 for identical partitions (whatever the labels),
     * and when both labelings have a single label; 0 when either has a single label otherwise.
     */
    public static double nmi(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("labelings of " + a.length + " and " + b.length + " items");
        }
        int n = a.length;
        java.util.Map<Integer, Integer> ca = new java.util.HashMap<>();
        java.util.Map<Integer, Integer> cb = new java.util.HashMap<>();
        java.util.Map<Long, Integer> joint = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            ca.merge(a[i], 1, Integer::sum);
            cb.merge(b[i], 1, Integer::sum);
            joint.merge(((long) a[i] << 32) ^ (b[i] & 0xffffffffL), 1, Integer::sum);
        }
        if (ca.size() == cb.size() && ca.size() <= 1) {
            return 1.0;
        }
        double mi = 0;
        for (var en : joint.entrySet()) {
            int ai = (int) (en.getKey() >> 32);
            int bi = (int) (long) en.getKey();
            double pij = en.getValue() / (double) n;
            double pi = ca.get(ai) / (double) n;
            double pj = cb.get(bi) / (double) n;
            mi += pij * Math.log(pij / (pi * pj));
        }
        if (mi <= 0) {
            return 0.0;
        }
        return mi / ((entropy(ca, n) + entropy(cb, n)) / 2);
    }

    private static double entropy(java.util.Map<Integer, Integer> counts, int n) {
        double h = 0;
        for (int c : counts.values()) {
            double p = c / (double) n;
            h -= p * Math.log(p);
        }
        return h;
    }
}
