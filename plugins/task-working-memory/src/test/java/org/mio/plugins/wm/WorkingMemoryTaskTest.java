package org.mio.plugins.wm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.api.task.Task;
import org.mio.api.task.TaskBatch;
import org.mio.api.task.TaskInstance;
import org.mio.testkit.TaskContract;
import org.mio.testkit.TestParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class WorkingMemoryTaskTest extends TaskContract {

    @Override
    protected Task task() {
        return new WorkingMemoryTask(null);
    }

    @Override
    protected PluginParams smallParams() {
        return TestParams.of("{\"transientSteps\": 20, \"learningSteps\": 60, \"onsetProbability\": 0.05}");
    }

    @Override
    protected PluginParams invalidParams() {
        return TestParams.of("{\"pulseWidth\": 0}");
    }

    @Test
    void referenceDefaults() {
        WorkingMemoryParams p = TestParams.empty().as(WorkingMemoryParams.class);
        assertEquals(2, p.bits());
        assertEquals(40, p.pulseWidth());
        assertEquals(0.002, p.onsetProbability());
        assertEquals(0.1, p.rampSlope());
        assertEquals(1000, p.transientSteps());
        assertEquals(2000, p.learningSteps());
        var e = assertThrows(
                ConfigException.class,
                () -> TestParams.of("{\"rampSlope\": -1}").as(WorkingMemoryParams.class));
        assertEquals("test.json: test.params.rampSlope must be in (0, 2], found -1.0", e.getMessage());
    }

    @Test
    void handMadeOnsetsGiveTheReferenceSequence() {
        WorkingMemoryParams p = new WorkingMemoryParams(2, 40, 0.0, 1.0, 0.1, 0, 200);
        WorkingMemoryGenerator g = new WorkingMemoryGenerator(p);
        boolean[][] on = new boolean[202][4];
        on[5][0] = true; // ON_1
        on[50][0] = true; // ON_1 and OFF_1 together: ON wins
        on[50][1] = true;
        on[100][1] = true; // OFF_1
        float[][] in = new float[200][4];
        float[][] tg = new float[200][2];
        g.sequence(on, in, tg);
        // memory starts at −1 (no ON at t=0) and ramps from 0 by 0.1 per step
        assertEquals(-0.1f, tg[0][0], 1e-6);
        assertEquals(-0.4f, tg[3][0], 1e-6);
        // one-step look-ahead: target[4] already reflects the ON onset at t=5
        assertEquals(-0.3f, tg[4][0], 1e-6);
        assertEquals(1.0f, tg[49][0], 1e-6);
        assertEquals(1.0f, tg[60][0], 1e-6); // tie at 50 kept +1
        assertEquals(0.9f, tg[99][0], 1e-6); // OFF at 100
        assertEquals(-1.0f, tg[120][0], 1e-6); // 20 steps from +1 to −1
        assertEquals(-1.0f, tg[9][1], 1e-6); // bit 2 never set
        // 40-step pulse from the onset on, pulses on the same channel merge
        assertEquals(1f, in[5][0]);
        assertEquals(1f, in[44][0]);
        assertEquals(0f, in[45][0]);
        assertEquals(1f, in[89][0]);
        assertEquals(0f, in[90][0]);
        assertEquals(1f, in[139][1]);
        assertEquals(0f, in[140][1]);
        assertEquals(0f, in[4][0]);
    }

    @Test
    void onAtTheFirstStepStartsTheMemoryHigh() {
        WorkingMemoryParams p = new WorkingMemoryParams(1, 40, 0.0, 1.0, 0.1, 0, 30);
        boolean[][] on = new boolean[32][2];
        on[0][0] = true;
        float[][] in = new float[30][2];
        float[][] tg = new float[30][1];
        new WorkingMemoryGenerator(p).sequence(on, in, tg);
        assertEquals(0.1f, tg[0][0], 1e-6);
        assertEquals(1.0f, tg[29][0], 1e-6);
    }

    /**
     * Statistics of the reference settings against METHOD.md §3a's computed baselines: fraction
     * of time target > 0 ≈ 0.494, zero-predictor MSE ≈ 0.975, sign-predictor MSE ≈ 0.013, about
     * 4.0 onsets per channel per 2000-step segment, input duty cycle ≈ 7.6 %.
     */
    @Test
    void referenceStatisticsMatchTheMethodBaselines() {
        TaskInstance t = task().create(TestParams.empty(), TestParams.context(DataType.DOUBLE));
        TaskBatch b = t.sample(200, TaskInstance.Split.TRAIN, Rng.of(2025));
        INDArray y = b.targets().get(NDArrayIndex.all(), NDArrayIndex.interval(1000, 3000), NDArrayIndex.all());
        INDArray x = b.inputs().get(NDArrayIndex.all(), NDArrayIndex.interval(1000, 3000), NDArrayIndex.all());
        double positive = y.gt(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        double zeroMse = y.mul(y).meanNumber().doubleValue();
        INDArray sign = org.nd4j.linalg.ops.transforms.Transforms.sign(y);
        double signMse = y.sub(sign).norm2Number().doubleValue();
        signMse = signMse * signMse / y.length();
        double duty = x.meanNumber().doubleValue();
        // onsets: rising edges are a lower bound (merged pulses); count them with the generator instead
        WorkingMemoryGenerator g = new WorkingMemoryGenerator(TestParams.empty().as(WorkingMemoryParams.class));
        Rng r = Rng.of(7);
        long onsets = 0;
        for (int s = 0; s < 200; s++) {
            boolean[][] on = g.onsets(r);
            for (int tt = 1000; tt < 3000; tt++) {
                for (int c = 0; c < 4; c++) {
                    onsets += on[tt][c] ? 1 : 0;
                }
            }
        }
        assertEquals(0.494, positive, 0.04);
        assertEquals(0.975, zeroMse, 0.01);
        assertEquals(0.013, signMse, 0.004);
        assertEquals(4.0, onsets / (200.0 * 4), 0.2);
        assertEquals(0.076, duty, 0.006);
    }

    @Test
    void accuracyIsSignAgreementOverTheLearningSegment() {
        TaskInstance t = task().create(smallParams(), TestParams.context(DataType.FLOAT));
        TaskBatch b = t.sample(4, TaskInstance.Split.TRAIN, Rng.of(3));
        INDArray y = b.targets()
                .get(NDArrayIndex.all(), NDArrayIndex.interval(20, 80), NDArrayIndex.all())
                .dup();
        assertEquals(1.0, t.score(b, y).get("accuracy"));
        Map<String, Double> flipped = t.score(b, y.mul(-1));
        // z = −y agrees only where y = 0 (both "not > 0")
        double zeros = y.eq(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        assertEquals(zeros, flipped.get("accuracy"), 1e-12);
        INDArray bit1Only = y.dup();
        bit1Only.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(1))
                .muli(-1);
        Map<String, Double> s = t.score(b, bit1Only);
        assertEquals(1.0, s.get("accuracy_bit1"));
        assertEquals((1.0 + s.get("accuracy_bit2")) / 2, s.get("accuracy"), 1e-12);
    }

    @Test
    void taskFigureShowsPulsesTargetAndOutputPerBitWithTheTransient() {
        var task = task().create(TestParams.empty(), TestParams.context(DataType.DOUBLE));
        org.nd4j.linalg.api.ndarray.INDArray in = org.nd4j.linalg.factory.Nd4j.zeros(6, 4);
        in.putScalar(1, 0, 1); // ON_1 at step 1
        in.putScalar(3, 3, 1); // OFF_2 at step 3
        org.nd4j.linalg.api.ndarray.INDArray target = org.nd4j.linalg.factory.Nd4j.ones(6, 2);
        org.nd4j.linalg.api.ndarray.INDArray out = org.nd4j.linalg.factory.Nd4j.zeros(6, 2);
        out.putScalar(5, 1, -0.5);
        var figs = task.figures(new org.mio.api.task.Trace(7, in, target, out, 2));
        assertEquals(1, figs.size());
        assertEquals("task-epoch-0007", figs.get(0).name());
        assertEquals(2, figs.get(0).plots().size());
        var bit2 = (org.mio.api.figure.XYPlot) figs.get(0).plots().get(1);
        assertArrayEquals(new double[] {0, 0, 0, -1, 0, 0}, bit2.series().get(0).y());
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, bit2.series().get(1).y());
        assertEquals(-0.5, bit2.series().get(2).y()[5]);
        assertEquals(2.0, bit2.bands().get(0).to());
        var bit1 = (org.mio.api.figure.XYPlot) figs.get(0).plots().get(0);
        assertEquals(1.0, bit1.series().get(0).y()[1]);
    }
}
