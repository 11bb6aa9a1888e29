package org.mio.plugins.mine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.PluginParams;
import org.mio.critic.CriticParams;
import org.mio.testkit.KnownMutualInformation;
import org.mio.testkit.MIEstimatorContract;
import org.mio.testkit.TestParams;

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
     * 1 nat in 5 + 5 dimensions within 10 %, and its cubed (non-Gaussian) copy within 30 %, after
     * 1 500 training steps of a narrower critic without noise: {@code mvn verify -Pslow}.
     */
    @Test
    @Tag("slow")
    void recoversKnownMutualInformation() {
        PluginParams trained = TestParams.of("{\"hidden\": 64, \"noise\": 0.0, \"noiseMode\": \"none\","
                + " \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.002}}");
        KnownMutualInformation.check(estimator(), trained, KnownMutualInformation.GAUSSIAN, 0.10);
        KnownMutualInformation.check(estimator(), trained, KnownMutualInformation.CUBED, 0.30);
    }
}
