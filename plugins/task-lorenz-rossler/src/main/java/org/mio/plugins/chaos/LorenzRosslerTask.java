package org.mio.plugins.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mio.api.annotations.TaskKind;
import org.mio.api.figure.Figure;
import org.mio.api.figure.Plot;
import org.mio.api.figure.Series;
import org.mio.api.figure.Style;
import org.mio.api.figure.XYPlot;
import org.mio.api.plugin.Footprint;
import org.mio.api.plugin.Metric;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.api.task.Draw;
import org.mio.api.task.Task;
import org.mio.api.task.TaskBatch;
import org.mio.api.task.TaskInstance;
import org.mio.api.task.Trace;
import org.mio.numerics.Numerics;
import org.mio.numerics.Threads;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The chaotic-signal separation task of the paper (METHOD.md §3b; Tomoda et al., Fig. 1B): the
 * input is the sum L + R of a normalized Lorenz and a normalized Rössler trajectory, the target
 * is both, [L, R] (outputs 0–2 Lorenz x, y, z; 3–5 Rössler x, y, z). Sequences come from
 * numbered data files as in the reference: a training batch draws {@code batchSize} sequences
 * with replacement from one file (file 1 for the estimator's pre-training, then the file of the
 * epoch), the test batch is the first sequences of the test file. No transient; the loss counts
 * from {@code lossStart}.
 *
 * <p>Scores over all steps of the batch: {@code r2_0 … r2_5}, the coefficient of determination
 * of each output, R²_k = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² over batch × time, and their mean
 * {@code r2_mean} (utils.py:288-295; the trial's success is r2_mean > 0.96).
 */
@Component
@TaskKind("lorenz-rossler")
public final class LorenzRosslerTask implements Task {
    /** Output names for figures, in output order. */
    static final String[] OUTPUTS = {"Lorenz x", "Lorenz y", "Lorenz z", "Rössler x", "Rössler y", "Rössler z"};

    /** @param numerics ND4J must be ready before batches are made */
    @Activate
    public LorenzRosslerTask(@Reference Numerics numerics) {
        // the reference only orders activation after ND4J's initialization
    }

    @Override
    public TaskInstance create(PluginParams params, PluginContext context) {
        return create(params, context, Rng.of(0));
    }

    @Override
    public TaskInstance create(PluginParams params, PluginContext context, Rng init) {
        return new Instance(
                params.as(LorenzRosslerParams.class), context.dataType(), context.threads(), init.nextLong());
    }

    static final class Instance implements TaskInstance {
        private final LorenzRosslerParams p;
        private final SeparationData data;
        private final SequenceCache cache;
        private final DataType type;
        private final int threads;
        private final long fileOrderSeed;
        private int[] fileOrder;

        Instance(LorenzRosslerParams p, DataType type, int threads, long fileOrderSeed) {
            this.p = p;
            this.data = new SeparationData(p);
            this.type = type;
            // at most a quarter of the Java heap, so a small -Xmx shrinks the cache instead of the run
            long budget =
                    Math.min((long) p.cacheMiB() << 20, Runtime.getRuntime().maxMemory() / 4);
            this.cache = new SequenceCache(budget, Sequence.bytes(p.length(), type));
            this.threads = Math.max(1, threads);
            this.fileOrderSeed = fileOrderSeed;
        }

        /** Sequences in the cache now (for tests). */
        int cachedSequences() {
            return cache.size();
        }

        @Override
        public long steps() {
            return p.length();
        }

        @Override
        public Footprint footprint(int batchSize) {
            // per batch: inputs (3) and targets (6) per step on the heap, then ND4J copies in
            // double and in the run's type; per thread: one integration; the cache when full
            long len = p.length();
            return Footprint.of(
                    Footprint.heap("inputs and targets of a batch", "samples", p.samples(), 8, 1, batchSize, len, 9),
                    Footprint.heap(
                            "generated sequences kept for reuse",
                            "cacheMiB",
                            p.cacheMiB(),
                            type == DataType.FLOAT ? 4 : 8,
                            Math.max(1, cache.capacity()),
                            cache.capacity() == 0 ? 0 : 9L * p.length()),
                    Footprint.nd4j(
                            "inputs and targets of a batch",
                            "samples",
                            p.samples(),
                            DataType.DOUBLE,
                            1,
                            batchSize,
                            len,
                            9),
                    Footprint.nd4j("inputs and targets of a batch", "samples", p.samples(), type, 1, batchSize, len, 9),
                    Footprint.heap(
                            "dense output of the integrations in flight",
                            "samples",
                            p.samples(),
                            8,
                            2 * threads,
                            p.samples(),
                            6));
        }

        @Override
        public int inputSize() {
            return 3;
        }

        @Override
        public int outputSize() {
            return 6;
        }

        /** Without the schedule: training batches from file 1, the test batch as always. */
        @Override
        public TaskBatch sample(int batchSize, Split split, Rng rng) {
            return sample(batchSize, new Draw(split, 0, 1), rng);
        }

        @Override
        public TaskBatch sample(int batchSize, Draw draw, Rng rng) {
            int[][] chosen = choose(batchSize, draw, rng);
            return batch(chosen[0], chosen[1], null);
        }

        /**
         * The batch with, per sequence, its file and index, the initial conditions and the
         * trajectories as integrated (before scaling and the drop), for {@code mio sample}.
         */
        @Override
        public Map<String, INDArray> sampleDetails(int batchSize, Draw draw, Rng rng) {
            int[][] chosen = choose(batchSize, draw, rng);
            SeparationData.Raw[] raws = new SeparationData.Raw[batchSize];
            TaskBatch b = batch(chosen[0], chosen[1], raws);
            Map<String, INDArray> out = new LinkedHashMap<>();
            out.put("inputs", b.inputs());
            out.put("targets", b.targets());
            out.put("file", Nd4j.createFromArray(chosen[0]));
            out.put("sequence", Nd4j.createFromArray(chosen[1]));
            double[][] l0 = new double[batchSize][];
            double[][] r0 = new double[batchSize][];
            double[][][] l = new double[batchSize][][];
            double[][][] r = new double[batchSize][][];
            for (int k = 0; k < batchSize; k++) {
                l0[k] = raws[k].lorenz0();
                r0[k] = raws[k].rossler0();
                l[k] = raws[k].lorenz();
                r[k] = raws[k].rossler();
            }
            out.put("lorenz_initial", Nd4j.createFromArray(l0));
            out.put("rossler_initial", Nd4j.createFromArray(r0));
            out.put("lorenz_raw", Nd4j.createFromArray(l));
            out.put("rossler_raw", Nd4j.createFromArray(r));
            return out;
        }

        /** The (file, index) of every sequence of a draw: the test file's first ones, or random ones of the epoch's file. */
        private int[][] choose(int batchSize, Draw draw, Rng rng) {
            int[] files = new int[batchSize];
            int[] index = new int[batchSize];
            if (draw.split() == Split.TEST) {
                for (int k = 0; k < batchSize; k++) {
                    files[k] = p.testFile();
                    index[k] = k % p.sequencesPerFile();
                }
            } else {
                int file = trainingFile(draw);
                for (int k = 0; k < batchSize; k++) {
                    files[k] = file;
                    index[k] = rng.nextInt(p.sequencesPerFile());
                }
            }
            return new int[][] {files, index};
        }

        /**
         * The file a training draw uses: file 1 at epoch 0 (the estimator's pre-training),
         * else {@code 1 + (π(e) − 1) / epochsPerFile} with π a permutation of 1..epochs fixed per
         * run (gru_training.py:89, 184-190).
         */
        int trainingFile(Draw draw) {
            if (draw.epoch() == 0) {
                return 1;
            }
            if (fileOrder == null || fileOrder.length != draw.epochs()) {
                fileOrder = Rng.of(fileOrderSeed).permutation(draw.epochs());
            }
            int pi = fileOrder[draw.epoch() - 1] + 1;
            return 1 + (pi - 1) / p.epochsPerFile();
        }

        /**
         * The batch of the given (file, index) pairs, generated in parallel over the run's threads.
         *
         * @param raws if not {@code null}, receives each sequence before scaling
         */
        TaskBatch batch(int[] files, int[] index, SeparationData.Raw[] raws) {
            int n = files.length;
            int len = p.length();
            Sequence[] seqs = new Sequence[n];
            int lanes = Math.min(threads, n);
            Threads.lanes(lanes, lane -> {
                for (int k = lane; k < n; k += lanes) {
                    Sequence s = raws == null ? cache.get(files[k], index[k]) : null;
                    if (s == null) {
                        double[] lorenz = new double[len * 3];
                        double[] rossler = new double[len * 3];
                        SeparationData.Raw raw = data.sequence(files[k], index[k], lorenz, rossler, 0);
                        if (raws != null) {
                            raws[k] = raw;
                        }
                        s = Sequence.of(lorenz, rossler, type);
                        cache.put(files[k], index[k], s);
                    }
                    seqs[k] = s;
                }
            });
            long[] inShape = {n, len, 3};
            long[] outShape = {n, len, 6};
            if (type == DataType.FLOAT) {
                float[] in = new float[n * len * 3];
                float[] out = new float[n * len * 6];
                for (int k = 0; k < n; k++) {
                    System.arraycopy(seqs[k].inputs32(), 0, in, k * len * 3, len * 3);
                    System.arraycopy(seqs[k].targets32(), 0, out, k * len * 6, len * 6);
                }
                return new TaskBatch(Nd4j.create(in, inShape, 'c'), Nd4j.create(out, outShape, 'c'), 0, p.lossStart());
            }
            double[] in = new double[n * len * 3];
            double[] out = new double[n * len * 6];
            for (int k = 0; k < n; k++) {
                System.arraycopy(seqs[k].inputs64(), 0, in, k * len * 3, len * 3);
                System.arraycopy(seqs[k].targets64(), 0, out, k * len * 6, len * 6);
            }
            INDArray x = Nd4j.create(in, inShape, 'c').castTo(type);
            INDArray y = Nd4j.create(out, outShape, 'c').castTo(type);
            return new TaskBatch(x, y, 0, p.lossStart());
        }

        @Override
        public Map<String, Double> score(TaskBatch batch, INDArray outputs) {
            int n = batch.batchSize();
            int len = batch.learningSteps();
            if (outputs.size(0) != n || outputs.size(1) != len || outputs.size(2) != 6) {
                throw new IllegalArgumentException("outputs must be [" + n + ", " + len + ", 6], found "
                        + java.util.Arrays.toString(outputs.shape()));
            }
            double[] z = outputs.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double[] y = batch.targets()
                    .get(
                            org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(batch.transientSteps(), batch.time()),
                            org.nd4j.linalg.indexing.NDArrayIndex.all())
                    .castTo(DataType.DOUBLE)
                    .dup('c')
                    .data()
                    .asDouble();
            int rows = n * len;
            Map<String, Double> s = new LinkedHashMap<>();
            double sum = 0;
            for (int k = 0; k < 6; k++) {
                double mean = 0;
                for (int r = 0; r < rows; r++) {
                    mean += y[r * 6 + k];
                }
                mean /= rows;
                double res = 0;
                double tot = 0;
                for (int r = 0; r < rows; r++) {
                    double e = y[r * 6 + k] - z[r * 6 + k];
                    double d = y[r * 6 + k] - mean;
                    res += e * e;
                    tot += d * d;
                }
                double r2 = tot > 0 ? 1 - res / tot : (res == 0 ? 1.0 : Double.NEGATIVE_INFINITY);
                s.put("r2_" + k, r2);
                sum += r2;
            }
            s.put("r2_mean", sum / 6);
            return s;
        }

        @Override
        public List<Metric> metrics() {
            List<Metric> m = new ArrayList<>();
            m.add(Metric.scalar(
                    "r2_mean",
                    "mean coefficient of determination of the six outputs over all steps",
                    Metric.Direction.HIGHER));
            for (int k = 0; k < 6; k++) {
                m.add(Metric.scalar(
                        "r2_" + k,
                        "coefficient of determination of output " + k + " (" + OUTPUTS[k] + ")",
                        Metric.Direction.HIGHER));
            }
            return m;
        }

        /** The test sequence's six outputs against their targets: Lorenz x, y, z, then Rössler x, y, z. */
        @Override
        public List<Figure> figures(Trace trace) {
            double[][] target = trace.targets().castTo(DataType.DOUBLE).toDoubleMatrix();
            double[][] out = trace.outputs().castTo(DataType.DOUBLE).toDoubleMatrix();
            int time = Math.min(target.length, out.length);
            int offset = target.length - time; // outputs cover the learning segment
            List<Plot> plots = new ArrayList<>();
            for (int k = 0; k < 6; k++) {
                double[] t = new double[time];
                double[] o = new double[time];
                for (int s = 0; s < time; s++) {
                    t[s] = target[offset + s][k];
                    o[s] = out[s][k];
                }
                XYPlot plot = XYPlot.of(OUTPUTS[k], "time step", "value")
                        .with(Series.indexed(
                                "target", t, Style.LINE.color("#000000").width(1.2)))
                        .with(Series.indexed(
                                "output",
                                o,
                                Style.LINE.color(k < 3 ? "#d62728" : "#1f77b4").width(1.0)))
                        .band(new XYPlot.Band(0, Math.min(p.lossStart(), time), "not in the loss"));
                plots.add(plot);
            }
            return List.of(Figure.grid(
                    String.format("task-epoch-%04d", trace.epoch()),
                    "Separation task, epoch " + trace.epoch() + " (first test sequence)",
                    3,
                    plots,
                    520,
                    260));
        }
    }
}
