package org.mio.api.estimator;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The mutual-information estimator of one run, in nats. Inputs are sample matrices
 * {@code X [S, dimX]} and {@code Y [S, dimY]} whose row {@code i} is one joint sample
 * (S = batch × time rows of the two unit groups). Used by one thread at a time. The inputs
 * belong to the caller, who may free them once a call has returned: an estimator that needs rows
 * later keeps a copy.
 *
 * <p>Call order in the alternating schedule: any number of {@link #trainStep} calls (phase A),
 * then {@link #valueAndGradient} (phase B) with the parameters frozen, repeated.
 */
@ConsumerType
public interface Estimator {

    /** The estimate Î(X;Y) without changing any parameter. */
    double estimate(INDArray x, INDArray y, Sampling sampling);

    /**
     * Phase A: one optimizer step that maximizes the estimate over the estimator's own
     * parameters.
     *
     * @return the estimate before the update
     */
    double trainStep(INDArray x, INDArray y, Sampling sampling);

    /**
     * Phase B: the estimate and its exact gradient with respect to both inputs, parameters
     * frozen. Sampling choices (permutation, noise) are held fixed, so the gradient is that of
     * the returned value.
     *
     * @return the value, ∂Î/∂X {@code [S, dimX]} and ∂Î/∂Y {@code [S, dimY]}
     */
    ValueAndGradient valueAndGradient(INDArray x, INDArray y, Sampling sampling);

    /** The three calls, for {@link #flops}. */
    enum Call {
        /** {@link #estimate}. */
        ESTIMATE,
        /** {@link #trainStep}. */
        TRAIN_STEP,
        /** {@link #valueAndGradient}. */
        VALUE_AND_GRADIENT
    }

    /**
     * Floating-point operations of one call on {@code rows} samples, for benchmarks that report
     * GFLOP/s; {@code NaN} if the estimator does not say (the default).
     */
    default double flops(long rows, Call call) {
        return Double.NaN;
    }

    /**
     * How many of {@code rows} samples a call uses: all of them (the default), or a subset for an
     * estimator that subsamples rows (MINE with {@code rows}). The length of
     * {@link Sampling#rows()} and {@link Sampling#permutation()} when they are given.
     *
     * @param rows S, the rows of X and Y
     */
    default int rowsUsed(int rows) {
        return rows;
    }

    /**
     * ∂Î/∂θ for every trainable parameter at the current parameters, without an update: the
     * gradient of the objective phase A ascends (the optimizer steps along it), for comparisons
     * with other implementations. Sampling as in {@link #trainStep}.
     *
     * @return parameter name to gradient (same shape); empty by default (not offered)
     */
    default Map<String, INDArray> parameterGradients(INDArray x, INDArray y, Sampling sampling) {
        return Map.of();
    }

    /**
     * Whether {@link #trainStep} changes anything. The trainer skips the phase-A steps of an
     * estimator that is not trainable (its pre-training, and all but the last step before each
     * model step, whose estimate it records), which gives the same results for a fraction of the
     * rollouts. By default, whether {@link #parameters()} holds any tensor.
     */
    default boolean trainable() {
        return !parameters().isEmpty();
    }

    /**
     * The trainable tensors by name, live (e.g. {@code Wx, bx, Wy, by, W2, b2, w3, b3}). May be
     * empty for estimators without parameters.
     */
    Map<String, INDArray> parameters();

    /**
     * Everything needed to continue exactly: parameters and optimizer state, as copies keyed by
     * name. {@link #restoreState} of this map reproduces the estimator.
     */
    Map<String, INDArray> state();

    /**
     * Restores a {@link #state()}.
     *
     * @throws IllegalArgumentException naming the entry if a name is missing or a shape differs
     */
    void restoreState(Map<String, INDArray> state);
}
