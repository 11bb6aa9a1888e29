package org.mio.api.task;

import java.util.List;
import java.util.Map;
import org.mio.api.figure.Figure;
import org.mio.api.plugin.Footprint;
import org.mio.api.plugin.Metric;
import org.mio.api.plugin.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The task of one run. Used by one thread at a time.
 *
 * <p>Call order: {@link #inputSize()}/{@link #outputSize()} once, then any number of
 * {@link #sample} and {@link #score} calls.
 */
@ConsumerType
public interface TaskInstance {

    /** Input channels per time step ({@code units} of the inputs), at least 1. */
    int inputSize();

    /** Output channels per time step ({@code units} of the targets), at least 1. */
    int outputSize();

    /**
     * Time steps of one sequence, transient included, known before the first batch is drawn, for
     * the platform's memory estimate; 0 if the task does not say (the default).
     */
    default long steps() {
        return 0;
    }

    /**
     * The memory one batch holds: inputs, targets and what {@link #sample} keeps while it builds
     * them, estimated without allocating. Name the parameter that sets the sequence length as the
     * parts' field, so a batch too large to fit is reported by it. {@link Footprint#NONE} by
     * default.
     *
     * @param batchSize number of sequences
     */
    default Footprint footprint(int batchSize) {
        return Footprint.NONE;
    }

    /**
     * A batch of sequences. Tasks that generate data draw it from {@code rng} only, so the same
     * stream gives the same batch; tasks that read stored data use {@code rng} for the choice of
     * sequences.
     *
     * @param batchSize number of sequences, at least 1
     * @param split which data: {@link Split#TRAIN} for training steps, {@link Split#TEST} for
     *     evaluation; tasks without a held-out set treat both alike
     * @param rng the stream to draw from
     */
    TaskBatch sample(int batchSize, Split split, Rng rng);

    /**
     * A batch drawn at a known point of the schedule. The platform calls this method; tasks whose
     * data depend on the epoch (a data file per epoch, a curriculum) override it, others keep the
     * default, which ignores where the draw happens.
     *
     * @param batchSize number of sequences, at least 1
     * @param draw the split, the epoch and the run's epochs
     * @param rng the stream to draw from
     */
    default TaskBatch sample(int batchSize, Draw draw, Rng rng) {
        return sample(batchSize, draw.split(), rng);
    }

    /**
     * What a batch is made of, for users who check a task's data with their own tools
     * ({@code mio sample}): at least {@code inputs} and {@code targets}, equal to the batch
     * {@link #sample(int, Draw, Rng)} gives for the same arguments, and whatever else the task can
     * tell (data before normalization, initial conditions, which sequences were drawn), each an
     * array written as {@code <name>.npy}.
     *
     * @return name to array, {@code inputs} and {@code targets} first; by default only those
     */
    default Map<String, INDArray> sampleDetails(int batchSize, Draw draw, Rng rng) {
        TaskBatch b = sample(batchSize, draw, rng);
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        out.put("inputs", b.inputs());
        out.put("targets", b.targets());
        return out;
    }

    /**
     * Task metrics of outputs on a batch, e.g. {@code accuracy} for working memory or
     * {@code r2_0 … r2_5, r2_mean} for separation. Only the learning segment counts.
     *
     * @param batch the batch the outputs were computed on
     * @param outputs network outputs over the learning segment,
     *     {@code [batch, time − transientSteps, outputSize]}
     * @return metric name to value; names are stable across calls
     */
    Map<String, Double> score(TaskBatch batch, INDArray outputs);

    /**
     * The metrics {@link #score} returns, described for summaries, criteria and figures. Names
     * not listed here are still recorded; they are summarized without a direction.
     *
     * @return one entry per score name; none by default
     */
    default List<Metric> metrics() {
        return List.of();
    }

    /**
     * Figures of the task's dynamics on one evaluation sequence (inputs, targets and outputs over
     * time, transient marked). Called for the final snapshot at the end of a run and by
     * {@code mio figures} for any snapshot. Names must differ between snapshots, e.g.
     * {@code task-epoch-0100}.
     *
     * @param trace the sequence and the network's outputs on it
     * @return figures; none by default
     */
    default List<Figure> figures(Trace trace) {
        return List.of();
    }

    /** Which data a batch comes from. */
    enum Split {
        /** Training data. */
        TRAIN,
        /** Held-out evaluation data (the same distribution as TRAIN for generated tasks). */
        TEST
    }
}
