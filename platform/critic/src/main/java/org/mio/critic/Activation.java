package org.mio.critic;

import java.util.List;

/**
 * The activation φ of a critic's hidden layers. Each one's derivative can be read from its output
 * a = φ(z), so a backward pass needs only the kept activations: relu and leaky relu keep the sign
 * of z (φ' = 1 where a > 0, else the slope), and elu, φ(z) = z for z > 0 and eᶻ − 1 otherwise, has
 * φ'(z) = eᶻ = a + 1 for z ≤ 0, that is φ' = min(a, 0) + 1 everywhere.
 *
 * <p>relu is MINE's for the working-memory task and leaky relu its for the separation task
 * (METHOD.md §4); elu is smooth, so a critic of a given width comes closer to the quadratic
 * log-density ratio of Gaussian data (docs/estimators.md), at the cost of an exponential per
 * negative unit.
 *
 * @param name {@code relu}, {@code leaky-relu} or {@code elu}
 * @param slope φ' for negative inputs of relu (0) and leaky relu; 0 for elu, which has none
 */
public record Activation(String name, double slope) {
    /** The names {@link #of} accepts. */
    public static final List<String> NAMES = List.of("relu", "leaky-relu", "elu");

    /** Checks the name and the slope. */
    public Activation {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException(
                    "activation must be one of " + String.join(", ", NAMES) + ", found " + name);
        }
        if (!(slope >= 0 && slope < 1)) {
            throw new IllegalArgumentException("leakySlope must be in [0, 1), found " + slope);
        }
    }

    /**
     * The activation a params record names.
     *
     * @param name {@code relu}, {@code leaky-relu} or {@code elu}
     * @param leakySlope leaky relu's slope for negative inputs, checked whatever the name
     */
    public static Activation of(String name, double leakySlope) {
        Activation named = new Activation(name, 0.0); // checks the name
        Activation leaky = new Activation("leaky-relu", leakySlope); // and the slope, whatever the name
        return name.equals("leaky-relu") ? leaky : named;
    }

    /** Whether this is elu. */
    public boolean elu() {
        return name.equals("elu");
    }
}
