package org.mio.api.task;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One evaluation sequence and the network's outputs over all of it, transient included; what a
 * task draws in its dynamics figure (the working-memory task's Fig. 4).
 *
 * @param epoch the snapshot epoch
 * @param inputs {@code [time, inputSize]}
 * @param targets {@code [time, outputSize]}
 * @param outputs {@code [time, outputSize]}
 * @param transientSteps leading steps without gradient
 */
public record Trace(int epoch, INDArray inputs, INDArray targets, INDArray outputs, int transientSteps) {}
