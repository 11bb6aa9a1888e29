package org.mio.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class BlasTest {

    private static double naive(INDArray a, boolean ta, INDArray b, boolean tb, int i, int j) {
        INDArray aa = ta ? a.transpose() : a;
        INDArray bb = tb ? b.transpose() : b;
        double s = 0;
        for (int k = 0; k < aa.size(1); k++) {
            s += aa.getDouble(i, k) * bb.getDouble(k, j);
        }
        return s;
    }

    @Test
    void allTransposeCombinationsMatchNaiveProduct() {
        for (DataType t : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    INDArray a = ta ? Nd4j.rand(t, 5, 3) : Nd4j.rand(t, 3, 5);
                    INDArray b = tb ? Nd4j.rand(t, 4, 5) : Nd4j.rand(t, 5, 4);
                    INDArray c = Nd4j.ones(t, 3, 4);
                    Blas.gemm(a, ta, b, tb, c, 2.0, 0.5);
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 4; j++) {
                            double want = 2 * naive(a, ta, b, tb, i, j) + 0.5;
                            assertEquals(want, c.getDouble(i, j), t == DataType.FLOAT ? 1e-5 : 1e-12);
                        }
                    }
                }
            }
        }
    }

    @Test
    void columnBlockViewsUseTheRowStride() {
        INDArray full = Nd4j.rand(DataType.DOUBLE, 6, 8);
        INDArray a = full.get(NDArrayIndex.interval(1, 4), NDArrayIndex.interval(2, 7)); // [3,5] view
        INDArray b = Nd4j.rand(DataType.DOUBLE, 5, 2);
        INDArray c = Nd4j.zeros(DataType.DOUBLE, 3, 2);
        Blas.gemm(a, false, b, false, c, 1, 0);
        INDArray want = a.dup().mmul(b);
        assertEquals(want, c);
    }
}
