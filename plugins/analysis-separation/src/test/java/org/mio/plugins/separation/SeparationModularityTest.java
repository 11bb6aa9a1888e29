package org.mio.plugins.separation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mio.api.analysis.AnalysisResult;
import org.mio.api.analysis.Analyzer;
import org.mio.api.analysis.Snapshot;
import org.mio.api.analysis.StoredSnapshot;
import org.mio.api.model.Trajectory;
import org.mio.api.model.UnitGroups;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.Rng;
import org.mio.api.task.TaskBatch;
import org.mio.testkit.AnalyzerContract;
import org.mio.testkit.TestParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Golden values on hand-made snapshots, from the definitions of METHOD.md §6b. */
class SeparationModularityTest {
    static final int T = 400;

    /**
     * 4 units (G1 = 0, 1; G2 = 2, 3), 2 test sequences over a whole period: units 0 and 1 follow
     * a = sin, units 2 and 3 follow b = cos (orthogonal over the period), the Lorenz predictions
     * are a, the Rössler predictions b (with a little of the other from {@code mix}).
     */
    static Snapshot snapshot(double mix, Map<String, INDArray> params) {
        int batch = 2;
        INDArray h = Nd4j.create(DataType.DOUBLE, batch, T, 4);
        INDArray y = Nd4j.create(DataType.DOUBLE, batch, T, 6);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < T; t++) {
                double a = Math.sin(2 * Math.PI * (t + b * 7) / T);
                double c = Math.cos(2 * Math.PI * (t + b * 7) / T);
                h.putScalar(new long[] {b, t, 0}, a);
                h.putScalar(new long[] {b, t, 1}, 2 * a + 1);
                h.putScalar(new long[] {b, t, 2}, c);
                h.putScalar(new long[] {b, t, 3}, -c);
                for (int k = 0; k < 3; k++) {
                    y.putScalar(new long[] {b, t, k}, a + mix * c);
                    y.putScalar(new long[] {b, t, 3 + k}, c);
                }
            }
        }
        Trajectory tr = new Trajectory() {
            @Override
            public INDArray outputs() {
                return y;
            }

            @Override
            public INDArray activity() {
                return h;
            }

            @Override
            public INDArray finalState() {
                return Nd4j.zeros(DataType.DOUBLE, batch, 4);
            }
        };
        TaskBatch tb = new TaskBatch(Nd4j.zeros(DataType.DOUBLE, batch, T, 3), y.dup(), 0, 0);
        return new Snapshot(3, params, UnitGroups.split(4, 2), tb, tr);
    }

    /** U [4, 12] in blocks z | r | h̃: z all ones, r zero, h̃ two disconnected pairs; W_o Lorenz ← G1, Rössler ← G2. */
    static Map<String, INDArray> gruParams() {
        double[][] u = new double[4][12];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                u[i][j] = 1; // z block
            }
        }
        u[0][8 + 1] = 1;
        u[1][8 + 0] = -1;
        u[2][8 + 3] = 0.5;
        u[3][8 + 2] = 2;
        double[][] wo = new double[4][6];
        for (int k = 0; k < 3; k++) {
            wo[0][k] = 1;
            wo[1][k] = -2;
            wo[2][3 + k] = 1;
            wo[3][3 + k] = 3;
        }
        return Map.of("U", Nd4j.createFromArray(u), "W_o", Nd4j.createFromArray(wo));
    }

    private static AnalysisResult analyze(double mix) {
        return new SeparationModularity().analyze(snapshot(mix, gruParams()), TestParams.of("{\"fromStep\": 0}"));
    }

    @Test
    void fullySeparatedUnitsByHand() {
        AnalysisResult r = analyze(0);
        // |corr|: 1 within each pair, 0 across: two disconnected pairs, Q = 1/2
        assertEquals(0.5, r.scalars().get("Q_cor"), 1e-9);
        // h̃ block: two disconnected pairs of weight |1| + |−1| = 2 and 0.5 + 2 = 2.5, m = 4.5:
        // Q = Σ_c L_c/m − (d_c/2m)² = 1 − (4/9)² − (5/9)² = 40/81
        assertEquals(40.0 / 81, r.scalars().get("Q_str"), 1e-12);
        // z block: a complete graph of equal weights: within 8, expected 2·4·36/24 = 12, 2m = 24 → −1/6
        assertEquals(-1.0 / 6, r.scalars().get("Q_str_z"), 1e-12);
        // r block: no edges
        assertEquals(0.0, r.scalars().get("Q_str_r"), 0.0);
        // G1 units correlate 1 with the Lorenz outputs and 0 with the Rössler ones, G2 the reverse
        assertEquals(1.0, r.scalars().get("D_cor"), 1e-9);
        assertGroupTerms(r, 1, 0, 0, 1);
        assertEquals(1.0, r.scalars().get("D_out"), 1e-12);
        assertEquals(6, r.arrays().get("corr_outputs").size(0));
        assertEquals(1.0, r.arrays().get("corr_outputs").getDouble(0, 1), 1e-9);
        assertEquals(0.0, r.arrays().get("corr_outputs").getDouble(3, 1), 1e-9);
        // greedy modularity finds the pairs {0, 1} and {2, 3} in both graphs: the groups exactly
        assertEquals(1.0, r.scalars().get("NMI_cor"), 1e-12);
        assertEquals(1.0, r.scalars().get("NMI_str"), 1e-12);
    }

    @Test
    void structureAcrossTheGroupsHasNmiZero() {
        // h̃ block pairs {0, 2} and {1, 3}: each community holds one unit of each group
        double[][] u = new double[4][12];
        u[0][8 + 2] = 1;
        u[1][8 + 3] = -1;
        AnalysisResult r = new SeparationModularity()
                .analyze(
                        snapshot(
                                0,
                                Map.of(
                                        "U",
                                        Nd4j.createFromArray(u),
                                        "W_o",
                                        gruParams().get("W_o"))),
                        TestParams.of("{\"fromStep\": 0}"));
        assertEquals(0.0, r.scalars().get("NMI_str"), 1e-12);
        assertEquals(1.0, r.scalars().get("NMI_cor"), 1e-12, "the units' correlations are unchanged");
    }

    /**
     * With the Lorenz predictions a + c, the G1 units correlate 1/√2 with them and G2 units too:
     * a1 = (1/√2, 1/√2, 1/√2, 1/√2), a2 = (0, 0, 1, 1): d = a2 − a1, D = |Σ_G1 d − Σ_G2 d| / Σ(a1 + a2)
     * = |−√2 − (2 − √2)| / (2√2 + 2) = 2 / (2√2 + 2).
     */
    @Test
    void partlyMixedPredictionsByHand() {
        AnalysisResult r = analyze(1);
        assertEquals(2 / (2 * Math.sqrt(2) + 2), r.scalars().get("D_cor"), 1e-9);
        // both groups follow the Lorenz predictions; only G2 the Rössler ones
        assertGroupTerms(r, 1 / Math.sqrt(2), 0, 1 / Math.sqrt(2), 1);
        assertEquals(0.5, r.scalars().get("Q_cor"), 1e-9, "the units' correlations do not involve the outputs");
    }

    private static void assertGroupTerms(AnalysisResult r, double g1s1, double g1s2, double g2s1, double g2s2) {
        assertEquals(g1s1, r.scalars().get("corr_G1_sys1"), 1e-9);
        assertEquals(g1s2, r.scalars().get("corr_G1_sys2"), 1e-9);
        assertEquals(g2s1, r.scalars().get("corr_G2_sys1"), 1e-9);
        assertEquals(g2s2, r.scalars().get("corr_G2_sys2"), 1e-9);
    }

    /**
     * The four group terms make D_cor: with groups of equal size, D_cor = |(c_G1,1 − c_G1,2) −
     * (c_G2,1 − c_G2,2)| / Σ c, on units that mix both signals with unequal weights.
     */
    @Test
    void dCorIsMadeOfTheGroupTerms() {
        Snapshot s = snapshot(0.3, gruParams());
        INDArray h = s.trajectory().activity();
        double[] wa = {0.9, 0.2, 0.6, -0.1};
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < T; t++) {
                double a = Math.sin(2 * Math.PI * (t + b * 7) / T);
                double c = Math.cos(2 * Math.PI * (t + b * 7) / T);
                for (int i = 0; i < 4; i++) {
                    h.putScalar(
                            new long[] {b, t, i},
                            wa[i] * a + (1 - Math.abs(wa[i])) * c + 0.1 * Math.sin(9.0 * t * (i + 1)));
                }
            }
        }
        Map<String, Double> r = new SeparationModularity()
                .analyze(s, TestParams.of("{\"fromStep\": 50}"))
                .scalars();
        double g1 = r.get("corr_G1_sys1") - r.get("corr_G1_sys2");
        double g2 = r.get("corr_G2_sys1") - r.get("corr_G2_sys2");
        double sum = r.get("corr_G1_sys1") + r.get("corr_G1_sys2") + r.get("corr_G2_sys1") + r.get("corr_G2_sys2");
        assertTrue(Math.abs(g1 - g2) > 0.05, r.toString());
        assertEquals(Math.abs(g1 - g2) / sum, r.get("D_cor"), 1e-12);
    }

    /** std_G1 and std_G2 by hand: over the whole period and from fromStep, about each sequence's own mean. */
    @Test
    void groupSpreadsAreTheUnitsStandardDeviationsByHand() {
        // over whole periods sin and cos have the standard deviation 1/√2; unit 1 = 2 sin + 1 has √2
        AnalysisResult r = analyze(0);
        assertEquals((Math.sqrt(0.5) + Math.sqrt(2)) / 2, r.scalars().get("std_G1"), 1e-12);
        assertEquals(Math.sqrt(0.5), r.scalars().get("std_G2"), 1e-12);
        // from step 200 on, the second half of the period: sin there has mean −2/π and the
        // standard deviation √(1/2 − 4/π²) ≈ 0.31 (the spread is about each sequence's own mean)
        Snapshot s = snapshot(0, gruParams());
        AnalysisResult late = new SeparationModularity().analyze(s, TestParams.of("{}"));
        double[] h = s.trajectory()
                .activity()
                .castTo(DataType.DOUBLE)
                .dup('c')
                .data()
                .asDouble();
        double expected = 0;
        for (int unit = 0; unit < 2; unit++) {
            for (int b = 0; b < 2; b++) {
                double sum = 0;
                double sq = 0;
                for (int t = 200; t < T; t++) {
                    double v = h[(b * T + t) * 4 + unit];
                    sum += v;
                    sq += v * v;
                }
                double mean = sum / (T - 200);
                expected += Math.sqrt(sq / (T - 200) - mean * mean) / 4; // 2 units × 2 sequences
            }
        }
        assertEquals(expected, late.scalars().get("std_G1"), 1e-9);
        assertEquals(1.5 * Math.sqrt(0.5 - 4 / (Math.PI * Math.PI)), expected, 0.02);
    }

    /** D_cor counts only the steps from fromStep on: predictions that agree only before it give nothing. */
    @Test
    void dCorCountsFromFromStep() {
        Snapshot s = snapshot(0, gruParams());
        INDArray y = s.trajectory().outputs();
        // from step 200 on, the Lorenz outputs follow the Rössler signal instead
        for (int b = 0; b < 2; b++) {
            for (int t = 200; t < T; t++) {
                for (int k = 0; k < 3; k++) {
                    y.putScalar(new long[] {b, t, k}, y.getDouble(b, t, 3));
                }
            }
        }
        AnalysisResult all = new SeparationModularity().analyze(s, TestParams.of("{\"fromStep\": 0}"));
        AnalysisResult late = new SeparationModularity().analyze(s, TestParams.of("{}"));
        assertTrue(all.scalars().get("D_cor") > 0.05, all.scalars().toString());
        assertEquals(0.0, late.scalars().get("D_cor"), 1e-9, "from 200 on both output groups are c");
    }

    @Test
    void badParamsAreNamed() {
        var e = assertThrows(
                ConfigException.class,
                () -> new SeparationModularity()
                        .analyze(
                                snapshot(0, gruParams()), TestParams.of("{\"outputGroups\": [[0, 1, 2], [3, 4, 9]]}")));
        assertTrue(
                e.getMessage().contains("outputGroups: output 9 does not exist; the network has 6 outputs"),
                e.getMessage());
        assertEquals(
                List.of(
                        "Q_cor",
                        "Q_str",
                        "Q_str_z",
                        "Q_str_r",
                        "D_cor",
                        "corr_G1_sys1",
                        "corr_G1_sys2",
                        "corr_G2_sys1",
                        "corr_G2_sys2",
                        "std_G1",
                        "std_G2",
                        "D_out",
                        "NMI_cor",
                        "NMI_str"),
                new SeparationModularity()
                        .metrics(TestParams.empty()).stream().map(m -> m.name()).toList());
    }

    @Test
    void figuresFromTheStoredArrays() {
        AnalysisResult r = analyze(0);
        Snapshot s = snapshot(0, gruParams());
        StoredSnapshot stored = new StoredSnapshot(3, s.parameters(), s.groups(), r.scalars(), r.arrays());
        var figs = new SeparationModularity().figures(stored, TestParams.empty());
        assertEquals(
                List.of("scatter-epoch-0003", "uh-epoch-0003"),
                figs.stream().map(f -> f.name()).toList());
    }

    @Nested
    class Contract extends AnalyzerContract {
        @Override
        protected Analyzer analyzer() {
            return new SeparationModularity();
        }

        @Override
        protected Snapshot snapshot() {
            Map<String, INDArray> p = new java.util.HashMap<>(gruParams());
            Rng r = Rng.of(2);
            p.replaceAll((k, v) -> {
                INDArray w = v.dup();
                for (long i = 0; i < w.length(); i++) {
                    w.putScalar(i, r.nextGaussian());
                }
                return w;
            });
            return SeparationModularityTest.snapshot(0.3, p);
        }
    }
}
