package org.mio.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TensorsTest {

    @Test
    void gatherAndScatterAreInverse() {
        INDArray act = Nd4j.arange(2 * 3 * 4).castTo(DataType.DOUBLE).reshape(2, 3, 4);
        INDArray x = Tensors.gather(act, new int[] {1, 3});
        assertEquals(6, x.size(0));
        assertEquals(act.getDouble(1, 2, 3), x.getDouble(5, 1), 0); // row b·T+t = 1·3+2
        INDArray back = Nd4j.zeros(DataType.DOUBLE, 2, 3, 4);
        Tensors.scatterAdd(back, new int[] {1, 3}, x, 2.0);
        assertEquals(2 * act.getDouble(0, 1, 1), back.getDouble(0, 1, 1), 0);
        assertEquals(0.0, back.getDouble(0, 1, 0), 0);
    }

    @Test
    void mseCountsOnlyStepsFromLossStart() {
        INDArray out = Nd4j.ones(DataType.DOUBLE, 1, 4, 1);
        INDArray tgt = Nd4j.zeros(DataType.DOUBLE, 1, 4, 1);
        tgt.putScalar(new long[] {0, 0, 0}, 100); // before lossStart: ignored
        INDArray d = Nd4j.zeros(DataType.DOUBLE, 1, 4, 1);
        assertEquals(1.0, Tensors.mse(out, tgt, 1, d), 0);
        assertEquals(0.0, d.getDouble(0, 0, 0), 0);
        assertEquals(2.0 / 3, d.getDouble(0, 3, 0), 1e-15);
    }
}
