package org.mio.plugins.mine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.estimator.Sampling;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.critic.CriticParams;
import org.mio.testkit.MIEstimatorContract;
import org.mio.testkit.TestParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MineEstimatorTest extends MIEstimatorContract {

    @Override
    protected MIEstimator estimator() {
        return new MineEstimator(null);
    }

    @Override
    protected PluginParams smallParams() {
        // small blocks so that several blocks (and a short last one) are exercised
        return TestParams.of(
                "{\"hidden\": 7, \"blockRows\": 24, \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.01}}");
    }

    @Test
    void referenceDefaultsAndBadValues() {
        CriticParams p = TestParams.empty().as(CriticParams.class);
        assertEquals(512, p.hidden());
        assertEquals("relu", p.activation());
        assertEquals(0.1, p.noise());
        assertEquals("joint-y-only", p.noiseMode());
        assertEquals(0.003, p.optimizer().learningRate());
        assertEquals(4.0, p.optimizer().clipnorm());
        var e = assertThrows(
                ConfigException.class,
                () -> TestParams.of("{\"activation\": \"tanh\"}").as(CriticParams.class));
        assertEquals("test.json: test.params.activation must be one of relu, leaky-relu, found tanh", e.getMessage());
    }

    /**
     * On correlated Gaussians with known MI = −½·Σ log(1 − ρ²) the trained bound lands within 10 %.
     * Two pairs with ρ = 0.8: MI = −log(0.36) = 1.0217 nats. Trains to convergence (1500 steps),
     * so it is tagged slow: {@code mvn verify -Pslow}.
     */
    @Test
    @Tag("slow")
    void learnsTheMutualInformationOfCorrelatedGaussians() {
        Estimator e = new MineEstimator(null)
                .create(
                        TestParams.of("{\"hidden\": 64, \"noise\": 0.0, \"noiseMode\": \"none\", \"blockRows\": 512,"
                                + " \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.002}}"),
                        TestParams.context(DataType.FLOAT),
                        2,
                        2,
                        Rng.of(1));
        double rho = 0.8;
        double truth = -0.5 * 2 * Math.log(1 - rho * rho);
        Rng data = Rng.of(2);
        for (int step = 0; step < 1500; step++) {
            INDArray[] s = gaussians(2048, rho, data);
            e.trainStep(s[0], s[1], Sampling.of(data));
        }
        double sum = 0;
        for (int r = 0; r < 5; r++) {
            INDArray[] s = gaussians(20000, rho, data);
            sum += e.estimate(s[0], s[1], Sampling.of(data));
        }
        double estimate = sum / 5;
        assertEquals(truth, estimate, 0.1 * truth, "MINE estimate " + estimate + " vs true MI " + truth);
    }

    static INDArray[] gaussians(int rows, double rho, Rng rng) {
        float[] x = new float[rows * 2];
        float[] y = new float[rows * 2];
        double c = Math.sqrt(1 - rho * rho);
        for (int i = 0; i < x.length; i++) {
            double a = rng.nextGaussian();
            x[i] = (float) a;
            y[i] = (float) (rho * a + c * rng.nextGaussian());
        }
        return new INDArray[] {Nd4j.create(x, new long[] {rows, 2}, 'c'), Nd4j.create(y, new long[] {rows, 2}, 'c')};
    }
}
