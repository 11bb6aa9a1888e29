package org.mio.numerics;

/**
 * An optimizer as the reference code configures Keras' optimizers (METHOD.md §4, §5).
 *
 * <p>In experiment JSON: {@code {"type": "rmsprop", "learningRate": 0.002, "clipnorm": 4.0}}.
 * Every component but {@code type} and {@code learningRate} is optional; {@code null} means the
 * default named below.
 *
 * @param type {@code rmsprop} or {@code adam}
 * @param learningRate step size η, in (0, 1]
 * @param rho RMSprop decay ρ in [0, 1); default 0.9
 * @param beta1 Adam β₁ in [0, 1); default 0.9
 * @param beta2 Adam β₂ in [0, 1); default 0.999
 * @param epsilon ε > 0; default 1e-7 (Keras)
 * @param clipnorm if set (> 0), each variable's gradient is scaled to L2 norm ≤ clipnorm
 *     separately (Keras {@code clipnorm}, not a global norm); default none
 * @param clipvalue if set (> 0), each gradient element is clipped to [−clipvalue, clipvalue]
 *     after {@code clipnorm}; default none
 * @param epsilonPlacement where RMSprop's ε sits (METHOD.md §9.6): {@code outside} the square root,
 *     {@code η·g / (√v + ε)} as in TensorFlow ≤ 2.10, which the reference code ran (default); or
 *     {@code inside}, {@code η·g / √(v + ε)} as in Keras ≥ 2.11. Adam always has ε outside.
 */
public record OptimizerConfig(
        String type,
        double learningRate,
        Double rho,
        Double beta1,
        Double beta2,
        Double epsilon,
        Double clipnorm,
        Double clipvalue,
        String epsilonPlacement) {

    /** ε outside the square root (TensorFlow ≤ 2.10). */
    public static final String OUTSIDE = "outside";
    /** ε inside the square root (Keras ≥ 2.11). */
    public static final String INSIDE = "inside";

    /** The configuration without {@code epsilonPlacement} (ε outside the square root). */
    public OptimizerConfig(
            String type,
            double learningRate,
            Double rho,
            Double beta1,
            Double beta2,
            Double epsilon,
            Double clipnorm,
            Double clipvalue) {
        this(type, learningRate, rho, beta1, beta2, epsilon, clipnorm, clipvalue, null);
    }

    /** Applies defaults and checks ranges. */
    public OptimizerConfig {
        if (type == null || !(type.equals("rmsprop") || type.equals("adam"))) {
            throw new IllegalArgumentException("type must be one of rmsprop, adam, found " + type);
        }
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1], found " + learningRate);
        }
        rho = unitInterval("rho", rho, 0.9);
        beta1 = unitInterval("beta1", beta1, 0.9);
        beta2 = unitInterval("beta2", beta2, 0.999);
        epsilon = epsilon == null ? 1e-7 : epsilon;
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0, found " + epsilon);
        }
        if (clipnorm != null && !(clipnorm > 0)) {
            throw new IllegalArgumentException("clipnorm must be > 0 or absent, found " + clipnorm);
        }
        if (clipvalue != null && !(clipvalue > 0)) {
            throw new IllegalArgumentException("clipvalue must be > 0 or absent, found " + clipvalue);
        }
        epsilonPlacement = epsilonPlacement == null ? OUTSIDE : epsilonPlacement;
        if (!epsilonPlacement.equals(OUTSIDE) && !epsilonPlacement.equals(INSIDE)) {
            throw new IllegalArgumentException(
                    "epsilonPlacement must be one of outside, inside, found " + epsilonPlacement);
        }
    }

    /** Whether RMSprop divides by √(v + ε) rather than √v + ε. */
    public boolean epsilonInside() {
        return epsilonPlacement.equals(INSIDE);
    }

    /** RMSprop with the reference's defaults and the given rate and per-variable clipnorm. */
    public static OptimizerConfig rmsprop(double learningRate, Double clipnorm) {
        return new OptimizerConfig("rmsprop", learningRate, null, null, null, null, clipnorm, null);
    }

    /** Adam with Keras defaults, the given rate and element-wise clipvalue. */
    public static OptimizerConfig adam(double learningRate, Double clipvalue) {
        return new OptimizerConfig("adam", learningRate, null, null, null, null, null, clipvalue);
    }

    private static double unitInterval(String name, Double v, double dflt) {
        double x = v == null ? dflt : v;
        if (!(x >= 0 && x < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), found " + x);
        }
        return x;
    }
}
