package org.mio.core.config;

import org.mio.numerics.OptimizerConfig;

/**
 * The alternating schedule of METHOD.md §5. One epoch is {@code modelStepsPerEpoch} repetitions
 * of ({@code estimatorSteps} phase-A steps, then one phase-B step). Working memory: 1 × (10 A +
 * 1 B); separation: 20 × (20 A + 1 B).
 *
 * @param epochs number of epochs, ≥ 1 (reference WM: 1000)
 * @param batchSize sequences per step, ≥ 1 (WM: 20)
 * @param lambdaMi λ, weight of the MI term in the model loss, ≥ 0; 0 is the control (the
 *     estimator is still trained and logged)
 * @param estimatorPretrainSteps phase-A steps before the first epoch, ≥ 0 (WM: 100)
 * @param estimatorSteps phase-A steps before each phase-B step, ≥ 0 (WM: 10)
 * @param modelStepsPerEpoch phase-B steps per epoch, ≥ 1; default 1
 * @param splitLength if set, the learning segment is cut into chunks of this many steps, each
 *     one optimizer step from the previous chunk's detached state (truncated BPTT); default: the
 *     whole segment
 * @param modelOptimizer the model's optimizer (WM: RMSprop lr 0.002, clipnorm 4.0)
 * @param initialStates initial state per phase; default as the reference
 * @param snapshotEvery weights and analyses every this many epochs, ≥ 1 (WM: 25); epoch 0 and
 *     the last epoch always
 * @param checkpointEvery a resumable checkpoint every this many epochs, ≥ 1; default
 *     {@code snapshotEvery}; the last epoch always
 * @param maxLoss a total loss above this (or NaN) stops the run as diverged; default 1e6
 * @param reevaluateEstimate also log {@code mi_reevaluated}: after the last estimator step before
 *     each model step, the estimate on that step's batch again, with the updated parameters and a
 *     new permutation, averaged over the epoch's model steps — the MI the separation reference
 *     logs (gru_training.py:207-209, 244; METHOD.md §4); default false. It draws from its own
 *     stream, so every other number of the run stays the same
 */
public record TrainingConfig(
        int epochs,
        int batchSize,
        double lambdaMi,
        int estimatorPretrainSteps,
        int estimatorSteps,
        Integer modelStepsPerEpoch,
        Integer splitLength,
        OptimizerConfig modelOptimizer,
        InitialStates initialStates,
        int snapshotEvery,
        Integer checkpointEvery,
        Double maxLoss,
        Boolean reevaluateEstimate) {

    /** Applies defaults and checks ranges. */
    public TrainingConfig {
        atLeast("epochs", epochs, 1);
        atLeast("batchSize", batchSize, 1);
        if (!(lambdaMi >= 0) || Double.isInfinite(lambdaMi)) {
            throw new IllegalArgumentException("lambdaMi must be a finite number ≥ 0, found " + lambdaMi);
        }
        atLeast("estimatorPretrainSteps", estimatorPretrainSteps, 0);
        atLeast("estimatorSteps", estimatorSteps, 0);
        modelStepsPerEpoch = modelStepsPerEpoch == null ? 1 : modelStepsPerEpoch;
        atLeast("modelStepsPerEpoch", modelStepsPerEpoch, 1);
        if (splitLength != null) {
            atLeast("splitLength", splitLength, 1);
        }
        if (modelOptimizer == null) {
            throw new IllegalArgumentException(
                    "modelOptimizer is required, e.g. {\"type\": \"rmsprop\", \"learningRate\": 0.002}");
        }
        initialStates = initialStates == null ? InitialStates.defaults() : initialStates;
        atLeast("snapshotEvery", snapshotEvery, 1);
        checkpointEvery = checkpointEvery == null ? snapshotEvery : checkpointEvery;
        atLeast("checkpointEvery", checkpointEvery, 1);
        maxLoss = maxLoss == null ? 1e6 : maxLoss;
        if (!(maxLoss > 0)) {
            throw new IllegalArgumentException("maxLoss must be > 0, found " + maxLoss);
        }
        reevaluateEstimate = reevaluateEstimate != null && reevaluateEstimate;
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be ≥ " + min + ", found " + value);
        }
    }
}
