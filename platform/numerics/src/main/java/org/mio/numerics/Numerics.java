package org.mio.numerics;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Present as a service once ND4J's native backend is loaded and initialized in this JVM.
 * Bundles that touch ND4J take a mandatory reference to it so that they start only when ND4J
 * is usable.
 */
@ProviderType
public interface Numerics {

    /** Name of the ND4J backend, e.g. {@code CpuBackend}. */
    String backend();

    /** The BLAS library ND4J and {@link Blas} call, with its version, e.g. {@code OpenBLAS 0.3.19}. */
    String blas();

    /** Current thread count of BLAS and mio's own parallel loops. */
    int threads();

    /**
     * Sets the thread count of OpenBLAS, ND4J's OpenMP loops and mio's parallel loops for this
     * JVM.
     *
     * @param threads at least 1
     */
    void setThreads(int threads);
}
