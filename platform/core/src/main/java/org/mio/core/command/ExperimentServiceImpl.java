package org.mio.core.command;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.figure.FigureRenderer;
import org.mio.api.run.ExperimentService;
import org.mio.api.run.PluginInfo;
import org.mio.api.run.RunOutcome;
import org.mio.api.run.RunRequest;
import org.mio.core.registry.Pinned;
import org.mio.core.registry.PluginRegistry;
import org.mio.core.registry.PluginType;
import org.mio.core.run.RunLifecycle;
import org.mio.core.run.Runs;
import org.mio.core.session.SessionFactory;
import org.mio.core.session.SessionFactory.Prepared;
import org.mio.numerics.Numerics;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The run service as a Declarative Services component: wires the plugin registry, the numerics
 * service and the deployment {@link Settings} into a {@link SessionFactory} (prepare) and a
 * {@link RunLifecycle} (run), and stops running experiments cleanly when the platform stops.
 */
@Component(
        service = {ExperimentService.class, Runs.class},
        configurationPid = Settings.PID)
@Designate(ocd = Settings.class)
public final class ExperimentServiceImpl implements Runs {
    private final PluginRegistry registry;
    private volatile Path cache;
    private final Numerics numerics;
    private final RunLifecycle runs;
    private volatile SessionFactory sessions;
    private volatile Path presets;
    private volatile Path runsRoot;
    private volatile Path logsRoot;

    /**
     * @param registry plugin services by kind
     * @param numerics ND4J readiness and threads
     * @param settings the deployment settings
     */
    @Activate
    public ExperimentServiceImpl(@Reference PluginRegistry registry, @Reference Numerics numerics, Settings settings) {
        this.registry = registry;
        this.numerics = numerics;
        modified(settings);
        this.runs = new RunLifecycle(
                registry,
                numerics,
                () -> runsRoot,
                platformBundles(),
                this::renderer,
                ExperimentServiceImpl::frameworkStopping);
    }

    /**
     * New deployment settings take effect for the next run, without stopping the component (and
     * so the runs it is running, and the commands that use it).
     */
    @Modified
    void modified(Settings settings) {
        Path p = settings.presets().isBlank() ? null : Path.of(settings.presets());
        cache = settings.cache().isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache", "mio")
                : Path.of(settings.cache());
        this.sessions = new SessionFactory(
                registry, numerics, p, cache, Duration.ofMillis(Math.max(0, settings.pluginWaitMs())));
        this.presets = p;
        this.runsRoot = Path.of(settings.runs());
        this.logsRoot = Path.of(settings.logs());
    }

    /**
     * Asks running experiments to finish their epoch, checkpoint and stop, and waits for them (≤ 2
     * min); a longer epoch is cut at its next step, its run keeping the checkpoint before it.
     */
    @Deactivate
    void deactivate() {
        stopRuns(Duration.ofMinutes(2));
    }

    /** {@link #deactivate} with another wait (for tests). */
    void stopRuns(Duration wait) {
        runs.stopAll("the platform is stopping", wait);
    }

    @Override
    public List<PluginInfo> plugins() {
        return registry.list();
    }

    @Override
    public List<String> presets() {
        return sessions.presets();
    }

    @Override
    public Optional<Path> sweepPreset(String name) {
        if (presets == null || name.contains("/") || name.endsWith(".json")) {
            return Optional.empty();
        }
        Path p = presets.resolve("sweeps").resolve(name + ".json");
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public Path runsRoot() {
        return runsRoot;
    }

    @Override
    public Path logsRoot() {
        return logsRoot;
    }

    @Override
    public RunOutcome run(RunRequest request) {
        return run(request, System.out);
    }

    @Override
    public Prepared prepare(RunRequest request) {
        return sessions.prepare(request);
    }

    @Override
    public RunOutcome run(RunRequest request, PrintStream progress) {
        return runs.run(sessions.prepare(request), request.outDir(), progress);
    }

    @Override
    public RunOutcome figures(Path dir, String snapshots, PrintStream progress) {
        Prepared prepared = sessions.prepare(new RunRequest(dir.toString(), List.of(), null, true));
        return prepared.error() != null ? prepared.error() : runs.figures(prepared.session(), dir, snapshots, progress);
    }

    @Override
    public RunOutcome analyze(Path dir, PrintStream progress) {
        Prepared prepared = sessions.prepare(new RunRequest(dir.toString(), List.of(), null, true));
        return prepared.error() != null ? prepared.error() : runs.analyze(prepared.session(), dir, progress);
    }

    @Override
    public Optional<FigureRenderer> renderer() {
        return registry.<FigureRenderer>pinAny(PluginType.RENDERER).map(Pinned::service);
    }

    @Override
    public Pinned<MIEstimator> estimator(String kind) {
        return sessions.estimator(kind, "--estimator");
    }

    @Override
    public Path cacheRoot() {
        return cache;
    }

    @Override
    public Numerics numerics() {
        return numerics;
    }

    private static boolean frameworkStopping() {
        Bundle self = FrameworkUtil.getBundle(ExperimentServiceImpl.class);
        return self != null
                && self.getBundleContext() != null
                && self.getBundleContext().getBundle(0).getState() == Bundle.STOPPING;
    }

    private static List<PluginInfo> platformBundles() {
        List<PluginInfo> out = new ArrayList<>();
        for (Class<?> c : new Class<?>[] {ExperimentService.class, Numerics.class, ExperimentServiceImpl.class}) {
            Bundle b = FrameworkUtil.getBundle(c);
            if (b != null) {
                out.add(new PluginInfo(
                        "platform", "", b.getSymbolicName(), b.getVersion().toString()));
            }
        }
        return out;
    }
}
