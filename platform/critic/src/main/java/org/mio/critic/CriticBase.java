package org.mio.critic;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.Sampling;
import org.mio.numerics.Optimizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the critics share: the parameters by name with their gradients and phase-A optimizer,
 * the state round trip, the row count and the shape check. A critic implements {@link #run}.
 */
abstract class CriticBase implements Estimator {
    protected final String name;
    protected final CriticParams p;
    protected final DataType type;
    protected final int dx;
    protected final int dy;
    protected final Map<String, INDArray> params = new LinkedHashMap<>();
    protected final Map<String, INDArray> grads = new LinkedHashMap<>();
    private final Optimizer optimizer;

    CriticBase(String name, CriticParams p, DataType type, int dx, int dy) {
        this.name = name;
        this.p = p;
        this.type = type;
        this.dx = dx;
        this.dy = dy;
        this.optimizer = new Optimizer(p.optimizer());
    }

    /** Gives every parameter put so far a zero gradient of its shape; the constructor calls it last. */
    protected final void allocateGradients() {
        params.forEach((key, v) -> grads.put(key, Nd4j.zeros(type, v.shape())));
    }

    /**
     * One forward pass and, with {@code wantParams}, the backward pass into {@link #grads}
     * (∂(scale·Î)/∂θ).
     *
     * @return Î
     */
    abstract double run(INDArray x, INDArray y, Sampling sampling, double scale, boolean wantParams);

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
        return p.rows() == null ? total : Math.min(p.rows(), total);
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
