package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mio.api.model.Network;
import org.mio.api.model.RecurrentModel;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.testkit.RecurrentModelContract;
import org.mio.testkit.TestParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The contract suite: shapes, streams, continuation from the final state, and backpropagation and
 * the penalty checked by central differences in float64, with and without noise.
 */
class ${name}ModelTest extends RecurrentModelContract {

    @Override
    protected RecurrentModel model() {
        return new ${name}Model(null);
    }

    @Override
    protected PluginParams smallParams() {
        return TestParams.of("{\"hidden\": 4, \"noise\": 0.1, \"l2\": 0.01}");
    }

    @Test
    void oneStepIsTheEquation() {
        Network n = model().create(smallParams(), TestParams.context(DataType.DOUBLE), IN, OUT, Rng.of(3));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 1, IN);
        INDArray h0 = Nd4j.rand(DataType.DOUBLE, 1, 4);
        INDArray h1 = n.forward(x, h0, null, false).finalState();
        var w = n.parameters();
        INDArray expected = org.nd4j.linalg.ops.transforms.Transforms.tanh(
                x.reshape(1, IN).mmul(w.get("W_in")).add(h0.mmul(w.get("W_rec"))).add(w.get("b")));
        assertTrue(expected.equalsWithEps(h1, 1e-12), expected + " vs " + h1);
        assertEquals(2, n.groups().group1().length);
    }

    @Test
    void aGroupSplitOutsideTheUnitsIsRejectedByName() {
        var e = assertThrows(ConfigException.class, () -> TestParams.of("{\"hidden\": 4, \"groupSplit\": 4}")
                .as(${name}Model.Params.class));
        assertTrue(e.getMessage().contains("groupSplit"), e.getMessage());
    }
}
