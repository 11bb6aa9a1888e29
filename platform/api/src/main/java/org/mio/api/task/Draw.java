package org.mio.api.task;

import java.util.Objects;

/**
 * Where in the schedule a batch is drawn, for tasks whose data depend on it (the separation task
 * of METHOD.md §3b trains each epoch on one data file, chosen by a permutation of the epochs, and
 * pre-trains the estimator on the first file).
 *
 * @param split {@link TaskInstance.Split#TRAIN} for training steps, {@link TaskInstance.Split#TEST}
 *     for the evaluation at a snapshot
 * @param epoch 0 for the estimator's pre-training (before the first model step) and for the
 *     snapshot before training; {@code e} (1-based) for the steps and the snapshot of epoch e
 * @param epochs the run's number of epochs, at least 1
 */
public record Draw(TaskInstance.Split split, int epoch, int epochs) {

    /** Checks the ranges. */
    public Draw {
        Objects.requireNonNull(split, "split");
        if (epochs < 1 || epoch < 0 || epoch > epochs) {
            throw new IllegalArgumentException(
                    "a draw needs 0 ≤ epoch ≤ epochs and epochs ≥ 1, found epoch " + epoch + " of " + epochs);
        }
    }
}
