package org.mio.plugins.wm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mio.api.annotations.TaskKind;
import org.mio.api.figure.Figure;
import org.mio.api.figure.Plot;
import org.mio.api.figure.Range;
import org.mio.api.figure.Series;
import org.mio.api.figure.Style;
import org.mio.api.figure.XYPlot;
import org.mio.api.plugin.Footprint;
import org.mio.api.plugin.Metric;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.api.task.Task;
import org.mio.api.task.TaskBatch;
import org.mio.api.task.TaskInstance;
import org.mio.api.task.Trace;
import org.mio.numerics.Numerics;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The n-bit working-memory task of the paper (METHOD.md §3a; Tomoda et al., Fig. 1A): each bit
 * has an ON and an OFF input channel receiving random 40-step pulses; output m must hold +1 after
 * the last ON_m pulse and −1 after the last OFF_m pulse, reached by a ramp of slope 0.1 per step.
 * A fresh batch is generated at every call; there is no fixed data set.
 *
 * <p>Scores on the learning segment: {@code accuracy} = mean of [(z > 0) = (target > 0)] over
 * batch × time × bits (Keras BinaryAccuracy on (z+1)/2 against round((target+1)/2)), and
 * {@code accuracy_bit1 … accuracy_bitN} per bit.
 */
@Component
@TaskKind("working-memory")
public final class WorkingMemoryTask implements Task {

    /** @param numerics ND4J must be ready before batches are made */
    @Activate
    public WorkingMemoryTask(@Reference Numerics numerics) {
        // the reference only orders activation after ND4J's initialization
    }

    @Override
    public TaskInstance create(PluginParams params, PluginContext context) {
        return new Instance(params.as(WorkingMemoryParams.class), context.dataType());
    }

    static final class Instance implements TaskInstance {
        private final WorkingMemoryParams p;
        private final WorkingMemoryGenerator generator;
        private final DataType type;

        Instance(WorkingMemoryParams p, DataType type) {
            this.p = p;
            this.generator = new WorkingMemoryGenerator(p);
            this.type = type;
        }

        @Override
        public int inputSize() {
            return 2 * p.bits();
        }

        @Override
        public int outputSize() {
            return p.bits();
        }

        @Override
        public long steps() {
            return (long) p.transientSteps() + p.learningSteps();
        }

        @Override
        public Footprint footprint(int batchSize) {
            String field = p.learningSteps() >= p.transientSteps() ? "learningSteps" : "transientSteps";
            Object value = field.equals("learningSteps") ? p.learningSteps() : p.transientSteps();
            long channels = (long) inputSize() + outputSize();
            return Footprint.of(
                    Footprint.heap("inputs and targets of a batch", field, value, 4, 1, batchSize, steps(), channels),
                    Footprint.nd4j(
                            "inputs and targets of a batch", field, value, type, 2, batchSize, steps(), channels));
        }

        @Override
        public TaskBatch sample(int batchSize, Split split, Rng rng) {
            int total = p.totalSteps();
            int in = inputSize();
            int out = outputSize();
            float[] inputs = new float[batchSize * total * in];
            float[] targets = new float[batchSize * total * out];
            float[][] seqIn = new float[total][in];
            float[][] seqOut = new float[total][out];
            for (int b = 0; b < batchSize; b++) {
                for (float[] row : seqIn) {
                    java.util.Arrays.fill(row, 0f);
                }
                generator.sequence(generator.onsets(rng), seqIn, seqOut);
                for (int t = 0; t < total; t++) {
                    System.arraycopy(seqIn[t], 0, inputs, (b * total + t) * in, in);
                    System.arraycopy(seqOut[t], 0, targets, (b * total + t) * out, out);
                }
            }
            INDArray x =
                    Nd4j.create(inputs, new long[] {batchSize, total, in}, 'c').castTo(type);
            INDArray y = Nd4j.create(targets, new long[] {batchSize, total, out}, 'c')
                    .castTo(type);
            return new TaskBatch(x, y, p.transientSteps(), 0);
        }

        @Override
        public Map<String, Double> score(TaskBatch batch, INDArray outputs) {
            int bits = p.bits();
            int batchSize = batch.batchSize();
            int learn = batch.learningSteps();
            if (outputs.size(0) != batchSize || outputs.size(1) != learn || outputs.size(2) != bits) {
                throw new IllegalArgumentException("outputs must be [" + batchSize + ", " + learn + ", " + bits
                        + "], found " + java.util.Arrays.toString(outputs.shape()));
            }
            double[] z = outputs.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            INDArray tgt = batch.targets()
                    .get(
                            org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(batch.transientSteps(), batch.time()),
                            org.nd4j.linalg.indexing.NDArrayIndex.all());
            double[] y = tgt.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            long[] correct = new long[bits];
            long counted = 0;
            for (int b = 0; b < batchSize; b++) {
                for (int t = batch.lossStart(); t < learn; t++) {
                    int base = (b * learn + t) * bits;
                    for (int m = 0; m < bits; m++) {
                        if ((z[base + m] > 0) == (y[base + m] > 0)) {
                            correct[m]++;
                        }
                    }
                    counted++;
                }
            }
            Map<String, Double> s = new LinkedHashMap<>();
            long all = 0;
            for (long c : correct) {
                all += c;
            }
            s.put("accuracy", (double) all / (counted * bits));
            for (int m = 0; m < bits; m++) {
                s.put("accuracy_bit" + (m + 1), (double) correct[m] / counted);
            }
            return s;
        }

        @Override
        public List<Metric> metrics() {
            List<Metric> m = new ArrayList<>();
            m.add(Metric.scalar(
                    "accuracy",
                    "fraction of output signs equal to the target's over the learning segment, all bits",
                    Metric.Direction.HIGHER));
            for (int b = 1; b <= p.bits(); b++) {
                m.add(Metric.scalar("accuracy_bit" + b, "sign accuracy of bit " + b, Metric.Direction.HIGHER));
            }
            return m;
        }

        /**
         * The paper's Fig. 4 for one sequence: per bit, the ON (+1) and OFF (−1) pulses, the
         * target and the network's output over the whole sequence, the transient shaded.
         */
        @Override
        public List<Figure> figures(Trace trace) {
            double[][] in = matrix(trace.inputs());
            double[][] target = matrix(trace.targets());
            double[][] out = matrix(trace.outputs());
            int time = Math.min(in.length, out.length);
            List<Plot> plots = new ArrayList<>();
            for (int m = 0; m < p.bits(); m++) {
                double[] pulses = new double[time];
                double[] tgt = new double[time];
                double[] z = new double[time];
                for (int t = 0; t < time; t++) {
                    pulses[t] = in[t][2 * m] - in[t][2 * m + 1];
                    tgt[t] = target[t][m];
                    z[t] = out[t][m];
                }
                XYPlot plot = XYPlot.of("Bit " + (m + 1), "time step", "value")
                        .with(Series.indexed(
                                "ON (+1) / OFF (−1) pulses",
                                pulses,
                                Style.LINE.color("#9a9a9a").width(1.0)))
                        .with(Series.indexed(
                                "target",
                                tgt,
                                Style.LINE.color("#000000").width(1.4).withDashes()))
                        .with(Series.indexed(
                                "output",
                                z,
                                Style.LINE.color(m == 0 ? "#d62728" : "#1f77b4").width(1.6)))
                        .ranges(new Range(0, Math.max(time - 1, 1)), new Range(-1.25, 1.25));
                if (trace.transientSteps() > 0) {
                    plot = plot.band(new XYPlot.Band(0, trace.transientSteps(), "transient (not in the loss)"));
                }
                plots.add(plot);
            }
            String name = String.format("task-epoch-%04d", trace.epoch());
            return List.of(Figure.grid(
                    name,
                    "Working-memory task, epoch " + trace.epoch() + " (one evaluation sequence)",
                    1,
                    plots,
                    1100,
                    260));
        }

        private static double[][] matrix(INDArray a) {
            return a.castTo(DataType.DOUBLE).toDoubleMatrix();
        }
    }
}
