package ${package};

import java.util.Map;
import org.mio.api.annotations.EstimatorKind;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.estimator.Sampling;
import org.mio.api.estimator.ValueAndGradient;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.numerics.Numerics;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * An estimator without parameters to train: half the squared Frobenius norm of the cross-correlation
 * matrix between the two groups,
 *
 * <pre>
 *   Î = ½ Σ_ij C_ij²,   C = Z_xᵀ Z_y / S,   Z = (X − mean) / sqrt(var + floor)   (per column)
 * </pre>
 *
 * It is the second-order term of the Gaussian MI −½ log det(I − C Cᵀ) when each group's units are
 * uncorrelated among themselves, so it is exact for weak linear dependence and sees nothing else.
 * Replace it with your own: {@link Estimator#estimate} is the value, {@link Estimator#valueAndGradient}
 * its exact gradient with respect to both inputs (the trainer descends it), and an estimator with
 * parameters ascends its bound in {@link Estimator#trainStep} and returns them from
 * {@link Estimator#parameters()} and {@link Estimator#state()}.
 */
@Component
@EstimatorKind("${artifactId}")
public final class ${name}Estimator implements MIEstimator {

    /**
     * What {@code estimator.params} of an experiment may hold. Boxed components are optional
     * (null → the default); the compact constructor checks the values, and its one-line message
     * reaches the user with the file and JSON path in front.
     *
     * @param floor added to every column's variance before dividing by it (default 1e-8), so a
     *     constant unit gives a zero column instead of a division by zero
     */
    public record Params(Double floor) {
        /** Applies the default and checks. */
        public Params {
            floor = floor == null ? 1e-8 : floor;
            if (!(floor > 0) || !Double.isFinite(floor)) {
                throw new IllegalArgumentException("floor must be a finite number > 0, found " + floor);
            }
        }
    }

    /** @param numerics orders this component's start after ND4J's initialization */
    @Activate
    public ${name}Estimator(@Reference Numerics numerics) {
        // nothing to keep: the component is a stateless factory
    }

    @Override
    public Estimator create(PluginParams params, PluginContext context, int dimX, int dimY, Rng init) {
        return new CrossCorrelation(params.as(Params.class));
    }

    /** One run's estimator. */
    private static final class CrossCorrelation implements Estimator {
        private final Params p;

        CrossCorrelation(Params p) {
            this.p = p;
        }

        @Override
        public double estimate(INDArray x, INDArray y, Sampling sampling) {
            return valueAndGradient(x, y, sampling).value();
        }

        /** Nothing to train: returns the estimate, as phase A expects of an estimator without parameters. */
        @Override
        public double trainStep(INDArray x, INDArray y, Sampling sampling) {
            return estimate(x, y, sampling);
        }

        @Override
        public ValueAndGradient valueAndGradient(INDArray x, INDArray y, Sampling sampling) {
            long rows = x.size(0);
            Standardized zx = Standardized.of(x, p.floor());
            Standardized zy = Standardized.of(y, p.floor());
            INDArray c = zx.z().transpose().mmul(zy.z()).divi(rows); // [dimX, dimY]
            double value = 0.5 * c.mul(c).sumNumber().doubleValue();
            // ∂Î/∂C = C, so ∂Î/∂Z_x = Z_y Cᵀ / S and ∂Î/∂Z_y = Z_x C / S
            INDArray gzx = zy.z().mmul(c.transpose()).divi(rows);
            INDArray gzy = zx.z().mmul(c).divi(rows);
            return new ValueAndGradient(value, zx.backward(gzx), zy.backward(gzy));
        }

        @Override
        public Map<String, INDArray> parameters() {
            return Map.of();
        }

        @Override
        public Map<String, INDArray> state() {
            return Map.of();
        }

        @Override
        public void restoreState(Map<String, INDArray> state) {
            if (!state.isEmpty()) {
                throw new IllegalArgumentException("this estimator has no state, found " + state.keySet());
            }
        }
    }

    /** Columns standardized to mean 0 and variance var/(var + floor), with the way back for gradients. */
    private record Standardized(INDArray z, INDArray sigma) {
        static Standardized of(INDArray a, double floor) {
            INDArray centred = a.subRowVector(a.mean(0));
            INDArray sigma = Transforms.sqrt(centred.mul(centred).mean(0).addi(floor), false);
            return new Standardized(centred.diviRowVector(sigma), sigma);
        }

        /** ∂/∂a from ∂/∂z, per column: (g − mean(g) − z·mean(g⊙z)) / σ. */
        INDArray backward(INDArray g) {
            INDArray gz = g.mul(z).mean(0);
            return g.subRowVector(g.mean(0)).subi(z.mulRowVector(gz)).diviRowVector(sigma);
        }
    }
}
