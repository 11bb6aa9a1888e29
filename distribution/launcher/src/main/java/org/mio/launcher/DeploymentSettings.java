package org.mio.launcher;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.UUID;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Hands the platform its deployment settings through Configuration Admin (PID {@value #PID}): the
 * runs root, the presets and log folders of this distribution, the plugin data cache and how long a run
 * waits for a plugin. The launcher reads them from its system properties ({@code mio.runs},
 * {@code mio.cache}, {@code mio.plugin.wait.ms}); the platform reads none.
 *
 * <p>Configuration Admin's API lives in its bundle, not on the launcher's class path, so the two
 * calls are made by reflection. The settings carry a token ({@code mio.launch}) that the
 * platform's components publish as a service property once configured, so the launcher can wait
 * for the configured command service instead of racing the configuration's delivery.
 */
final class DeploymentSettings {
    static final String PID = "org.mio.core";
    static final String CONFIG_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";

    private DeploymentSettings() {}

    /**
     * Configures the platform.
     *
     * @return the token the configured components publish as {@code mio.launch}
     * @throws Exception if Configuration Admin is missing or refuses the configuration
     */
    static String apply(BundleContext ctx, Path home, long waitMs) throws Exception {
        ServiceReference<?> ref = null;
        long deadline = System.currentTimeMillis() + waitMs;
        while ((ref = ctx.getServiceReference(CONFIG_ADMIN)) == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        if (ref == null) {
            throw new IllegalStateException("Configuration Admin (org.apache.felix.configadmin) is not running");
        }
        Object admin = ctx.getService(ref);
        try {
            // the interfaces, as the bundle that registered the service sees them
            Class<?> adminType = ref.getBundle().loadClass(CONFIG_ADMIN);
            Class<?> configType = ref.getBundle().loadClass("org.osgi.service.cm.Configuration");
            Object config = adminType
                    .getMethod("getConfiguration", String.class, String.class)
                    .invoke(admin, PID, null);
            String token = UUID.randomUUID().toString();
            Dictionary<String, Object> d = new Hashtable<>();
            d.put(
                    "runs",
                    Path.of(System.getProperty("mio.runs", "runs"))
                            .toAbsolutePath()
                            .normalize()
                            .toString());
            d.put("presets", home.resolve("examples").toString());
            d.put("logs", home.resolve("logs").toString());
            String cache = System.getProperty("mio.cache");
            d.put(
                    "cache",
                    cache == null
                            ? ""
                            : Path.of(cache).toAbsolutePath().normalize().toString());
            d.put("pluginWaitMs", Long.getLong("mio.plugin.wait.ms", 3000));
            d.put("mio.launch", token);
            Method update = configType.getMethod("update", Dictionary.class);
            update.invoke(config, d);
            return token;
        } finally {
            ctx.ungetService(ref);
        }
    }
}
