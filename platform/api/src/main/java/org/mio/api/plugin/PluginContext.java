package org.mio.api.plugin;

import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The environment of one run as a plugin sees it. Created by the platform per run; immutable.
 */
@ProviderType
public interface PluginContext {

    /** Floating-point type of every tensor of the run: {@code FLOAT} (default) or {@code DOUBLE}. */
    DataType dataType();

    /** Number of threads the run may use (BLAS and the plugin's own loops), at least 1. */
    int threads();

    /**
     * A folder shared by all runs of this installation where a plugin may cache expensive,
     * deterministic data (for example integrated chaotic trajectories). Created on demand.
     */
    Path cacheDir();
}
