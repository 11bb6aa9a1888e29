package org.mio.plugins.ksg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mio.api.analysis.Analyzer;
import org.mio.api.analysis.Snapshot;
import org.mio.api.model.Trajectory;
import org.mio.api.model.UnitGroups;
import org.mio.api.plugin.Rng;
import org.mio.api.task.TaskBatch;
import org.mio.testkit.AnalyzerContract;
import org.mio.testkit.KnownMutualInformation;
import org.mio.testkit.TestParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Correlated Gaussians of known MI, I = −(d/2)·ln(1 − ρ²) for d pairs of correlation ρ. */
class KsgMutualInformationTest {

    /** d pairs (x_k, y_k) of correlation ρ giving {@code mi} nats, then {@code f} applied to every value. */
    static double[][][] gaussians(int d, double mi, int rows, long seed, java.util.function.DoubleUnaryOperator f) {
        double rho = Math.sqrt(1 - Math.exp(-2 * mi / d));
        Rng r = Rng.of(seed);
        double[][] x = new double[rows][d];
        double[][] y = new double[rows][d];
        for (int i = 0; i < rows; i++) {
            for (int q = 0; q < d; q++) {
                double a = r.nextGaussian();
                x[i][q] = f.applyAsDouble(a);
                y[i][q] = f.applyAsDouble(rho * a + Math.sqrt(1 - rho * rho) * r.nextGaussian());
            }
        }
        return new double[][][] {x, y};
    }

    /** frac(i·c_q) sequences: the same doubles in any language, so an independent implementation can score them. */
    private static final double[] C = {
        0.6180339887498949, 0.7548776662466927, 0.5698402909980532, 0.8191725133961645, 0.4142135623730951,
        0.7320508075688772, 0.2360679774997898, 0.6457513110645907, 0.1622776601683795, 0.3166247903554
    };

    private static double[][][] sequences(int n, int dx, int dy) {
        double[][] x = new double[n][dx];
        double[][] y = new double[n][dy];
        for (int i = 1; i <= n; i++) {
            for (int q = 0; q < dx; q++) {
                double v = i * C[q];
                x[i - 1][q] = v - Math.floor(v);
            }
            for (int q = 0; q < dy; q++) {
                double v = i * C[dx + q];
                y[i - 1][q] = x[i - 1][q % dx] + 0.5 * (v - Math.floor(v));
            }
        }
        return new double[][][] {x, y};
    }

    @Test
    void equalsAnIndependentKdTreeImplementation() {
        // golden values: KSG algorithm 1 with scipy 1.17.1's cKDTree (max-norm k-th neighbour distance in the
        // joint space, query_ball_point counts strictly within it) and scipy.special.digamma, on the same sequences;
        // Commons Math's digamma differs from scipy's by about 1e-9
        double[][][] a = sequences(500, 2, 2);
        assertEquals(1.0417527103851727, KsgMutualInformation.ksg(a[0], a[1], 3, 2), 1e-8);
        double[][][] b = sequences(800, 5, 5);
        assertEquals(2.559361801395071, KsgMutualInformation.ksg(b[0], b[1], 4, 2), 1e-8);
    }

    @Test
    void correlatedGaussiansOfKnownMi() {
        // 2 000 rows, k = 3. KSG is biased low as the MI per dimension count grows (Kraskov et al. 2004,
        // fig. 4): within 0.05 in 1 + 1 … 2 + 2 dimensions, about −0.25 nats at 1 nat in 5 + 5.
        double[][][] one = gaussians(2, 1.0, 2000, 1, v -> v);
        assertEquals(1.0, KsgMutualInformation.ksg(one[0], one[1], 3, 2), 0.05);
        double[][][] none = gaussians(5, 0.0, 2000, 2, v -> v);
        assertEquals(0.0, KsgMutualInformation.ksg(none[0], none[1], 3, 2), 0.03);
        double[][][] five = gaussians(5, 1.0, 2000, 3, v -> v);
        double i5 = KsgMutualInformation.ksg(five[0], five[1], 3, 2);
        assertTrue(i5 > 0.6 && i5 < 1.0, "5 + 5 dimensions, 1 nat: " + i5);
    }

    @Test
    void anInvertibleMapOfEachValueMovesTheEstimateLittle() {
        // MI is invariant under x ↦ x³ + x; KSG only in the limit of many rows (its neighbourhoods are
        // max-norm boxes in the new coordinates): at 2 000 rows the estimate moves by less than 0.2 nats
        double[][][] plain = gaussians(2, 1.0, 2000, 4, v -> v);
        double[][][] bent = gaussians(2, 1.0, 2000, 4, v -> v * v * v + v);
        double a = KsgMutualInformation.ksg(plain[0], plain[1], 3, 1);
        double b = KsgMutualInformation.ksg(bent[0], bent[1], 3, 1);
        assertEquals(a, b, 0.2);
    }

    @Test
    void lanesDoNotChangeTheResult() {
        double[][][] s = gaussians(3, 0.5, 500, 5, v -> v);
        assertEquals(KsgMutualInformation.ksg(s[0], s[1], 4, 1), KsgMutualInformation.ksg(s[0], s[1], 4, 2), 0.0);
    }

    @Test
    void badParamsAreNamed() {
        var e = assertThrows(
                org.mio.api.plugin.ConfigException.class,
                () -> TestParams.of("{\"k\": 0}").as(KsgMutualInformation.Params.class));
        assertTrue(e.getMessage().contains("k must be ≥ 1, found 0"), e.getMessage());
    }

    /** Activity [2, 200, 4]: units 0, 1 (G1) and 2, 3 (G2), unit 2 a copy of unit 0 plus noise. */
    static Snapshot snapshot() {
        Rng r = Rng.of(9);
        INDArray h = Nd4j.create(DataType.DOUBLE, 2, 200, 4);
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 200; t++) {
                double a = r.nextGaussian();
                h.putScalar(new long[] {b, t, 0}, a);
                h.putScalar(new long[] {b, t, 1}, r.nextGaussian());
                h.putScalar(new long[] {b, t, 2}, a + 0.3 * r.nextGaussian());
                h.putScalar(new long[] {b, t, 3}, r.nextGaussian());
            }
        }
        Trajectory tr = new Trajectory() {
            @Override
            public INDArray outputs() {
                return Nd4j.zeros(DataType.DOUBLE, 2, 200, 1);
            }

            @Override
            public INDArray activity() {
                return h;
            }

            @Override
            public INDArray finalState() {
                return Nd4j.zeros(DataType.DOUBLE, 2, 4);
            }
        };
        TaskBatch tb =
                new TaskBatch(Nd4j.zeros(DataType.DOUBLE, 2, 200, 1), Nd4j.zeros(DataType.DOUBLE, 2, 200, 1), 0, 0);
        return new Snapshot(1, Map.of(), UnitGroups.split(4, 2), tb, tr);
    }

    @Test
    void theGroupsOfASnapshot() {
        // I(unit 0; unit 0 + 0.3ε) = ½ ln(1 + 1/0.09) ≈ 1.25 nats; units 1 and 3 add nothing but dimensions,
        // which cost KSG about 0.15 nats at 400 rows
        double mi = new KsgMutualInformation()
                .analyze(snapshot(), TestParams.of("{\"rows\": 0}"))
                .scalars()
                .get("mi_ksg");
        assertEquals(0.5 * Math.log(1 + 1 / 0.09), mi, 0.25);
        // a row subset of the same snapshot measures the same quantity
        double sub = new KsgMutualInformation()
                .analyze(snapshot(), TestParams.of("{\"rows\": 300, \"seed\": 4}"))
                .scalars()
                .get("mi_ksg");
        assertEquals(mi, sub, 0.2);
    }

    /**
     * The known-MI suite of {@code testkit} at the analyzer's default of 5 000 rows and k = 3: five
     * estimates on fresh samples per case, seed 1 asserted (all seeds: docs/estimators.md).
     */
    @Test
    @Tag("slow")
    void knownMutualInformationSuite() {
        KnownMutualInformation.suite(
                "mi-ksg",
                (c, seed) -> {
                    long start = System.nanoTime();
                    Rng data = Rng.of(seed + 1);
                    double[] found = new double[5];
                    for (int r = 0; r < found.length; r++) {
                        INDArray[] s = KnownMutualInformation.samples(c, 5000, data, DataType.DOUBLE);
                        found[r] = KsgMutualInformation.ksg(s[0].toDoubleMatrix(), s[1].toDoubleMatrix(), 3, 2);
                    }
                    return KnownMutualInformation.Result.of(c, seed, found, (System.nanoTime() - start) / 1e9);
                },
                // k-NN estimates are biased low as the dimension grows (Kraskov et al. 2004, fig. 4): at 5 000
                // rows within 30 % in 5 + 5 dimensions, but a quarter of the MI in 20 + 20
                c -> c.cubed()
                        ? new double[] {0.4, 0.7}
                        : c.dims() == 5
                                ? new double[] {0.7 * c.mi() - 0.03, c.mi() + 0.03}
                                : new double[] {0.15 * c.mi(), 0.4 * c.mi()});
    }

    @Nested
    class Contract extends AnalyzerContract {
        @Override
        protected Analyzer analyzer() {
            return new KsgMutualInformation();
        }

        @Override
        protected Snapshot snapshot() {
            return KsgMutualInformationTest.snapshot();
        }
    }
}
