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

    /** The weights of the golden graphs: symmetric, positive, with no block structure built in. */
    private static double[][] weights(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = 0.1 + 0.5 * Math.abs(Math.sin(3.1 * i + 1.7 * j) * Math.sin(1.7 * i + 3.1 * j));
            }
        }
        return m;
    }

    private static int[] labels(int n, int... second) {
        int[] l = new int[n];
        for (int i : second) {
            l[i] = 1;
        }
        return l;
    }

    @Test
    void greedyCommunitiesEqualNetworkxOnGoldenGraphs() {
        // networkx 3.6.1, greedy_modularity_communities(G, weight='weight', cutoff=2, best_n=2) on the
        // graph separation/utils.py:community_analysis builds (edges i < j, weight |M_ij|):
        //   n = 12: {1, 3, 5, 6, 7, 8, 9, 10, 11} and {0, 2, 4}
        //   n = 20: {0, 2, 4, 9, 11, 13, 15, 16, 17, 18, 19} and {1, 3, 5, 6, 7, 8, 10, 12, 14}
        assertEquals(1.0, Modularity.nmi(Modularity.greedyCommunities(weights(12), 2), labels(12, 0, 2, 4)), 1e-15);
        assertEquals(
                1.0,
                Modularity.nmi(Modularity.greedyCommunities(weights(20), 2), labels(20, 1, 3, 5, 6, 7, 8, 10, 12, 14)),
                1e-15);
        int[] c = Modularity.greedyCommunities(weights(12), 2);
        assertEquals(0, c[0]); // numbered by their lowest node
        assertEquals(1, c[1]);
    }

    @Test
    void greedyCommunitiesFindPlantedBlocks() {
        // two dense blocks {0..4} and {5..9} with weak links across, and units in shuffled order
        int n = 10;
        int[] block = {0, 1, 0, 1, 1, 0, 1, 0, 0, 1};
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = block[i] == block[j] ? 0.9 : 0.05;
            }
        }
        assertEquals(1.0, Modularity.nmi(Modularity.greedyCommunities(m, 2), block), 1e-15);
        // scored against the split 0..4 | 5..9, which they cross: NMI of the two labelings
        int[] split = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
        assertEquals(Modularity.nmi(block, split), Modularity.nmi(Modularity.greedyCommunities(m, 2), split), 1e-15);
    }

    @Test
    void nmiByHand() {
        // a = 0011, b = 0001: H(a) = ln 2, H(b) = −(¾ ln ¾ + ¼ ln ¼), I = ½ ln(4/3) + ¼ ln(2/3) + ¼ ln 2
        assertEquals(0.3437110184854508, Modularity.nmi(new int[] {0, 0, 1, 1}, new int[] {0, 0, 0, 1}), 1e-15);
        assertEquals(1.0, Modularity.nmi(new int[] {0, 0, 1, 1}, new int[] {7, 7, 3, 3}), 1e-15);
        assertEquals(0.0, Modularity.nmi(new int[] {0, 1, 0, 1}, new int[] {0, 0, 1, 1}), 1e-15);
        assertEquals(0.0, Modularity.nmi(new int[] {0, 0, 0, 0}, new int[] {0, 0, 1, 1}), 1e-15);
        assertEquals(1.0, Modularity.nmi(new int[] {2, 2, 2}, new int[] {5, 5, 5}), 1e-15);
    }
}
