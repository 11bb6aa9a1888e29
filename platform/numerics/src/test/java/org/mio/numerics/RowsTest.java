package org.mio.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class RowsTest {
    @Test
    void copyMovesRunsAsTheyAreWithinAndBetweenArraysOfOneType() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray a =
                    Nd4j.createFromArray(1.5, 2.25, 3.125, 4.5, 5.75, 6.0625).castTo(type);
            INDArray b = Nd4j.zeros(type, 6);
            Rows ra = Rows.of(a);
            Rows rb = Rows.of(b);
            ra.copy(1, rb, 3, 3);
            ra.copy(4, ra, 0, 2); // within one array, runs apart
            ra.copy(0, rb, 0, 1); // a shorter run after a longer one
            assertArrayEquals(
                    new double[] {5.75, 0, 0, 2.25, 3.125, 4.5},
                    b.castTo(DataType.DOUBLE).toDoubleVector());
            assertArrayEquals(
                    new double[] {5.75, 6.0625, 3.125, 4.5, 5.75, 6.0625},
                    a.castTo(DataType.DOUBLE).toDoubleVector());
        }
    }

    @Test
    void readAndWriteMoveAPartOfTheJavaArray() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray a = Nd4j.createFromArray(1.5, 2.25, 3.125, 4.5, 5.75).castTo(type);
            Rows r = Rows.of(a);
            double[] v = {-1, -1, -1, -1, -1};
            r.read(1, v, 2, 3);
            assertArrayEquals(new double[] {-1, -1, 2.25, 3.125, 4.5}, v);
            r.write(0, new double[] {9, 8, 7, 6}, 1, 2); // src[1..3) to elements 0 and 1
            assertArrayEquals(
                    new double[] {8, 7, 3.125, 4.5, 5.75},
                    a.castTo(DataType.DOUBLE).toDoubleVector());
            double[] whole = new double[2];
            r.read(3, whole); // the whole-array form reads dst.length elements
            assertArrayEquals(new double[] {4.5, 5.75}, whole);
        }
    }

    @Test
    void copyBetweenTypesIsRefused() {
        Rows f = Rows.of(Nd4j.zeros(DataType.FLOAT, 4));
        Rows d = Rows.of(Nd4j.zeros(DataType.DOUBLE, 4));
        assertThrows(IllegalArgumentException.class, () -> f.copy(0, d, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> d.copy(0, f, 0, 2));
    }

    @Test
    void gatherAndScatterMoveWholeRows() {
        INDArray m = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        INDArray g = Rows.gather(m, new int[] {2, 0, 2});
        assertArrayEquals(new float[] {5, 6, 1, 2, 5, 6}, g.data().asFloat());
        INDArray s = Rows.scatter(Rows.gather(m, new int[] {1, 2}), new int[] {3, 0}, 4);
        assertArrayEquals(new float[] {5, 6, 0, 0, 0, 0, 3, 4}, s.data().asFloat());
    }
}
