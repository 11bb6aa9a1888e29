package org.mio.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ThreadsTest {
    /** The JVM-wide thread count before each test (the build runs tests with one), restored after it. */
    private int before;

    @BeforeEach
    void remember() {
        Nd4j.create(1); // ND4J sets the OpenBLAS thread count when it starts
        before = Threads.count();
    }

    @AfterEach
    void restore() {
        Threads.set(before);
        assertEquals(before, openblas_nolapack.blas_get_num_threads());
    }

    @Test
    void lanesRunAtOnceWithSingleThreadedBlasAndRestoreIt() throws Exception {
        Nd4j.create(1); // ND4J sets the OpenBLAS thread count when it starts
        Threads.set(2);
        AtomicIntegerArray runs = new AtomicIntegerArray(3);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch all = new CountDownLatch(3);
        int[] blasThreads = new int[3];
        Threads.lanes(3, lane -> {
            runs.incrementAndGet(lane);
            threads.add(Thread.currentThread());
            blasThreads[lane] = openblas_nolapack.blas_get_num_threads();
            all.countDown();
            try {
                // every lane waits for the others: they must run at once, not one after another
                assertTrue(all.await(20, TimeUnit.SECONDS), "lanes did not run concurrently");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        for (int q = 0; q < 3; q++) {
            assertEquals(1, runs.get(q), "lane " + q);
            assertEquals(1, blasThreads[q], "OpenBLAS threads inside lane " + q);
        }
        assertEquals(3, threads.size());
        assertTrue(threads.contains(Thread.currentThread()), "lane 0 runs on the caller");
        assertEquals(2, openblas_nolapack.blas_get_num_threads(), "restored after the lanes");
    }

    @Test
    void aFailingLaneFailsTheCallAfterTheOthersEnd() {
        Threads.set(2);
        AtomicIntegerArray ended = new AtomicIntegerArray(2);
        IllegalStateException boom = new IllegalStateException("lane 1 failed");
        var e = assertThrows(
                IllegalStateException.class,
                () -> Threads.lanes(2, lane -> {
                    if (lane == 1) {
                        throw boom;
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException ie) {
                        throw new IllegalStateException(ie);
                    }
                    ended.set(lane, 1);
                }));
        assertSame(boom, e);
        assertEquals(1, ended.get(0), "lane 0 ran to its end before the call failed");
        assertEquals(2, openblas_nolapack.blas_get_num_threads(), "restored after a failure");
    }

    @Test
    void oneLaneRunsOnTheCaller() {
        Thread[] seen = new Thread[1];
        Threads.lanes(1, lane -> seen[0] = Thread.currentThread());
        assertSame(Thread.currentThread(), seen[0]);
    }
}
