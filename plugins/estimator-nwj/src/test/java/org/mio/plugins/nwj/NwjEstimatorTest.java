package org.mio.plugins.nwj;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.plugin.PluginParams;
import org.mio.testkit.KnownMutualInformation;
import org.mio.testkit.MIEstimatorContract;
import org.mio.testkit.TestParams;

class NwjEstimatorTest extends MIEstimatorContract {

    /** A narrower critic than the working-memory default, no input noise, Adam. */
    static final PluginParams TRAINED = TestParams.of("{\"hidden\": 64, \"noise\": 0.0, \"noiseMode\": \"none\","
            + " \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.002}}");

    @Override
    protected MIEstimator estimator() {
        return new NwjEstimator(null);
    }

    @Override
    protected PluginParams smallParams() {
        return TestParams.of(
                "{\"hidden\": 7, \"blockRows\": 24, \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.01}}");
    }

    /**
     * 1 nat in 5 + 5 dimensions within 10 %, and its cubed (non-Gaussian) copy between 0.4 and 1.1
     * nats, after 1 500 training steps: {@code mvn verify -Pslow}.
     */
    @Test
    @Tag("slow")
    void recoversKnownMutualInformation() {
        KnownMutualInformation.check(estimator(), TRAINED, KnownMutualInformation.GAUSSIAN, 0.10);
        // NWJ falls well short on the heavy tails of the cubed pair (0.57 nats at seed 1): its
        // partition term is an average of exp(T − 1), whose variance the tails inflate
        KnownMutualInformation.check(estimator(), TRAINED, KnownMutualInformation.CUBED, 0.4, 1.1);
    }

    @Test
    void readsTheCriticParameters() {
        assertEquals(
                "test.json: test.params.hidden must be ≥ 1, found 0",
                org.junit.jupiter.api.Assertions.assertThrows(
                                org.mio.api.plugin.ConfigException.class,
                                () -> new NwjEstimator(null)
                                        .create(
                                                TestParams.of("{\"hidden\": 0}"),
                                                TestParams.context(org.nd4j.linalg.api.buffer.DataType.FLOAT),
                                                3,
                                                2,
                                                null))
                        .getMessage());
    }
}
