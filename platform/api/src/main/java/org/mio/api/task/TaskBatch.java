package org.mio.api.task;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch of sequences.
 *
 * <p>The first {@code transientSteps} steps are run without gradient to forget the initial
 * state (the working-memory task uses 1000); the remaining {@code time − transientSteps} steps
 * form the learning segment. Within the learning segment the task loss counts from step
 * {@code lossStart} on (0 for working memory; 200 for the separation task, whose loss skips
 * the GRU's warm-up).
 *
 * @param inputs {@code [batch, time, inputSize]}
 * @param targets {@code [batch, time, outputSize]}
 * @param transientSteps leading steps without gradient, {@code 0 ≤ transientSteps < time}
 * @param lossStart first step of the learning segment counted by the loss,
 *     {@code 0 ≤ lossStart < time − transientSteps}
 */
public record TaskBatch(INDArray inputs, INDArray targets, int transientSteps, int lossStart) {

    /** Checks shapes and ranges. */
    public TaskBatch {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(targets, "targets");
        if (inputs.rank() != 3 || targets.rank() != 3) {
            throw new IllegalArgumentException("inputs and targets must be [batch, time, units], found rank "
                    + inputs.rank() + " and " + targets.rank());
        }
        if (inputs.size(0) != targets.size(0) || inputs.size(1) != targets.size(1)) {
            throw new IllegalArgumentException("inputs " + java.util.Arrays.toString(inputs.shape()) + " and targets "
                    + java.util.Arrays.toString(targets.shape()) + " differ in batch or time");
        }
        long time = inputs.size(1);
        if (transientSteps < 0 || transientSteps >= time) {
            throw new IllegalArgumentException("transientSteps must be in [0, " + time + "), found " + transientSteps);
        }
        if (lossStart < 0 || lossStart >= time - transientSteps) {
            throw new IllegalArgumentException(
                    "lossStart must be in [0, " + (time - transientSteps) + "), found " + lossStart);
        }
    }

    /** Number of sequences. */
    public int batchSize() {
        return (int) inputs.size(0);
    }

    /** Total steps including the transient. */
    public int time() {
        return (int) inputs.size(1);
    }

    /** Steps of the learning segment, {@code time − transientSteps}. */
    public int learningSteps() {
        return time() - transientSteps;
    }
}
