package org.mio.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ScratchTest {
    /** Floats in an array of exactly {@link Scratch#MIN_BYTES}. */
    private static final long LARGE = Scratch.MIN_BYTES / 4;

    private long capacity;

    @BeforeEach
    void empty() {
        Scratch.clear();
        capacity = Scratch.capacity();
    }

    @AfterEach
    void restore() {
        Scratch.capacity(capacity);
        Scratch.clear();
    }

    @Test
    void aReleasedLargeArrayLendsItsMemoryToTheNextOfItsTypeAndLength() {
        INDArray a = Scratch.uninitialized(DataType.FLOAT, LARGE / 4, 4);
        a.assign(7);
        DataBuffer memory = a.data();
        Dense.release(a);
        assertEquals(Scratch.MIN_BYTES, Scratch.idleBytes());

        // another shape of the same length gets the same memory, with what it held
        INDArray b = Scratch.uninitialized(DataType.FLOAT, 2, LARGE / 2);
        assertSame(memory, b.data());
        assertEquals(7f, b.getFloat(LARGE - 1));
        assertEquals(0, Scratch.idleBytes());
        assertEquals('c', b.ordering());
        // zeros from reused memory are zeros
        Dense.release(b);
        INDArray c = Scratch.zeros(DataType.FLOAT, LARGE);
        assertSame(memory, c.data());
        assertEquals(0.0, c.maxNumber().doubleValue());
        assertEquals(0.0, c.minNumber().doubleValue());
    }

    @Test
    void anotherTypeOrLengthGetsMemoryOfItsOwn() {
        INDArray a = Scratch.uninitialized(DataType.FLOAT, LARGE);
        DataBuffer memory = a.data();
        Dense.release(a);
        assertNotSame(memory, Scratch.uninitialized(DataType.FLOAT, LARGE + 1).data());
        assertNotSame(memory, Scratch.uninitialized(DataType.INT, LARGE).data());
        assertSame(memory, Scratch.uninitialized(DataType.FLOAT, LARGE).data());
    }

    @Test
    void smallArraysAndViewsAreFreedAsBefore() {
        INDArray small = Scratch.uninitialized(DataType.FLOAT, 1000);
        Dense.release(small);
        assertTrue(small.wasClosed());
        INDArray whole = Nd4j.create(DataType.FLOAT, LARGE);
        INDArray view = whole.reshape(2, LARGE / 2);
        Dense.release(view);
        assertFalse(whole.wasClosed());
        assertEquals(0, Scratch.idleBytes());
        // a large array made elsewhere is kept like one made here
        Dense.release(whole);
        assertEquals(Scratch.MIN_BYTES, Scratch.idleBytes());
    }

    @Test
    void releasingTwiceKeepsTheMemoryOnceSoTwoArraysNeverShareIt() {
        INDArray a = Scratch.uninitialized(DataType.FLOAT, LARGE);
        Dense.release(a);
        Dense.release(a);
        assertEquals(Scratch.MIN_BYTES, Scratch.idleBytes());
        INDArray b = Scratch.uninitialized(DataType.FLOAT, LARGE);
        INDArray c = Scratch.uninitialized(DataType.FLOAT, LARGE);
        assertNotSame(b.data(), c.data());
        // the first array, released again while its memory is b's, does not hand that memory out
        Dense.release(a);
        assertEquals(0, Scratch.idleBytes());
        assertFalse(b.data().wasClosed());
    }

    @Test
    void atMostTheCapacityWaitsIdleTheOldestFreedFirst() {
        Scratch.capacity(3 * Scratch.MIN_BYTES + 1);
        int fit = 3;
        INDArray[] arrays = new INDArray[fit + 2];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = Scratch.uninitialized(DataType.FLOAT, LARGE);
        }
        DataBuffer oldest = arrays[0].data();
        DataBuffer newest = arrays[arrays.length - 1].data();
        Dense.release(arrays);
        assertEquals(fit * Scratch.MIN_BYTES, Scratch.idleBytes());
        assertTrue(oldest.wasClosed());
        assertFalse(newest.wasClosed());
        // the most recently released buffer is lent first
        assertSame(newest, Scratch.uninitialized(DataType.FLOAT, LARGE).data());
    }
}
