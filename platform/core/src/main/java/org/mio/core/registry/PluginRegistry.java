package org.mio.core.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.mio.api.analysis.Analyzer;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.figure.FigureRenderer;
import org.mio.api.model.RecurrentModel;
import org.mio.api.run.PluginInfo;
import org.mio.api.task.Task;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Tracks every plugin service by type and kind as bundles come and go. Runs look plugins up at
 * start ({@link #pin}) and are told when a pinned service goes away ({@link #onRemoval}). When
 * several services share a kind, the one with the highest bundle version wins, then the highest
 * service ranking, then the newest registration: after a plugin update, the next run uses the
 * new version.
 */
@Component(service = PluginRegistry.class)
public final class PluginRegistry {

    private record Entry(
            PluginType type,
            String kind,
            Object service,
            PluginInfo info,
            long id,
            int ranking,
            org.osgi.framework.Version version) {}

    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
    private final List<Consumer<Long>> removalListeners = new CopyOnWriteArrayList<>();

    /** All plugins, sorted by type then kind then bundle. */
    public List<PluginInfo> list() {
        List<Entry> all = new ArrayList<>(entries.values());
        all.sort(Comparator.comparing((Entry e) -> e.type().ordinal())
                .thenComparing(Entry::kind)
                .thenComparing(e -> e.info().bundle())
                .thenComparing(Entry::id));
        return all.stream().map(Entry::info).toList();
    }

    /** Kinds installed for a type, sorted. */
    public List<String> kinds(PluginType type) {
        return entries.values().stream()
                .filter(e -> e.type() == type)
                .map(Entry::kind)
                .distinct()
                .sorted()
                .toList();
    }

    /**
     * The current best service of a kind, waiting up to {@code waitMillis} for one to appear
     * (plugins dropped into the watched folder start asynchronously).
     */
    @SuppressWarnings("unchecked")
    public <T> Optional<Pinned<T>> pin(PluginType type, String kind, long waitMillis) {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (true) {
            Optional<Entry> best = entries.values().stream()
                    .filter(e -> e.type() == type && e.kind().equals(kind))
                    .max(Comparator.comparing(Entry::version)
                            .thenComparingInt(Entry::ranking)
                            .thenComparingLong(Entry::id));
            if (best.isPresent()) {
                Entry e = best.get();
                return Optional.of(new Pinned<>((T) e.service(), e.info(), e.id()));
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return Optional.empty();
            }
            try {
                Thread.sleep(Math.min(left, 50));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /**
     * The current best service of a type whatever its kind (highest bundle version, then service
     * ranking, then newest), e.g. the figure renderer.
     */
    @SuppressWarnings("unchecked")
    public <T> Optional<Pinned<T>> pinAny(PluginType type) {
        return entries.values().stream()
                .filter(e -> e.type() == type)
                .max(Comparator.comparing(Entry::version)
                        .thenComparingInt(Entry::ranking)
                        .thenComparingLong(Entry::id))
                .map(e -> new Pinned<>((T) e.service(), e.info(), e.id()));
    }

    /** Calls {@code listener} with the {@code service.id} of every service that goes away. */
    public AutoCloseable onRemoval(Consumer<Long> listener) {
        removalListeners.add(listener);
        return () -> removalListeners.remove(listener);
    }

    /** Whether a service is still registered. */
    public boolean isPresent(long serviceId) {
        return entries.containsKey(serviceId);
    }

    // --- tracking (Declarative Services, dynamic greedy references) ---

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeTask")
    void addTask(Task service, ServiceReference<Task> ref) {
        add(PluginType.TASK, service, ref);
    }

    void removeTask(ServiceReference<Task> ref) {
        remove(ref);
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeModel")
    void addModel(RecurrentModel service, ServiceReference<RecurrentModel> ref) {
        add(PluginType.MODEL, service, ref);
    }

    void removeModel(ServiceReference<RecurrentModel> ref) {
        remove(ref);
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeEstimator")
    void addEstimator(MIEstimator service, ServiceReference<MIEstimator> ref) {
        add(PluginType.ESTIMATOR, service, ref);
    }

    void removeEstimator(ServiceReference<MIEstimator> ref) {
        remove(ref);
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeAnalyzer")
    void addAnalyzer(Analyzer service, ServiceReference<Analyzer> ref) {
        add(PluginType.ANALYZER, service, ref);
    }

    void removeAnalyzer(ServiceReference<Analyzer> ref) {
        remove(ref);
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeRenderer")
    void addRenderer(FigureRenderer service, ServiceReference<FigureRenderer> ref) {
        add(PluginType.RENDERER, service, ref);
    }

    void removeRenderer(ServiceReference<FigureRenderer> ref) {
        remove(ref);
    }

    private void add(PluginType type, Object service, ServiceReference<?> ref) {
        Object kindValue = ref.getProperty(type.kindProperty());
        if (!(kindValue instanceof String kind) || kind.isBlank()) {
            org.slf4j.LoggerFactory.getLogger(PluginRegistry.class)
                    .warn(
                            "ignoring a {} service of bundle {}: no '{}' property",
                            type.label(),
                            ref.getBundle().getSymbolicName(),
                            type.kindProperty());
            return;
        }
        Bundle b = ref.getBundle();
        long id = (Long) ref.getProperty(Constants.SERVICE_ID);
        Object rank = ref.getProperty(Constants.SERVICE_RANKING);
        entries.put(
                id,
                new Entry(
                        type,
                        kind,
                        service,
                        new PluginInfo(
                                type.label(),
                                kind,
                                b.getSymbolicName(),
                                b.getVersion().toString()),
                        id,
                        rank instanceof Integer r ? r : 0,
                        b.getVersion()));
    }

    private void remove(ServiceReference<?> ref) {
        long id = (Long) ref.getProperty(Constants.SERVICE_ID);
        if (entries.remove(id) != null) {
            removalListeners.forEach(l -> l.accept(id));
        }
    }
}
