package org.mio.numerics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A first-order optimizer over named tensors with the exact semantics of the reference code's
 * TensorFlow 2 / Keras optimizers (METHOD.md §4, §5, §9.5–9.6). Not thread-safe.
 *
 * <p>Per step, each gradient is first clipped ({@code clipnorm} per variable:
 * {@code g ← g·c / max(‖g‖₂, c)}; then {@code clipvalue} element-wise), then:
 * <ul>
 *   <li>RMSprop: {@code v ← ρ·v + (1−ρ)·g²;  θ ← θ − η·g / (√v + ε)}, {@code v₀ = 0}
 *       (TensorFlow ≤ 2.10, the reference's); with {@code epsilonPlacement = inside},
 *       {@code θ ← θ − η·g / √(v + ε)} (Keras ≥ 2.11).</li>
 *   <li>Adam: {@code m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
 *       η_t = η·√(1−β₂ᵗ)/(1−β₁ᵗ);  θ ← θ − η_t·m / (√v + ε)} (ε not bias-corrected, as in
 *       TensorFlow's {@code ApplyAdam}).</li>
 * </ul>
 */
public final class Optimizer {
    private static final String ITERATIONS = "iterations";

    private final OptimizerConfig config;
    private final Map<String, INDArray> slots = new LinkedHashMap<>();
    private long iterations;

    /** A fresh optimizer (moments zero, iteration 0). */
    public Optimizer(OptimizerConfig config) {
        this.config = config;
    }

    /** The configuration. */
    public OptimizerConfig config() {
        return config;
    }

    /** Steps taken so far. */
    public long iterations() {
        return iterations;
    }

    /**
     * One update of {@code params} in place.
     *
     * @param params tensors to update, by name
     * @param gradients ∂loss/∂param for every name of {@code params}; clipped in place
     * @throws IllegalArgumentException naming the tensor if a gradient is missing or its shape
     *     differs
     */
    public void step(Map<String, INDArray> params, Map<String, INDArray> gradients) {
        iterations++;
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            String name = e.getKey();
            INDArray p = e.getValue();
            INDArray g = gradients.get(name);
            if (g == null) {
                throw new IllegalArgumentException("no gradient for parameter " + name);
            }
            if (!java.util.Arrays.equals(p.shape(), g.shape())) {
                throw new IllegalArgumentException("gradient of " + name + " has shape "
                        + java.util.Arrays.toString(g.shape()) + ", parameter " + java.util.Arrays.toString(p.shape()));
            }
            Vec gv = Vec.of(g);
            clip(gv);
            if (config.type().equals("rmsprop")) {
                rmsprop(Vec.of(p), gv, Vec.of(slot(name + "/rms", p)));
            } else {
                adam(Vec.of(p), gv, Vec.of(slot(name + "/m", p)), Vec.of(slot(name + "/v", p)));
            }
        }
    }

    /** Applies {@code clipnorm} then {@code clipvalue} to one gradient, in place. */
    public void clip(Vec g) {
        if (config.clipnorm() != null) {
            double c = config.clipnorm();
            double norm = Math.sqrt(g.sumSquares());
            if (norm > c) {
                g.scaleInPlace(c / norm);
            }
        }
        if (config.clipvalue() != null) {
            double c = config.clipvalue();
            for (int i = 0, n = g.length(); i < n; i++) {
                double v = g.get(i);
                if (v > c) {
                    g.set(i, c);
                } else if (v < -c) {
                    g.set(i, -c);
                }
            }
        }
    }

    private void rmsprop(Vec p, Vec g, Vec v) {
        double rho = config.rho();
        double lr = config.learningRate();
        double eps = config.epsilon();
        boolean inside = config.epsilonInside();
        for (int i = 0, n = p.length(); i < n; i++) {
            double gi = g.get(i);
            double vi = rho * v.get(i) + (1 - rho) * gi * gi;
            v.set(i, vi);
            double vs = v.get(i); // as stored: float32 parameters keep float32 moments
            p.set(i, p.get(i) - lr * gi / (inside ? Math.sqrt(vs + eps) : Math.sqrt(vs) + eps));
        }
    }

    private void adam(Vec p, Vec g, Vec m, Vec v) {
        double b1 = config.beta1();
        double b2 = config.beta2();
        double eps = config.epsilon();
        double lrT = config.learningRate() * Math.sqrt(1 - Math.pow(b2, iterations)) / (1 - Math.pow(b1, iterations));
        for (int i = 0, n = p.length(); i < n; i++) {
            double gi = g.get(i);
            m.set(i, b1 * m.get(i) + (1 - b1) * gi);
            v.set(i, b2 * v.get(i) + (1 - b2) * gi * gi);
            p.set(i, p.get(i) - lrT * m.get(i) / (Math.sqrt(v.get(i)) + eps));
        }
    }

    private INDArray slot(String name, INDArray like) {
        return slots.computeIfAbsent(name, k -> Nd4j.zeros(like.dataType(), like.shape()));
    }

    /**
     * The moments and the iteration count as copies, keyed {@code <param>/rms}, {@code <param>/m},
     * {@code <param>/v} and {@code iterations}.
     */
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        slots.forEach((k, v) -> s.put(k, v.dup()));
        s.put(ITERATIONS, Nd4j.scalar(iterations).reshape(1));
        return s;
    }

    /** Continues from a {@link #state()}. */
    public void restoreState(Map<String, INDArray> state) {
        INDArray it = state.get(ITERATIONS);
        if (it == null) {
            throw new IllegalArgumentException("optimizer state has no '" + ITERATIONS + "' entry");
        }
        slots.clear();
        state.forEach((k, v) -> {
            if (!k.equals(ITERATIONS)) {
                slots.put(k, v.dup());
            }
        });
        iterations = it.getLong(0);
    }
}
