package org.mio.testkit;

import java.nio.file.Path;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.mio.core.config.Json;
import org.mio.core.config.JsonPluginParams;
import org.nd4j.linalg.api.buffer.DataType;

/** Plugin parameters and contexts for tests, bound exactly as the platform binds them. */
public final class TestParams {
    private TestParams() {}

    /** Params from JSON text, e.g. {@code of("{\"hidden\": 8}")}; path {@code test.params}. */
    public static PluginParams of(String json) {
        return new JsonPluginParams(Json.parse(json, "test.json"), "test.json", "test.params");
    }

    /** Empty params ({@code {}}). */
    public static PluginParams empty() {
        return of("{}");
    }

    /** A context with the given data type, one thread and a cache under {@code java.io.tmpdir}. */
    public static PluginContext context(DataType type) {
        return context(type, 1);
    }

    /** A context with the given data type and thread count and a cache under {@code java.io.tmpdir}. */
    public static PluginContext context(DataType type, int threads) {
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "mio-test-cache");
        return new PluginContext() {
            @Override
            public DataType dataType() {
                return type;
            }

            @Override
            public int threads() {
                return threads;
            }

            @Override
            public Path cacheDir() {
                return cache;
            }
        };
    }
}
