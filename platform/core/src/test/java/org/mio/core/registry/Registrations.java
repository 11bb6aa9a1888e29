package org.mio.core.registry;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.mio.api.analysis.Analyzer;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.figure.FigureRenderer;
import org.mio.api.model.RecurrentModel;
import org.mio.api.task.Task;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

/**
 * Registers plugin services with a {@link PluginRegistry} as Declarative Services would, through
 * its bind and unbind methods, with stand-in service references: tests run the registry's real
 * tracking code without a framework.
 */
public final class Registrations {
    private static final AtomicLong IDS = new AtomicLong(1_000_000);

    private Registrations() {}

    /**
     * Binds {@code service} as a plugin of {@code type} and {@code kind} from bundle
     * {@code bundle} at {@code version}.
     *
     * @return its service id
     */
    @SuppressWarnings("unchecked")
    public static long add(
            PluginRegistry r, PluginType type, String kind, Object service, String bundle, String version) {
        long id = IDS.incrementAndGet();
        ServiceReference<?> ref = reference(type, kind, bundle, version, id);
        switch (type) {
            case TASK -> r.addTask((Task) service, (ServiceReference<Task>) ref);
            case MODEL -> r.addModel((RecurrentModel) service, (ServiceReference<RecurrentModel>) ref);
            case ESTIMATOR -> r.addEstimator((MIEstimator) service, (ServiceReference<MIEstimator>) ref);
            case ANALYZER -> r.addAnalyzer((Analyzer) service, (ServiceReference<Analyzer>) ref);
            case RENDERER -> r.addRenderer((FigureRenderer) service, (ServiceReference<FigureRenderer>) ref);
        }
        return id;
    }

    /** Unbinds the service with {@code id}, as when its bundle stops. */
    @SuppressWarnings("unchecked")
    public static void remove(PluginRegistry r, PluginType type, long id) {
        ServiceReference<?> ref = reference(type, "", "", "0", id);
        switch (type) {
            case TASK -> r.removeTask((ServiceReference<Task>) ref);
            case MODEL -> r.removeModel((ServiceReference<RecurrentModel>) ref);
            case ESTIMATOR -> r.removeEstimator((ServiceReference<MIEstimator>) ref);
            case ANALYZER -> r.removeAnalyzer((ServiceReference<Analyzer>) ref);
            case RENDERER -> r.removeRenderer((ServiceReference<FigureRenderer>) ref);
        }
    }

    private static ServiceReference<?> reference(PluginType type, String kind, String bundle, String version, long id) {
        Bundle b = (Bundle) Proxy.newProxyInstance(
                Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class}, (p, m, a) -> switch (m.getName()) {
                    case "getSymbolicName" -> bundle;
                    case "getVersion" -> Version.parseVersion(version);
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    case "toString" -> bundle;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        Map<String, Object> props = Map.of(type.kindProperty(), kind, Constants.SERVICE_ID, id);
        return (ServiceReference<?>) Proxy.newProxyInstance(
                ServiceReference.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getProperty" -> props.get((String) a[0]);
                    case "getBundle" -> b;
                    case "hashCode" -> Long.hashCode(id);
                    case "equals" -> p == a[0];
                    case "toString" -> "service " + id;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
