package org.mio.numerics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.factory.Nd4j;

/** The process-wide thread setting: OpenBLAS, ND4J (OpenMP) and mio's own loops. */
public final class Threads {
    private static volatile int threads = defaultThreads();
    /** Callers inside {@link #lanes} right now; OpenBLAS is single-threaded while it is positive. */
    private static int laneUsers;
    /**
     * Threads for lanes 1, 2, …: made when needed and kept while in use, so every lane of every
     * caller runs at once (a shared pool sized to the cores would run some lanes one after another).
     */
    private static final ExecutorService LANES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mio-lane");
        t.setDaemon(true);
        return t;
    });

    private Threads() {}

    /** Threads in use; initially {@code OMP_NUM_THREADS} if set, else the number of cores. */
    public static int count() {
        return threads;
    }

    /**
     * Sets the thread count everywhere.
     *
     * @param n at least 1
     */
    public static synchronized void set(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + n);
        }
        if (laneUsers == 0) { // else the last lane user sets it
            openblas_nolapack.blas_set_num_threads(n);
        }
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.getEnvironment().setMaxThreads(n);
        threads = n;
    }

    /**
     * The first of {@code count} items that lane {@code lane} of {@code lanes} takes when the items
     * are split into near-equal contiguous ranges: lane l takes [start(l), start(l + 1)), and
     * {@code start(count, lanes, lanes) = count}. A static split, so results are reproducible.
     */
    public static int start(int count, int lanes, int lane) {
        return (int) ((long) count * lane / lanes);
    }

    /**
     * Runs {@code body(lane)} for every lane in {@code [0, lanes)} at once, lane 0 on the calling
     * thread, with OpenBLAS single-threaded meanwhile: each lane's GEMMs then run on one core, keep
     * their blocks in that core's cache and never wait for the other cores. On this kind of
     * workload (many GEMMs of a few hundred rows, each followed by an elementwise pass) two
     * single-threaded lanes beat one two-threaded GEMM after another (docs/performance.md). Work
     * must be split statically among the lanes for results to be reproducible. An exception of
     * any lane is rethrown after all lanes have ended.
     */
    public static void lanes(int lanes, IntConsumer body) {
        if (lanes <= 1) {
            body.accept(0);
            return;
        }
        synchronized (Threads.class) {
            if (laneUsers++ == 0) {
                openblas_nolapack.blas_set_num_threads(1);
            }
        }
        try {
            List<Future<?>> others = new ArrayList<>();
            for (int q = 1; q < lanes; q++) {
                int lane = q;
                others.add(LANES.submit(() -> body.accept(lane)));
            }
            Throwable failure = null;
            try {
                body.accept(0);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            for (Future<?> f : others) {
                Throwable t = null;
                try {
                    getUninterruptibly(f);
                } catch (ExecutionException e) {
                    t = e.getCause();
                }
                if (t != null && failure == null) {
                    failure = t;
                } else if (t != null) {
                    failure.addSuppressed(t);
                }
            }
            if (failure instanceof Error e) {
                throw e;
            } else if (failure != null) {
                throw (RuntimeException) failure;
            }
        } finally {
            synchronized (Threads.class) {
                if (--laneUsers == 0) {
                    openblas_nolapack.blas_set_num_threads(threads);
                }
            }
        }
    }

    private static void getUninterruptibly(Future<?> f) throws ExecutionException {
        boolean interrupted = false;
        while (true) {
            try {
                f.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the lane still uses shared buffers: wait for it
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static int defaultThreads() {
        String omp = System.getenv("OMP_NUM_THREADS");
        if (omp != null) {
            try {
                return Math.max(1, Integer.parseInt(omp.trim()));
            } catch (NumberFormatException e) {
                // fall through to the core count
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }
}
