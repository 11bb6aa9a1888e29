package org.mio.numerics.impl;

import org.bytedeco.openblas.global.openblas_nolapack;
import org.mio.numerics.Numerics;
import org.mio.numerics.Threads;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads ND4J's native backend once and registers {@link Numerics} when it is usable.
 *
 * <p>ND4J sits on the launcher class path (its natives can be loaded only once per JVM,
 * STACK.md §3B). It looks its backend up with a ServiceLoader through a class loader it captures
 * statically, so that loader is set to ND4J's own before the first ND4J call from a bundle.
 */
@Component(immediate = true)
public final class NumericsComponent implements Numerics {
    private static final Logger LOG = LoggerFactory.getLogger(NumericsComponent.class);

    private final String backend;

    /** Initializes ND4J (about 1 s with a warm native cache, 3 s when it unpacks). */
    @Activate
    public NumericsComponent() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try {
            ClassLoader nd4j = Nd4j.class.getClassLoader();
            thread.setContextClassLoader(nd4j);
            ND4JClassLoading.setNd4jClassloader(nd4j);
            backend = Nd4j.getBackend().getClass().getSimpleName();
            Nd4j.create(1);
            Threads.set(Threads.count());
        } finally {
            thread.setContextClassLoader(previous);
        }
        LOG.debug("ND4J ready: backend {}, {} threads", backend, Threads.count());
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public String blas() {
        return openblas_nolapack.OPENBLAS_VERSION.trim();
    }

    @Override
    public int threads() {
        return Threads.count();
    }

    @Override
    public void setThreads(int threads) {
        Threads.set(threads);
    }
}
