package org.mio.plugins.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mio.api.analysis.AnalysisResult;
import org.mio.api.analysis.Analyzer;
import org.mio.api.analysis.Snapshot;
import org.mio.api.model.Trajectory;
import org.mio.api.model.UnitGroups;
import org.mio.api.plugin.Rng;
import org.mio.api.task.TaskBatch;
import org.mio.testkit.AnalyzerContract;
import org.mio.testkit.TestParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AnalyzersTest {

    /**
     * Four units: 0 and 1 follow target 1, 2 and 3 follow target 2 (plus noise). Weights: W_rec
     * block-diagonal, W_in and W_out wired bit 1 → G1, bit 2 → G2.
     */
    static Snapshot separated() {
        int batch = 3;
        int time = 200;
        Rng r = Rng.of(4);
        INDArray targets = Nd4j.create(DataType.DOUBLE, batch, time + 5, 2);
        INDArray x = Nd4j.create(DataType.DOUBLE, batch, time, 4);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time + 5; t++) {
                targets.putScalar(new long[] {b, t, 0}, r.nextGaussian());
                targets.putScalar(new long[] {b, t, 1}, r.nextGaussian());
            }
            for (int t = 0; t < time; t++) {
                for (int i = 0; i < 4; i++) {
                    double target = targets.getDouble(b, t + 5, i < 2 ? 0 : 1);
                    x.putScalar(new long[] {b, t, i}, target + 0.3 * r.nextGaussian());
                }
            }
        }
        TaskBatch tb = new TaskBatch(Nd4j.zeros(DataType.DOUBLE, batch, time + 5, 4), targets, 5, 0);
        Trajectory tr = new Trajectory() {
            @Override
            public INDArray outputs() {
                return Nd4j.zeros(DataType.DOUBLE, batch, time, 2);
            }

            @Override
            public INDArray activity() {
                return x;
            }

            @Override
            public INDArray finalState() {
                return Nd4j.zeros(DataType.DOUBLE, batch, 4);
            }
        };
        Map<String, INDArray> params = Map.of(
                "W_rec", Nd4j.createFromArray(new double[][] {{0, 1, 0, 0}, {1, 0, 0, 0}, {0, 0, 0, 1}, {0, 0, 1, 0}}),
                "W_in",
                        Nd4j.createFromArray(
                                new double[][] {{1, 1, 0, 0}, {-1, -1, 0, 0}, {0, 0, 1, 1}, {0, 0, -1, -1}}),
                "W_out", Nd4j.createFromArray(new double[][] {{1, 0}, {1, 0}, {0, 1}, {0, 1}}));
        return new Snapshot(7, params, UnitGroups.split(4, 2), tb, tr);
    }

    @Test
    void separatedUnitsGiveFullSeparationAndAlignment() {
        AnalysisResult f = new FunctionalModularity().analyze(separated(), TestParams.empty());
        assertTrue(f.scalars().get("D_corr") > 0.95, f.scalars().toString());
        assertTrue(f.scalars().get("Q_corr_norm") > 0.9, f.scalars().toString());
        assertTrue(f.scalars().get("align_out") > 0.99, f.scalars().toString());
        assertTrue(f.scalars().get("align_in") > 0.99, f.scalars().toString());
        assertEquals(2, f.arrays().get("corr_target").size(0));
        AnalysisResult s = new StructuralModularity().analyze(separated(), TestParams.empty());
        assertEquals(0.5, s.scalars().get("Q_str"), 1e-12);
        assertEquals(1.0, s.scalars().get("D_in"), 1e-12);
        assertEquals(1.0, s.scalars().get("D_out"), 1e-12);
    }

    /** Groups that name channels or outputs the network lacks are a configuration error naming the field. */
    @Test
    void groupsBeyondTheNetworksChannelsAreNamed() {
        var s = org.junit.jupiter.api.Assertions.assertThrows(
                org.mio.api.plugin.ConfigException.class,
                () -> new StructuralModularity()
                        .analyze(separated(), TestParams.of("{\"inputGroups\": [[0, 1], [2, 4]]}")));
        assertEquals(
                "analysis: inputGroups = [[0, 1], [2, 4]] names index 4, but there are 4 input channels of W_in"
                        + " (indices 0..3); set inputGroups in the analyzer's params",
                s.getMessage());
        var f = org.junit.jupiter.api.Assertions.assertThrows(
                org.mio.api.plugin.ConfigException.class,
                () -> new FunctionalModularity().analyze(separated(), TestParams.of("{\"outputGroups\": [[0], [2]]}")));
        assertTrue(
                f.getMessage().contains("outputGroups = [[0], [2]] names index 2, but there are 2 outputs"),
                f.getMessage());
    }

    @Nested
    class FunctionalContract extends AnalyzerContract {
        @Override
        protected Analyzer analyzer() {
            return new FunctionalModularity();
        }

        @Override
        protected Snapshot snapshot() {
            return separated();
        }
    }

    @Nested
    class StructuralContract extends AnalyzerContract {
        @Override
        protected Analyzer analyzer() {
            return new StructuralModularity();
        }

        @Override
        protected Snapshot snapshot() {
            return separated();
        }
    }
}
