package org.mio.core.command;

import java.lang.annotation.Annotation;
import java.nio.file.Path;

/** {@link Settings} for components constructed directly in tests. */
public record TestSettings(String runs, String logs, String presets, String cache, long pluginWaitMs)
        implements Settings {

    /** Runs and logs under {@code root}, no presets, the cache in {@code root/cache}, no wait for plugins. */
    public static Settings in(Path root) {
        return new TestSettings(
                root.resolve("runs").toString(),
                root.resolve("logs").toString(),
                "",
                root.resolve("cache").toString(),
                0);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return Settings.class;
    }
}
