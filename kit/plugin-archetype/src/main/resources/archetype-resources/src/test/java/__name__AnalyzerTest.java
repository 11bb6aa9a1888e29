package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
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

/** The contract suite, and the ratio on activity whose dimension is known. */
class ${name}AnalyzerTest {

    /** G1 = units 0, 1: two copies of one signal (one dimension); G2 = units 2, 3: independent (two). */
    static Snapshot snapshot() {
        Rng r = Rng.of(9);
        INDArray h = Nd4j.create(DataType.DOUBLE, 2, 2000, 4);
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 2000; t++) {
                double a = r.nextGaussian();
                h.putScalar(new long[] {b, t, 0}, a);
                h.putScalar(new long[] {b, t, 1}, 3 * a);
                h.putScalar(new long[] {b, t, 2}, r.nextGaussian());
                h.putScalar(new long[] {b, t, 3}, r.nextGaussian());
            }
        }
        Trajectory trajectory = new Trajectory() {
            @Override
            public INDArray outputs() {
                return Nd4j.zeros(DataType.DOUBLE, 2, 2000, 1);
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
        TaskBatch batch =
                new TaskBatch(Nd4j.zeros(DataType.DOUBLE, 2, 2000, 1), Nd4j.zeros(DataType.DOUBLE, 2, 2000, 1), 0, 0);
        return new Snapshot(1, Map.of(), UnitGroups.split(4, 2), batch, trajectory);
    }

    @Test
    void oneSharedSignalSpansOneDimensionTwoIndependentOnesTwo() {
        Map<String, Double> s = new ${name}Analyzer().analyze(snapshot(), TestParams.of("{}")).scalars();
        assertEquals(1.0, s.get("pr_g1"), 1e-9);
        // sample correlations of 4 000 rows are about 0.016, which lowers the ratio by far less than 0.01
        assertEquals(2.0, s.get("pr_g2"), 0.01);
        Map<String, Double> n =
                new ${name}Analyzer().analyze(snapshot(), TestParams.of("{\"normalize\": true}")).scalars();
        assertEquals(0.5, n.get("pr_g1"), 1e-9);
    }

    @Nested
    class Contract extends AnalyzerContract {
        @Override
        protected Analyzer analyzer() {
            return new ${name}Analyzer();
        }

        @Override
        protected Snapshot snapshot() {
            return ${name}AnalyzerTest.snapshot();
        }
    }
}
