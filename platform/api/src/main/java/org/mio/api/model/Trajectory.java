package org.mio.api.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The result of {@link Network#forward}: outputs and activities at every step. Arrays are owned
 * by the trajectory; callers must not modify them.
 */
@ConsumerType
public interface Trajectory extends AutoCloseable {

    /** Outputs {@code [batch, time, outputSize]}. */
    INDArray outputs();

    /**
     * The hidden activity the mutual-information estimator sees, {@code [batch, time,
     * activitySize]}: {@code r = tanh(x)} for the leaky RNN, {@code h} for the GRU.
     */
    INDArray activity();

    /**
     * The hidden activity the correlation analyses use, {@code [batch, time, activitySize]}:
     * the pre-activation state {@code x} for the leaky RNN, {@code h} for the GRU. Defaults to
     * {@link #activity()}.
     */
    default INDArray analysisActivity() {
        return activity();
    }

    /** The state after the last step, {@code [batch, stateSize]}, to continue the sequence. */
    INDArray finalState();

    /**
     * Frees the native memory of the arrays this trajectory returned, except the final state,
     * now rather than when the garbage collector finds them; they must not be used afterwards.
     * The trainer closes every trajectory once its step is done: a {@code sep-paper} phase-B
     * trajectory holds 1 GB, and between two collections dozens of them would pile up. The
     * default keeps everything for the collector.
     */
    @Override
    default void close() {}
}
