package org.mio.core.command;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mio.api.analysis.Analyzer;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.figure.FigureRenderer;
import org.mio.api.model.Network;
import org.mio.api.model.RecurrentModel;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.Rng;
import org.mio.api.run.ExperimentService;
import org.mio.api.run.PluginInfo;
import org.mio.api.run.RunOutcome;
import org.mio.api.run.RunOutcome.Status;
import org.mio.api.run.RunRequest;
import org.mio.api.task.Task;
import org.mio.api.task.TaskInstance;
import org.mio.core.config.ExperimentConfig;
import org.mio.core.config.ExperimentLoader;
import org.mio.core.config.Json;
import org.mio.core.config.JsonPluginParams;
import org.mio.core.config.PluginSpec;
import org.mio.core.figures.FigureWriter;
import org.mio.core.figures.RunFigures;
import org.mio.core.registry.Pinned;
import org.mio.core.registry.PluginRegistry;
import org.mio.core.registry.PluginType;
import org.mio.core.run.RunFolder;
import org.mio.core.train.RunControl;
import org.mio.core.train.Session;
import org.mio.core.train.Trainer;
import org.mio.numerics.Numerics;
import org.nd4j.linalg.api.buffer.DataType;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Runs experiments: load and validate, pin plugins by kind, create the run folder, train, and
 * report how it ended. Several runs may execute at once, each in its caller's thread.
 *
 * <p>Settings (system properties, set by the launcher): {@code mio.home} (the distribution, whose
 * {@code examples/} holds the presets), {@code mio.runs} (default root of run folders, default
 * {@code runs}), {@code mio.cache} (plugin data cache, default {@code ~/.cache/mio}) and
 * {@code mio.plugin.wait.ms} (how long a run waits for a plugin kind to appear, default 3000).
 */
@Component(service = {ExperimentService.class, ExperimentServiceImpl.class})
public final class ExperimentServiceImpl implements ExperimentService {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final PluginRegistry registry;
    private final Numerics numerics;
    private final Set<RunControl> active = ConcurrentHashMap.newKeySet();

    /** @param registry plugin services by kind; @param numerics ND4J readiness */
    @Activate
    public ExperimentServiceImpl(@Reference PluginRegistry registry, @Reference Numerics numerics) {
        this.registry = registry;
        this.numerics = numerics;
    }

    /** Asks running experiments to finish their epoch, checkpoint and stop, and waits for them (≤ 2 min). */
    @Deactivate
    void deactivate() {
        active.forEach(c -> c.stopAfterEpoch("the platform is stopping"));
        long deadline = System.currentTimeMillis() + 120_000;
        while (!active.isEmpty() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public List<PluginInfo> plugins() {
        return registry.list();
    }

    /** The presets of the distribution. */
    public List<String> presets() {
        return loader().presetNames();
    }

    @Override
    public RunOutcome run(RunRequest request) {
        return run(request, System.out);
    }

    /** An experiment ready to run: its plugin instances, or why it cannot run. */
    public record Prepared(Session session, RunOutcome error, Path resumeDir, int threads) {}

    /**
     * Loads and validates an experiment, pins its plugins and creates their instances. Nothing is
     * written.
     */
    public Prepared prepare(RunRequest request) {
        ExperimentLoader.Loaded loaded;
        Path resumeDir = null;
        try {
            if (request.resume()) {
                resumeDir = Path.of(request.experiment());
                Path exp = resumeDir.resolve(RunFolder.EXPERIMENT);
                if (!Files.isRegularFile(exp)) {
                    return failed(Status.INVALID, resumeDir + " is not a run folder (no " + RunFolder.EXPERIMENT + ")", null);
                }
                if (!request.overrides().isEmpty()) {
                    return failed(Status.INVALID,
                            "resume continues the recorded experiment exactly; --set is not allowed", resumeDir);
                }
                String name = resumeDir.getFileName().toString();
                loaded = ExperimentLoader.fromText(Files.readString(exp, StandardCharsets.UTF_8),
                        exp.toString(), name, List.of());
            } else {
                loaded = loader().load(request.experiment(), request.overrides());
            }
        } catch (ConfigException e) {
            return failed(Status.INVALID, e.getMessage(), null);
        } catch (IOException e) {
            return failed(Status.INVALID, "cannot read " + request.experiment() + ": " + e.getMessage(), null);
        }

        ExperimentConfig cfg = loaded.config();
        List<Pinned<?>> pinned = new ArrayList<>();
        Pinned<Task> task;
        Pinned<RecurrentModel> model;
        Pinned<MIEstimator> estimator;
        List<Pinned<Analyzer>> analyzers = new ArrayList<>();
        try {
            task = pin(PluginType.TASK, cfg.task(), "task", pinned);
            model = pin(PluginType.MODEL, cfg.model(), "model", pinned);
            estimator = pin(PluginType.ESTIMATOR, cfg.estimator(), "estimator", pinned);
            for (int i = 0; i < cfg.analysis().size(); i++) {
                analyzers.add(pin(PluginType.ANALYZER, cfg.analysis().get(i), "analysis[" + i + "]", pinned));
            }
        } catch (MissingPlugin e) {
            return failed(Status.MISSING_PLUGIN, loaded.source() + ": " + e.getMessage(), null);
        }

        int threads = cfg.threads() != null ? cfg.threads() : numerics.threads();
        if (threads != numerics.threads()) {
            numerics.setThreads(threads);
        }
        PluginContext context = new Context(cfg.dataType().equals("double") ? DataType.DOUBLE : DataType.FLOAT,
                threads, cacheDir());
        try {
            String src = loaded.source();
            TaskInstance ti = task.service().create(new JsonPluginParams(cfg.task().params(), src, "task.params"), context);
            Network net = model.service().create(new JsonPluginParams(cfg.model().params(), src, "model.params"),
                    context, ti.inputSize(), ti.outputSize(), Rng.derive(cfg.seed(), "init", "model"));
            Estimator est = estimator.service().create(
                    new JsonPluginParams(cfg.estimator().params(), src, "estimator.params"), context,
                    net.groups().group1().length, net.groups().group2().length,
                    Rng.derive(cfg.seed(), "init", "estimator"));
            List<Session.AnalyzerUse> uses = new ArrayList<>();
            for (int i = 0; i < analyzers.size(); i++) {
                PluginSpec spec = cfg.analysis().get(i);
                uses.add(new Session.AnalyzerUse(spec.kind(), analyzers.get(i).service(),
                        new JsonPluginParams(spec.params(), src, "analysis[" + i + "].params")));
            }
            return new Prepared(new Session(loaded, context, ti, net, est, uses, pinned), null, resumeDir, threads);
        } catch (ConfigException e) {
            return failed(Status.INVALID, e.getMessage(), null);
        } catch (IllegalArgumentException e) {
            return failed(Status.INVALID, loaded.source() + ": " + e.getMessage(), null);
        }
    }

    private static Prepared failed(Status status, String message, Path dir) {
        return new Prepared(null, new RunOutcome(status, message, dir), null, 0);
    }

    /** Runs, printing progress to {@code progress}. */
    public RunOutcome run(RunRequest request, PrintStream progress) {
        Prepared prepared = prepare(request);
        if (prepared.error() != null) {
            return prepared.error();
        }
        Session session = prepared.session();
        Path resumeDir = prepared.resumeDir();
        ExperimentConfig cfg = session.experiment().config();
        Path dir = resumeDir != null ? resumeDir : request.outDir() != null ? request.outDir()
                : Path.of(System.getProperty("mio.runs", "runs")).resolve(cfg.name() + "-" + LocalDateTime.now().format(STAMP));
        try {
            if (resumeDir == null && Files.isDirectory(dir)) {
                try (var s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        return new RunOutcome(Status.INVALID, dir + " exists and is not empty; choose another --out",
                                null);
                    }
                }
            }
            RunOutcome outcome = train(session, new RunFolder(dir), resumeDir != null, prepared.threads(), progress);
            boolean started = Files.isDirectory(dir.resolve("snapshots")) || Files.exists(dir.resolve("metrics.jsonl"));
            if (outcome.status() == Status.ABORTED) {
                // stopping quickly matters more here; the folder can be drawn at any time
                progress.println("figures of the epochs so far: mio figures " + dir);
            } else if (started) {
                // a failure here never changes how the run ended
                RunOutcome f = drawFigures(session, dir, "final", progress);
                progress.println((f.status() == Status.COMPLETED ? "figures: " : "mio: figures: ") + f.message());
            }
            return outcome;
        } catch (IOException e) {
            return new RunOutcome(Status.FAILED, "cannot write the run folder " + dir + ": " + e.getMessage(), dir);
        }
    }

    /**
     * Draws the figures and {@code report.html} of a run folder (finished, interrupted or
     * running) with the plugins its experiment names and the installed figure renderer.
     *
     * @param dir the run folder
     * @param snapshots {@code final}, {@code all} or a comma-separated list of snapshot epochs
     * @param progress where progress and problems go
     */
    public RunOutcome figures(Path dir, String snapshots, PrintStream progress) {
        Prepared prepared = prepare(new RunRequest(dir.toString(), List.of(), null, true));
        if (prepared.error() != null) {
            return prepared.error();
        }
        return drawFigures(prepared.session(), dir, snapshots, progress);
    }

    private RunOutcome drawFigures(Session session, Path dir, String snapshots, PrintStream progress) {
        Optional<FigureRenderer> renderer = renderer();
        if (renderer.isEmpty()) {
            return new RunOutcome(Status.MISSING_PLUGIN, "no figure renderer is installed (a plugin of type "
                    + "renderer, such as org.mio.render-jfreechart; see 'mio plugins')", dir);
        }
        try {
            FigureWriter w = RunFigures.draw(dir, RunFigures.Plugins.of(session), renderer.get(), snapshots, progress);
            String done = w.written().size() + " figures in " + dir.resolve(RunFigures.FIGURES) + ", report "
                    + dir.resolve("report.html");
            return w.problems().isEmpty() ? new RunOutcome(Status.COMPLETED, done, dir)
                    : new RunOutcome(Status.FAILED, done + "; " + w.problems().size() + " figure(s) failed: "
                            + String.join("; ", w.problems()), dir);
        } catch (ConfigException e) {
            return new RunOutcome(Status.INVALID, e.getMessage(), dir);
        } catch (IOException | RuntimeException e) {
            return new RunOutcome(Status.FAILED, "cannot draw the figures of " + dir + ": " + e
                    + "; draw them again with: mio figures " + dir, dir);
        }
    }

    /** The figure renderer, if one is installed. */
    public Optional<FigureRenderer> renderer() {
        return registry.<FigureRenderer>pinAny(PluginType.RENDERER).map(Pinned::service);
    }

    /** The numerics service (backend, BLAS, threads), for commands that report the machine. */
    public Numerics numerics() {
        return numerics;
    }

    private RunOutcome train(Session session, RunFolder folder, boolean resume, int threads, PrintStream progress)
            throws IOException {
        Map<String, Object> previous = null;
        Path provFile = folder.dir().resolve("provenance.json");
        if (resume && Files.exists(provFile)) {
            previous = Json.MAPPER.readValue(provFile.toFile(), LinkedHashMap.class);
        }
        if (!resume) {
            folder.writeJson(RunFolder.EXPERIMENT, session.experiment().tree());
        }
        Map<String, Object> prov = Provenance.start(session, platformBundles(), numerics.backend(), numerics.blas(),
                threads, resume, previous);
        folder.writeJson("provenance.json", prov);

        RunControl control = new RunControl();
        active.add(control);
        AutoCloseable listener = registry.onRemoval(id -> {
            for (Pinned<?> p : session.pinned()) {
                if (p.serviceId() == id) {
                    if (frameworkStopping()) {
                        // the run's objects outlive their services: finish the epoch and checkpoint it
                        control.stopAfterEpoch("the platform is stopping");
                    } else {
                        control.abort(p.describe() + " went away during the run");
                    }
                }
            }
        });
        String resumeHint = "; resume with: mio resume " + folder.dir();
        try {
            for (Pinned<?> p : session.pinned()) {
                if (!registry.isPresent(p.serviceId())) {
                    control.abort(p.describe() + " went away before the run started");
                }
            }
            progress.printf("run %s → %s%n", session.experiment().config().name(), folder.dir());
            Map<String, Object> last = new Trainer(session, folder, control, progress).run(resume);
            Integer epoch = last.get("epoch") instanceof Number n ? n.intValue() : 0;
            Provenance.finish(prov, "COMPLETED", "completed " + epoch + " epochs", epoch);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("experiment", session.experiment().config().name());
            summary.put("final", last);
            var analysis = folder.analysis().rows();
            if (!analysis.isEmpty()) {
                summary.put("finalAnalysis", analysis.get(analysis.size() - 1));
            }
            folder.writeJson("summary.json", summary);
            folder.writeJson("provenance.json", prov);
            return new RunOutcome(Status.COMPLETED, "completed " + epoch + " epochs in " + folder.dir(), folder.dir());
        } catch (Trainer.Diverged e) {
            return end(folder, prov, Status.FAILED, e.getMessage() + "; the last good checkpoint is kept" + resumeHint);
        } catch (IOException e) {
            return end(folder, prov, Status.FAILED, "cannot write to " + folder.dir() + ": " + e.getMessage()
                    + "; the last checkpoint is kept" + resumeHint);
        } catch (RunControl.Aborted e) {
            String kept = control.abortReason() != null ? "; the last checkpoint is kept" : "";
            return end(folder, prov, Status.ABORTED, e.getMessage() + kept + resumeHint);
        } catch (RuntimeException e) {
            String reason = control.abortReason();
            if (reason != null) {
                return end(folder, prov, Status.ABORTED, reason + "; the last checkpoint is kept" + resumeHint);
            }
            org.slf4j.LoggerFactory.getLogger(ExperimentServiceImpl.class).error("run failed", e);
            return end(folder, prov, Status.FAILED, "the run failed: " + e + "; the last checkpoint is kept"
                    + resumeHint);
        } finally {
            active.remove(control);
            try {
                listener.close();
            } catch (Exception e) {
                // removing a listener cannot fail
            }
        }
    }

    private static boolean frameworkStopping() {
        Bundle self = FrameworkUtil.getBundle(ExperimentServiceImpl.class);
        return self != null && self.getBundleContext() != null
                && self.getBundleContext().getBundle(0).getState() == Bundle.STOPPING;
    }

    private static RunOutcome end(RunFolder folder, Map<String, Object> prov, Status status, String message) {
        Provenance.finish(prov, status.name(), message, null);
        try {
            folder.writeJson("provenance.json", prov);
        } catch (IOException e) {
            message = message + " (provenance.json could not be updated: " + e.getMessage() + ")";
        }
        return new RunOutcome(status, message, folder.dir());
    }

    private <T> Pinned<T> pin(PluginType type, PluginSpec spec, String section, List<Pinned<?>> pinned) {
        long wait = Long.getLong("mio.plugin.wait.ms", 3000);
        Optional<Pinned<T>> p = registry.pin(type, spec.kind(), wait);
        if (p.isEmpty()) {
            List<String> kinds = registry.kinds(type);
            throw new MissingPlugin(section + ".kind: " + type.label() + " plugin '" + spec.kind()
                    + "' is not installed; installed " + type.label() + " kinds: "
                    + (kinds.isEmpty() ? "(none)" : String.join(", ", kinds))
                    + " (drop the plugin's bundle into plugins/ or run 'mio plugins')");
        }
        pinned.add(p.get());
        return p.get();
    }

    private List<PluginInfo> platformBundles() {
        List<PluginInfo> out = new ArrayList<>();
        for (Class<?> c : new Class<?>[] {ExperimentService.class, Numerics.class, ExperimentServiceImpl.class}) {
            Bundle b = FrameworkUtil.getBundle(c);
            if (b != null) {
                out.add(new PluginInfo("platform", "", b.getSymbolicName(), b.getVersion().toString()));
            }
        }
        return out;
    }

    private static ExperimentLoader loader() {
        String home = System.getProperty("mio.home");
        return new ExperimentLoader(home == null ? null : Path.of(home, "examples"));
    }

    private static Path cacheDir() {
        String c = System.getProperty("mio.cache");
        return c != null ? Path.of(c) : Path.of(System.getProperty("user.home"), ".cache", "mio");
    }

    private static final class MissingPlugin extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingPlugin(String message) {
            super(message, null, false, false);
        }
    }

    private record Context(DataType dataType, int threads, Path cacheDir) implements PluginContext {}
}
