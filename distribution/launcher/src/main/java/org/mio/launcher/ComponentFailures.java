package org.mio.launcher;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Components that could not be activated (a constructor or an activate method threw, e.g. a
 * plugin's bug or ND4J failing to start), as Declarative Services' runtime service reports them.
 * The launcher silences SCR's own log, which prints stack traces on the console, and names each
 * failure in one line instead; the trace goes to the log folder.
 *
 * <p>The runtime's API lives in its bundle, not on the launcher's class path, so it is called by
 * reflection, as {@link DeploymentSettings} calls Configuration Admin.
 */
final class ComponentFailures {
    static final String RUNTIME = "org.osgi.service.component.runtime.ServiceComponentRuntime";

    /** ComponentConfigurationDTO.FAILED_ACTIVATION (Declarative Services 1.4). */
    private static final int FAILED_ACTIVATION = 16;

    private ComponentFailures() {}

    /**
     * A component that failed.
     *
     * @param component its name, e.g. {@code org.mio.numerics.impl.NumericsComponent}
     * @param bundleId its bundle
     * @param bundle its bundle's symbolic name
     * @param failure the failure as the runtime gives it (the exception's trace)
     */
    record Failure(String component, long bundleId, String bundle, String failure) {
        /** The failure's first line, e.g. {@code java.lang.IllegalStateException: …}, skipping wrappers. */
        String reason() {
            String[] lines = failure == null ? new String[0] : failure.split("\n");
            String last = lines.length == 0 ? "(no reason given)" : lines[0].trim();
            // the root cause is more telling than SCR's InvocationTargetException
            for (String l : lines) {
                if (l.startsWith("Caused by: ")) {
                    last = l.substring("Caused by: ".length()).trim();
                }
            }
            return last;
        }
    }

    /** The failed components now; empty if the runtime is not there (yet). */
    static List<Failure> now(BundleContext ctx) {
        List<Failure> out = new ArrayList<>();
        ServiceReference<?> ref = ctx.getServiceReference(RUNTIME);
        if (ref == null) {
            return out;
        }
        Object scr = ctx.getService(ref);
        if (scr == null) {
            return out;
        }
        try {
            Class<?> type = ref.getBundle().loadClass(RUNTIME);
            Method descriptions = type.getMethod("getComponentDescriptionDTOs", Bundle[].class);
            Class<?> descType =
                    ref.getBundle().loadClass("org.osgi.service.component.runtime.dto.ComponentDescriptionDTO");
            Method configurations = type.getMethod("getComponentConfigurationDTOs", descType);
            for (Object d : (Collection<?>) descriptions.invoke(scr, (Object) Array.newInstance(Bundle.class, 0))) {
                String name = (String) descType.getField("name").get(d);
                Object bundle = descType.getField("bundle").get(d);
                long id = bundle.getClass().getField("id").getLong(bundle);
                String bsn = (String) bundle.getClass().getField("symbolicName").get(bundle);
                for (Object c : (Collection<?>) configurations.invoke(scr, d)) {
                    int state = c.getClass().getField("state").getInt(c);
                    if (state == FAILED_ACTIVATION) {
                        String failure;
                        try {
                            failure = (String) c.getClass().getField("failure").get(c);
                        } catch (NoSuchFieldException e) {
                            failure = null; // a runtime older than DS 1.4
                        }
                        out.add(new Failure(name, id, bsn, failure));
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the report is a courtesy; the command's own outcome still says what happened
        } finally {
            ctx.ungetService(ref);
        }
        return out;
    }
}
