package org.mio.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Golden values computed by hand from the definitions of METHOD.md §6a.3–4. */
class ModularityTest {
    static final int[] G1 = {0, 1};
    static final int[] G2 = {2, 3};

    @Test
    void twoDisconnectedPairsHaveQOneHalfAndNormalizedOne() {
        double[][] m = {{0, 1, 0, 0}, {1, 0, 0, 0}, {0, 0, 0, 1}, {0, 0, 1, 0}};
        // A = 2 on both within-group edges, k = 2 each, 2m = 8: Q = (8 − 4)/8, Q_max = 1 − 4/8
        Modularity.Q q = Modularity.newman(m, G1, G2);
        assertEquals(0.5, q.q(), 1e-15);
        assertEquals(1.0, q.normalized(), 1e-15);
    }

    @Test
    void asymmetricSignedWeightsByHand() {
        // |M| with the diagonal ignored, A = |M| + |M|ᵀ: A01 = 1, A02 = 1, A23 = 2; k = (2, 1, 3, 2), 2m = 8
        double[][] m = {{5, -1, 1, 0}, {0, 0, 0, 0}, {0, 0, -7, -2}, {0, 0, 0, 0}};
        Modularity.Q q = Modularity.newman(m, G1, G2);
        assertEquals(1.75 / 8, q.q(), 1e-15);
        assertEquals(1 - 4.25 / 8, q.qMax(), 1e-15);
        assertEquals(0.21875 / 0.46875, q.normalized(), 1e-15);
    }

    @Test
    void separationIndexByHand() {
        assertEquals(0.0, Modularity.separation(new double[] {1, 0, 1, 0}, new double[] {0, 1, 0, 1}, G1, G2), 0);
        assertEquals(1.0, Modularity.separation(new double[] {1, 1, 0, 0}, new double[] {0, 0, 1, 1}, G1, G2), 0);
        // d = a2 − a1 = (−2, 1, 3, −1): |(−1) − 2| / 7
        assertEquals(
                3.0 / 7, Modularity.separation(new double[] {2, 0, 0, 1}, new double[] {0, 1, 3, 0}, G1, G2), 1e-15);
    }

    @Test
    void correlationsMatchPearson() {
        double[] a = {1, 2, 3, 4, 2, 1, 0, 5}; // two columns, four rows
        double[] b = {2, 4, 6, 9}; // one column
        double[][] c = Modularity.correlations(a, 2, b, 1, 4);
        assertEquals(Modularity.pearson(new double[] {1, 3, 2, 0}, b), c[0][0], 1e-15);
        assertEquals(Modularity.pearson(new double[] {2, 4, 1, 5}, b), c[1][0], 1e-15);
        assertEquals(1.0, Modularity.pearson(new double[] {1, 2, 3}, new double[] {2, 4, 6}), 1e-15);
    }
}
