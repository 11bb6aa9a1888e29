package org.mio.numerics;

import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.factory.Nd4j;

/** The process-wide thread setting: OpenBLAS, ND4J (OpenMP) and mio's own loops. */
public final class Threads {
    private static volatile int threads = defaultThreads();

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
        openblas_nolapack.blas_set_num_threads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.getEnvironment().setMaxThreads(n);
        threads = n;
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
