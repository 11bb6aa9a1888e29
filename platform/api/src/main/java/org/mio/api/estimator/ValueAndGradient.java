package org.mio.api.estimator;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An estimate and its gradient with respect to the two inputs. The gradients belong to the
 * caller: an estimator returns arrays it does not keep, and the caller may free them once used
 * (the trainer does, after adding them into the model's activity gradient).
 *
 * @param value Î(X;Y) in nats
 * @param dx ∂Î/∂X, {@code [S, dimX]}
 * @param dy ∂Î/∂Y, {@code [S, dimY]}
 */
public record ValueAndGradient(double value, INDArray dx, INDArray dy) {}
