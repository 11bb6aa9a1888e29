package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.estimator.Sampling;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.testkit.MIEstimatorContract;
import org.mio.testkit.TestParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The contract suite (determinism, training, gradients by central differences in float64, state
 * round trip) plus what this estimator promises: ½ Σ ρ² on weakly correlated Gaussian pairs.
 */
class ${name}EstimatorTest extends MIEstimatorContract {

    @Override
    protected MIEstimator estimator() {
        return new ${name}Estimator(null);
    }

    @Override
    protected PluginParams smallParams() {
        return TestParams.of("{}");
    }

    @Override
    protected boolean trained() {
        return false;
    }

    @Test
    void weaklyCorrelatedPairsGiveHalfTheSumOfSquaredCorrelations() {
        int d = 5;
        int rows = 200_000;
        double rho = 0.1;
        Rng r = Rng.of(1);
        INDArray x = Nd4j.create(DataType.DOUBLE, rows, d);
        INDArray y = Nd4j.create(DataType.DOUBLE, rows, d);
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < d; k++) {
                double a = r.nextGaussian();
                x.putScalar(i, k, a);
                y.putScalar(i, k, rho * a + Math.sqrt(1 - rho * rho) * r.nextGaussian());
            }
        }
        double estimate = estimator()
                .create(TestParams.of("{}"), TestParams.context(DataType.DOUBLE), d, d, Rng.of(2))
                .estimate(x, y, Sampling.of(Rng.of(3)));
        double trueMi = -0.5 * d * Math.log(1 - rho * rho); // 0.0251 nats
        // ½ Σ ρ² = 0.0250; at S = 200 000 the sample correlations add ½·d²/S = 0.00006 and a spread of
        // ½·√d·2ρ/√S = 0.0005, so 0.002 is four standard deviations
        assertEquals(trueMi, estimate, 0.002);
    }

    @Test
    void aBadFloorIsRejectedByName() {
        var e = assertThrows(ConfigException.class, () -> TestParams.of("{\"floor\": -1}")
                .as(${name}Estimator.Params.class));
        assertTrue(e.getMessage().contains("floor"), e.getMessage());
    }
}
