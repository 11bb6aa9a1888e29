package org.mio.critic;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.Sampling;
import org.mio.numerics.Optimizer;
import org.mio.numerics.OptimizerConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A base for estimators with trained parameters (the critics here; CLUB; a plugin's own): the
 * parameters by name with their gradients and phase-A optimizer, the state round trip, the row
 * subsampling count and the shape check. A subclass puts its parameters into {@link #params},
 * calls {@link #allocateGradients()} at the end of its constructor, and implements {@link #run}
 * and {@link #valueAndGradient}.
 */
public abstract class TrainedEstimator implements Estimator {
    /** The estimator's kind, for messages. */
    protected final String name;
    /** The data type of every tensor. */
    protected final DataType type;
    /** Columns of X. */
    protected final int dx;
    /** Columns of Y. */
    protected final int dy;
    /** The trainable tensors by name, in a fixed order. */
    protected final Map<String, INDArray> params = new LinkedHashMap<>();
    /** ∂(scale·objective)/∂θ of the last {@link #run} with {@code wantParams}, same names and shapes. */
    protected final Map<String, INDArray> grads = new LinkedHashMap<>();

    private final Integer rows;
    private final Optimizer optimizer;

    /**
     * @param name the estimator's kind, for messages
     * @param optimizer phase A's optimizer
     * @param rows the most rows a call uses (a random subset of S), or {@code null} for all
     * @param type the data type of every tensor
     * @param dx columns of X
     * @param dy columns of Y
     */
    protected TrainedEstimator(String name, OptimizerConfig optimizer, Integer rows, DataType type, int dx, int dy) {
        this.name = name;
        this.rows = rows;
        this.type = type;
        this.dx = dx;
        this.dy = dy;
        this.optimizer = new Optimizer(optimizer);
    }

    /** Gives every parameter put so far a zero gradient of its shape; the constructor calls it last. */
    protected final void allocateGradients() {
        params.forEach((key, v) -> grads.put(key, Nd4j.zeros(type, v.shape())));
    }

    /**
     * One forward pass and, with {@code wantParams}, the backward pass into {@link #grads} of
     * scale times the objective phase A ascends (Î itself for most estimators).
     *
     * @return Î
     */
    protected abstract double run(INDArray x, INDArray y, Sampling sampling, double scale, boolean wantParams);

    @Override
    public double estimate(INDArray x, INDArray y, Sampling sampling) {
        return run(x, y, sampling, 1.0, false);
    }

    @Override
    public double trainStep(INDArray x, INDArray y, Sampling sampling) {
        // maximize Î: the optimizer minimizes −Î
        double value = run(x, y, sampling, -1.0, true);
        optimizer.step(params, grads);
        return value;
    }

    /** ∂Î/∂θ for every parameter (copies), without an update; for checks and the grad command. */
    @Override
    public Map<String, INDArray> parameterGradients(INDArray x, INDArray y, Sampling sampling) {
        run(x, y, sampling, 1.0, true);
        Map<String, INDArray> out = new LinkedHashMap<>();
        grads.forEach((key, g) -> out.put(key, g.dup()));
        return out;
    }

    @Override
    public int rowsUsed(int total) {
        return rows == null ? total : Math.min(rows, total);
    }

    /** The rows S of X and Y, after checking that they are [S, dx] and [S, dy]. */
    protected final int checkedRows(INDArray x, INDArray y) {
        int total = (int) x.size(0);
        if (x.rank() != 2 || y.rank() != 2 || y.size(0) != total || x.size(1) != dx || y.size(1) != dy) {
            throw new IllegalArgumentException(name + ": X must be [S, " + dx + "] and Y [S, " + dy + "], found "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(y.shape()));
        }
        return total;
    }

    /**
     * The rows of a call with their noise ({@link RowSubset#draw}), after the shape check.
     *
     * @param noise σ of the input noise, applied unless the sampling or {@code noiseMode}
     *     ({@code none}) turns it off
     */
    protected final RowSubset.Drawn drawRows(
            INDArray x, INDArray y, Sampling s, double noise, String noiseMode, int threads) {
        int total = checkedRows(x, y);
        double sigma = s.noise() && !noiseMode.equals("none") ? noise : 0.0;
        return RowSubset.draw(name, s, x, y, rowsUsed(total), sigma, threads);
    }

    @Override
    public Map<String, INDArray> parameters() {
        return params;
    }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        params.forEach((key, v) -> s.put(key, v.dup()));
        optimizer.state().forEach((key, v) -> s.put("optimizer/" + key, v));
        return s;
    }

    @Override
    public void restoreState(Map<String, INDArray> state) {
        for (var e : params.entrySet()) {
            INDArray v = state.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException(name + " state has no parameter " + e.getKey());
            }
            if (!Arrays.equals(v.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException(
                        name + " state: " + e.getKey() + " has shape " + Arrays.toString(v.shape()) + ", expected "
                                + Arrays.toString(e.getValue().shape()));
            }
            e.getValue().assign(v.castTo(type));
        }
        Map<String, INDArray> opt = new LinkedHashMap<>();
        state.forEach((key, v) -> {
            if (key.startsWith("optimizer/")) {
                opt.put(key.substring("optimizer/".length()), v);
            }
        });
        if (!opt.isEmpty()) {
            optimizer.restoreState(opt);
        }
    }
}
