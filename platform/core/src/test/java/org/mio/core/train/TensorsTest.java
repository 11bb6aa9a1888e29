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

    /**
     * Large enough for the row loops to run in lanes, on a reshape (which ND4J calls a view) and
     * on a strided slice (copied first), in float32: every element where it belongs, and the
     * scatter adds to what is there.
     */
    @Test
    void gatherAndScatterInLanesOnReshapesAndSlices() {
        int batch = 4;
        int time = 6000;
        int units = 7;
        int[] cols = {6, 0, 3};
        INDArray flat = Nd4j.rand(DataType.FLOAT, (long) batch * time, units);
        INDArray reshaped = flat.reshape(batch, time, units);
        INDArray wide = Nd4j.rand(DataType.FLOAT, batch, time, units + 2);
        INDArray slice = wide.get(
                org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(1, units + 1));
        for (INDArray act : new INDArray[] {reshaped, slice}) {
            INDArray x = Tensors.gather(act, cols);
            assertEquals(batch * time, x.size(0));
            for (int r : new int[] {0, 1, 12_345, batch * time - 1}) {
                for (int c = 0; c < cols.length; c++) {
                    assertEquals(act.getFloat(r / time, r % time, cols[c]), x.getFloat(r, c), 0, "row " + r);
                }
            }
            INDArray target = Nd4j.ones(DataType.FLOAT, batch, time, units)
                    .reshape(batch * time, units)
                    .reshape(batch, time, units);
            Tensors.scatterAdd(target, cols, x, 0.5);
            for (int r : new int[] {0, 17_999, batch * time - 1}) {
                assertEquals(1 + 0.5f * x.getFloat(r, 0), target.getFloat(r / time, r % time, 6), 1e-7);
                assertEquals(1f, target.getFloat(r / time, r % time, 1), 0);
            }
        }
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
