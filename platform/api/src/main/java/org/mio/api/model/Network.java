package org.mio.api.model;

import java.util.Map;
import org.mio.api.plugin.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The network of one run: its weights, a forward pass over a sequence and its exact gradient.
 * Row-vector convention ({@code x·W}); tensors are {@code [batch, time, units]}. Used by one
 * thread at a time.
 *
 * <p>Call order for a training step: {@link #forward} with {@code keepForBackward = true}, then
 * {@link #backward} on the returned trajectory at most once, then the caller updates
 * {@link #parameters()} in place. A trajectory is invalid once parameters change.
 */
@ConsumerType
public interface Network {

    /** Input channels per step. */
    int inputSize();

    /** Output channels per step. */
    int outputSize();

    /** Width of the recurrent state carried between segments ({@code [batch, stateSize]}). */
    int stateSize();

    /** Width of the hidden activity ({@link Trajectory#activity()}), the units the groups index. */
    int activitySize();

    /**
     * The two predefined unit groups whose mutual information is minimized, as column indices
     * of {@link Trajectory#activity()} (e.g. units 0..19 and 20..39 of the leaky RNN).
     */
    UnitGroups groups();

    /**
     * The trainable tensors by name, in a fixed order, live: the trainer's optimizer updates
     * them in place and checkpoints read and restore them. Names are the ones gradients use,
     * e.g. {@code W_in, W_rec, b, W_out, b_out}. Analyzers must treat them as read-only.
     */
    Map<String, INDArray> parameters();

    /** The initial state of zeros, {@code [batch, stateSize]}. */
    INDArray zeroState(int batch);

    /**
     * Runs the network over a sequence.
     *
     * @param inputs {@code [batch, time, inputSize]}
     * @param initialState {@code [batch, stateSize]}; not modified
     * @param noise the stream of the model's internal noise, or {@code null} to run without it
     * @param keepForBackward whether to keep what {@link #backward} needs (costs memory)
     */
    Trajectory forward(INDArray inputs, INDArray initialState, Rng noise, boolean keepForBackward);

    /**
     * Exact backpropagation through time over a trajectory of {@link #forward} (with
     * {@code keepForBackward}). The initial state is a constant (no gradient flows into it), and
     * the internal noise of the forward pass is held fixed.
     *
     * @param trajectory what {@link #forward} returned
     * @param dOutputs ∂L/∂outputs, {@code [batch, time, outputSize]}, or {@code null} for zero
     * @param dActivity ∂L/∂activity at every step, {@code [batch, time, activitySize]}, or
     *     {@code null} for zero; this is where the mutual-information term enters
     * @return ∂L/∂parameter for every entry of {@link #parameters()}, same names and shapes
     */
    Map<String, INDArray> backward(Trajectory trajectory, INDArray dOutputs, INDArray dActivity);

    /**
     * The weight penalty (e.g. {@code 0.01·Σ‖W‖²}, Keras {@code l2} without ½) and its gradient.
     *
     * @param gradients if not {@code null}, the penalty's gradient is added into these tensors
     *     (the names of {@link #parameters()})
     * @return the penalty value
     */
    double regularization(Map<String, INDArray> gradients);

    /**
     * Floating-point operations (multiply and add counted separately) of {@link #forward} over
     * {@code batch × steps}, plus {@link #backward} when {@code withBackward}, for benchmarks that
     * report GFLOP/s; {@code NaN} if the model does not say (the default).
     */
    default double flops(int batch, long steps, boolean withBackward) {
        return Double.NaN;
    }
}
