package org.mio.plugins.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.commons.math3.ode.nonstiff.GraggBulirschStoerIntegrator;
import org.junit.jupiter.api.Test;
import org.mio.api.plugin.Footprint;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.api.task.Draw;
import org.mio.api.task.Task;
import org.mio.api.task.TaskBatch;
import org.mio.api.task.TaskInstance;
import org.mio.testkit.TaskContract;
import org.mio.testkit.TestParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class LorenzRosslerTaskTest extends TaskContract {
    /** Sequences of 1000 steps over a tenth of the reference's spans, 50 per file. */
    private static final String SMALL = "{\"samples\": 1400, \"drop\": 400, \"lorenzEnd\": 10.0, \"rosslerEnd\": 70.0,"
            + " \"lossStart\": 20, \"sequencesPerFile\": 50, \"testFile\": 3}";

    @Override
    protected Task task() {
        return new LorenzRosslerTask(null);
    }

    @Override
    protected PluginParams smallParams() {
        return TestParams.of(SMALL);
    }

    @Override
    protected PluginParams invalidParams() {
        return TestParams.of("{\"samples\": 100, \"drop\": 100}");
    }

    private static LorenzRosslerTask.Instance instance(String json, long init) {
        return (LorenzRosslerTask.Instance) new LorenzRosslerTask(null)
                .create(TestParams.of(json), TestParams.context(DataType.DOUBLE), Rng.of(init));
    }

    /**
     * The Dormand–Prince 5(4) dense output at rtol 1e-3, atol 1e-6 against an independent
     * Gragg–Bulirsch–Stoer solution at 1e-12, on Lorenz over [0, 2] at the reference's sample
     * spacing (100/13 999). Each step keeps its local error estimate within rtol·|y| + atol (RMS
     * over the variables); over 2 time units the flow stretches errors by at most e^(λ·2) with
     * Lorenz's leading Lyapunov exponent λ ≈ 0.9, and the ~100 steps add up: the global error is
     * bounded by 100 × e^1.8 ≈ 600 times the tolerance, and must stay below it, while a bound 10×
     * tighter than the tolerance itself must fail (the integrator does not over-solve).
     */
    @Test
    void integratorMatchesAHighAccuracyReferenceWithinItsTolerance() {
        var lorenz = Trajectories.lorenz(10, 28, 8.0 / 3.0);
        double[] y0 = {0.3, 0.6, 0.9};
        int samples = 281;
        double end = 280 * 100.0 / 13_999;
        double[][] dp = Trajectories.sample(lorenz, y0, end, samples, 1e-3, 1e-6);
        double[][] ref = Trajectories.sample(
                new GraggBulirschStoerIntegrator(1e-12, end, 1e-12, 1e-12), lorenz, y0, end, samples);
        double worst = 0;
        for (int i = 0; i < samples; i++) {
            for (int k = 0; k < 3; k++) {
                double tol = 1e-3 * Math.abs(ref[i][k]) + 1e-6;
                worst = Math.max(worst, Math.abs(dp[i][k] - ref[i][k]) / tol);
            }
        }
        assertEquals(y0[0], dp[0][0], 0.0);
        assertTrue(worst < 600, "global error " + worst + " × the tolerance");
        assertTrue(worst > 0.1, "rtol 1e-3 must not give a near-exact solution, found " + worst + " × the tolerance");
    }

    @Test
    void everyVariableIsScaledToZeroOneOverAllSamplesBeforeTheDrop() {
        SeparationData data = new SeparationData(TestParams.of(SMALL).as(LorenzRosslerParams.class));
        SeparationData.Raw raw = data.raw(1, 4);
        double[][] l = raw.lorenz();
        double[] min = {1e9, 1e9, 1e9};
        double[] max = {-1e9, -1e9, -1e9};
        for (double[] row : l) {
            for (int k = 0; k < 3; k++) {
                min[k] = Math.min(min[k], row[k]);
                max[k] = Math.max(max[k], row[k]);
            }
        }
        double[] lor = new double[1000 * 3];
        double[] ros = new double[1000 * 3];
        data.sequence(1, 4, lor, ros, 0);
        for (int t = 0; t < 1000; t += 37) {
            for (int k = 0; k < 3; k++) {
                double expected = (l[400 + t][k] - min[k]) / (max[k] - min[k]);
                assertEquals(expected, lor[t * 3 + k], 1e-12);
            }
        }
        for (double v : ros) {
            assertTrue(v >= 0 && v <= 1, "scaled values in [0, 1]");
        }
        // the initial condition is U(0, 1)³ and the trajectory starts there
        for (int k = 0; k < 3; k++) {
            assertTrue(raw.lorenz0()[k] >= 0 && raw.lorenz0()[k] < 1);
            assertEquals(raw.rossler0()[k], raw.rossler()[0][k], 0.0);
        }
    }

    /**
     * METHOD.md §3b [computed]: after the drop, Lorenz means ≈ (0.48, 0.47, 0.48) with values in
     * about [0, 0.98]; Rössler means ≈ (0.45, 0.53, 0.04) in [0, 1], its z spiky with std ≈ 0.13.
     * Over 16 full-size sequences (14 000 samples, 4 000 dropped).
     */
    @Test
    void fullSizeSequencesHaveTheReferenceRangesAndMeans() {
        SeparationData data = new SeparationData(TestParams.empty().as(LorenzRosslerParams.class));
        int n = 16;
        int len = 10_000;
        double[] lor = new double[n * len * 3];
        double[] ros = new double[n * len * 3];
        for (int i = 0; i < n; i++) {
            data.sequence(1, i, lor, ros, i * len * 3);
        }
        double[] lm = mean(lor);
        double[] rm = mean(ros);
        double[] expectL = {0.48, 0.47, 0.48};
        double[] expectR = {0.45, 0.53, 0.04};
        for (int k = 0; k < 3; k++) {
            assertEquals(expectL[k], lm[k], 0.03, "Lorenz mean of variable " + k);
            assertEquals(expectR[k], rm[k], 0.03, "Rössler mean of variable " + k);
        }
        double var = 0;
        for (int r = 0; r < n * len; r++) {
            var += (ros[r * 3 + 2] - rm[2]) * (ros[r * 3 + 2] - rm[2]);
        }
        assertEquals(0.13, Math.sqrt(var / (n * len)), 0.03, "Rössler z std");
        double lmax = 0;
        for (double v : lor) {
            lmax = Math.max(lmax, v);
        }
        assertTrue(lmax < 1.0 && lmax > 0.9, "Lorenz maximum after the drop " + lmax);
    }

    private static double[] mean(double[] v) {
        double[] m = new double[3];
        for (int r = 0; r < v.length / 3; r++) {
            for (int k = 0; k < 3; k++) {
                m[k] += v[r * 3 + k];
            }
        }
        for (int k = 0; k < 3; k++) {
            m[k] /= v.length / 3.0;
        }
        return m;
    }

    @Test
    void aSequenceIsAPureFunctionOfDataSeedFileAndIndex() {
        SeparationData a = new SeparationData(TestParams.of(SMALL).as(LorenzRosslerParams.class));
        SeparationData b = new SeparationData(TestParams.of(SMALL).as(LorenzRosslerParams.class));
        SeparationData other = new SeparationData(
                TestParams.of(SMALL.replace("}", ", \"dataSeed\": 7}")).as(LorenzRosslerParams.class));
        assertTrue(java.util.Arrays.equals(seq(a, 2, 5), seq(b, 2, 5)), "the same sequence from two instances");
        assertTrue(!java.util.Arrays.equals(seq(a, 2, 5), seq(a, 2, 6)), "another index");
        assertTrue(!java.util.Arrays.equals(seq(a, 2, 5), seq(a, 1, 5)), "another file");
        assertTrue(!java.util.Arrays.equals(seq(a, 2, 5), seq(other, 2, 5)), "another data seed");
    }

    private static double[] seq(SeparationData d, int file, int index) {
        double[] l = new double[3000];
        double[] r = new double[3000];
        d.sequence(file, index, l, r, 0);
        double[] both = java.util.Arrays.copyOf(l, 6000);
        System.arraycopy(r, 0, both, 3000, 3000);
        return both;
    }

    @Test
    void inputIsTheSumAndTargetBothSignalsTestIsTheTestFilesFirstSequences() {
        LorenzRosslerTask.Instance t = instance(SMALL, 1);
        TaskBatch test = t.sample(3, new Draw(TaskInstance.Split.TEST, 4, 10), Rng.of(1));
        TaskBatch again = t.sample(3, new Draw(TaskInstance.Split.TEST, 9, 10), Rng.of(99));
        assertEquals(test.targets(), again.targets(), "the test batch does not depend on the stream or epoch");
        assertEquals(0, test.transientSteps());
        assertEquals(20, test.lossStart());
        SeparationData data = new SeparationData(TestParams.of(SMALL).as(LorenzRosslerParams.class));
        double[] expected = seq(data, 3, 2); // testFile 3, third sequence
        for (int s = 0; s < 1000; s += 111) {
            for (int k = 0; k < 3; k++) {
                double l = expected[s * 3 + k];
                double r = expected[3000 + s * 3 + k];
                assertEquals(l, test.targets().getDouble(2, s, k), 1e-12);
                assertEquals(r, test.targets().getDouble(2, s, 3 + k), 1e-12);
                assertEquals(l + r, test.inputs().getDouble(2, s, k), 1e-12);
            }
        }
    }

    /** gru_training.py:89, 184-190: 200 epochs, 100 per file: file 1 or 2, each for 100 epochs, order per run. */
    @Test
    void eachEpochTrainsOnOneFileChosenByAPermutationOfTheEpochs() {
        LorenzRosslerTask.Instance t = instance("{}", 1);
        LorenzRosslerTask.Instance u = instance("{}", 2);
        assertEquals(1, t.trainingFile(new Draw(TaskInstance.Split.TRAIN, 0, 200)), "pre-training on file 1");
        int[] count = new int[3];
        boolean differ = false;
        for (int e = 1; e <= 200; e++) {
            int f = t.trainingFile(new Draw(TaskInstance.Split.TRAIN, e, 200));
            count[f]++;
            differ |= f != u.trainingFile(new Draw(TaskInstance.Split.TRAIN, e, 200));
        }
        assertEquals(100, count[1]);
        assertEquals(100, count[2]);
        assertTrue(differ, "the order of the files depends on the run's stream");
        // 1000 epochs visit files 1..10
        int max = 0;
        for (int e = 1; e <= 1000; e++) {
            max = Math.max(max, t.trainingFile(new Draw(TaskInstance.Split.TRAIN, e, 1000)));
        }
        assertEquals(10, max);
    }

    @Test
    void trainingBatchesDrawWithReplacementFromTheEpochsFile() {
        String tiny = SMALL.replace("\"sequencesPerFile\": 50", "\"sequencesPerFile\": 3");
        LorenzRosslerTask.Instance t = instance(tiny, 1);
        TaskBatch b = t.sample(8, new Draw(TaskInstance.Split.TRAIN, 0, 5), Rng.of(4));
        // 8 draws from 3 sequences repeat some
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (int k = 0; k < 8; k++) {
            distinct.add(b.targets()
                    .get(NDArrayIndex.point(k), NDArrayIndex.point(500), NDArrayIndex.all())
                    .toString());
        }
        assertTrue(distinct.size() <= 3, "at most 3 different sequences, found " + distinct.size());
        TaskBatch c = t.sample(8, new Draw(TaskInstance.Split.TRAIN, 0, 5), Rng.of(5));
        assertNotEquals(b.targets(), c.targets());
    }

    /** R² by hand: y = 1, 2, 3, 4 and ŷ = 1, 2, 3, 5 give 1 − 1/5 = 0.8 for every output. */
    @Test
    void rSquaredPerOutputAndMeanByHand() {
        LorenzRosslerTask.Instance t = instance(SMALL, 1);
        INDArray y = Nd4j.create(DataType.DOUBLE, 1, 4, 6);
        INDArray z = Nd4j.create(DataType.DOUBLE, 1, 4, 6);
        for (int s = 0; s < 4; s++) {
            for (int k = 0; k < 6; k++) {
                y.putScalar(new long[] {0, s, k}, s + 1 + 10 * k);
                z.putScalar(new long[] {0, s, k}, (s == 3 ? 5 : s + 1) + 10 * k);
            }
        }
        z.putScalar(new long[] {0, 0, 5}, 1 + 50); // output 5 is perfect but for step 3 too
        z.putScalar(new long[] {0, 3, 5}, 4 + 50);
        Map<String, Double> s = t.score(new TaskBatch(Nd4j.zeros(DataType.DOUBLE, 1, 4, 3), y, 0, 0), z);
        assertEquals(0.8, s.get("r2_0"), 1e-12);
        assertEquals(1.0, s.get("r2_5"), 1e-12);
        assertEquals((5 * 0.8 + 1.0) / 6, s.get("r2_mean"), 1e-12);
        assertEquals("r2_mean", t.metrics().get(0).name());
    }

    /** mio sample: the raw trajectories and initial conditions behind a batch, consistent with it. */
    @Test
    void sampleDetailsHoldTheRawDataBehindTheBatch() {
        LorenzRosslerTask.Instance t = instance(SMALL, 1);
        Draw draw = new Draw(TaskInstance.Split.TRAIN, 0, 5);
        Map<String, INDArray> d = t.sampleDetails(2, draw, Rng.of(9));
        TaskBatch b = t.sample(2, draw, Rng.of(9));
        assertEquals(b.targets(), d.get("targets"), "the same batch as sample() with the same stream");
        assertEquals(
                List.of(
                        "inputs",
                        "targets",
                        "file",
                        "sequence",
                        "lorenz_initial",
                        "rossler_initial",
                        "lorenz_raw",
                        "rossler_raw"),
                List.copyOf(d.keySet()));
        assertEquals(1, d.get("file").getInt(0));
        INDArray raw = d.get("lorenz_raw"); // [2, 1400, 3]
        assertEquals(1400, raw.size(1));
        for (int k = 0; k < 3; k++) {
            assertEquals(d.get("lorenz_initial").getDouble(1, k), raw.getDouble(1, 0, k), 0.0);
            double min = raw.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.point(k))
                    .minNumber()
                    .doubleValue();
            double max = raw.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.point(k))
                    .maxNumber()
                    .doubleValue();
            // the target of step 10 is the scaled raw sample 400 + 10
            assertEquals(
                    (raw.getDouble(1, 410, k) - min) / (max - min), b.targets().getDouble(1, 10, k), 1e-12);
        }
    }

    /**
     * The cache changes no number: batches drawn with the cache (hits after the first draws) and
     * without it are equal bit for bit, in float32 and in float64; a cache with room for one
     * sequence evicts the older one.
     */
    @Test
    void theSequenceCacheChangesNoNumber() {
        String json = SMALL.replace("\"sequencesPerFile\": 50", "\"sequencesPerFile\": 4");
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            long one = Sequence.bytes(1000, type);
            String[] variants = {
                json, // the default budget: everything fits
                json.replace("}", ", \"cacheMiB\": 0}"),
            };
            java.util.List<INDArray> inputs = new java.util.ArrayList<>();
            java.util.List<INDArray> targets = new java.util.ArrayList<>();
            for (int v = 0; v < 2; v++) {
                var task = (LorenzRosslerTask.Instance) new LorenzRosslerTask(null)
                        .create(TestParams.of(variants[v]), TestParams.context(type, 2), Rng.of(1));
                Rng draws = Rng.of(9);
                for (int d = 0; d < 3; d++) {
                    TaskBatch b = task.sample(6, new Draw(TaskInstance.Split.TRAIN, 1, 1), draws);
                    assertEquals(type, b.inputs().dataType());
                    inputs.add(b.inputs());
                    targets.add(b.targets());
                }
                if (v == 0) {
                    // 18 draws from 4 sequences: all of them cached
                    assertEquals(4, task.cachedSequences(), type + ": cached sequences");
                }
            }
            // draws 0..2 with the cache, 3..5 without: alike
            for (int d = 0; d < 3; d++) {
                assertEquals(inputs.get(3 + d), inputs.get(d), type + ": inputs of draw " + d);
                assertEquals(targets.get(3 + d), targets.get(d), type + ": targets of draw " + d);
            }
            // room for one sequence: every draw evicts, still the same numbers
            SequenceCache tiny = new SequenceCache(one, one);
            assertEquals(1, tiny.capacity());
            var first = Sequence.of(new double[] {0.1, 0.2, 0.3}, new double[] {0.4, 0.5, 0.6}, type);
            tiny.put(1, 0, first);
            tiny.put(1, 1, first);
            assertEquals(1, tiny.size());
            assertEquals(null, tiny.get(1, 0));
        }
        // float32: every value rounded once from its float64, as a cast of the float64 batch
        var s = Sequence.of(new double[] {0.1, 0.7, 1e-9}, new double[] {0.2, 0.3, 1.0 / 3}, DataType.FLOAT);
        assertEquals((float) (0.1 + 0.2), s.inputs32()[0]);
        assertEquals((float) (1e-9 + 1.0 / 3), s.inputs32()[2]);
        assertEquals((float) (1.0 / 3), s.targets32()[5]);
    }

    /**
     * The cache is declared as one array per sequence (a large budget is not one huge array) and
     * never takes more than a quarter of the heap, whatever {@code cacheMiB} asks.
     */
    @Test
    void theCacheIsBoundedByAQuarterOfTheHeap() {
        var task = (LorenzRosslerTask.Instance) new LorenzRosslerTask(null)
                .create(
                        TestParams.of(SMALL.replace("}", ", \"cacheMiB\": 1000000}")),
                        TestParams.context(DataType.FLOAT),
                        Rng.of(1));
        var cache = task.footprint(20).parts().stream()
                .filter(part -> part.what().startsWith("generated sequences"))
                .findFirst()
                .orElseThrow();
        long quarter = Runtime.getRuntime().maxMemory() / 4;
        assertTrue(cache.bytes() <= quarter, cache.bytes() + " bytes declared, a quarter of the heap is " + quarter);
        assertTrue(cache.bytes() > quarter / 2, "the cache takes what it may: " + cache.bytes());
        assertEquals(9L * 1000, cache.elements(), "one array of 9 values per step and sequence");
        var off = (LorenzRosslerTask.Instance) new LorenzRosslerTask(null)
                .create(
                        TestParams.of(SMALL.replace("}", ", \"cacheMiB\": 0}")),
                        TestParams.context(DataType.FLOAT),
                        Rng.of(1));
        assertEquals(
                0,
                off.footprint(20).parts().stream()
                        .filter(part -> part.what().startsWith("generated sequences"))
                        .mapToLong(Footprint.Part::bytes)
                        .sum(),
                "no cache, no memory");
    }
}
