/**
 * Shared numerics of mio: the ND4J readiness service ({@link org.mio.numerics.Numerics}), thread
 * settings and per-core lanes ({@link org.mio.numerics.Threads}), direct OpenBLAS GEMM on INDArray
 * buffers ({@link org.mio.numerics.Blas}), row access to those buffers
 * ({@link org.mio.numerics.Rows}), NumPy {@code .npy} files ({@link org.mio.numerics.Npy}) and the optimizers of the reference code with
 * Keras' per-variable clipping ({@link org.mio.numerics.Optimizer}).
 */
@Export
@Version("1.6.0")
package org.mio.numerics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
