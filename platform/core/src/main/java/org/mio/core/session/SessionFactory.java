package org.mio.core.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mio.api.analysis.Analyzer;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.model.Network;
import org.mio.api.model.RecurrentModel;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.Footprint;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.Rng;
import org.mio.api.run.RunOutcome;
import org.mio.api.run.RunOutcome.Status;
import org.mio.api.run.RunRequest;
import org.mio.api.task.Task;
import org.mio.api.task.TaskInstance;
import org.mio.core.config.ExperimentConfig;
import org.mio.core.config.ExperimentLoader;
import org.mio.core.config.JsonPluginParams;
import org.mio.core.config.PluginSpec;
import org.mio.core.registry.Pinned;
import org.mio.core.registry.PluginRegistry;
import org.mio.core.registry.PluginType;
import org.mio.core.run.RunFolder;
import org.mio.core.train.MetricCatalog;
import org.mio.numerics.MemoryLimits;
import org.mio.numerics.Numerics;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Prepares a run without writing anything: loads and validates the experiment (a file, a preset
 * or, to resume, a run folder's {@code experiment.json}), pins its plugins by kind, sets the
 * run's thread count, and creates the task, network, estimator and analyzer instances, which
 * validates their parameters and the experiment's criteria.
 */
public final class SessionFactory {
    private final PluginRegistry registry;
    private final Numerics numerics;
    private final ExperimentLoader loader;
    private final Path cacheDir;
    private final Duration pluginWait;

    /**
     * @param registry plugin services by kind
     * @param numerics ND4J readiness and threads
     * @param presets folder of experiment presets, or {@code null}
     * @param cacheDir the plugins' data cache
     * @param pluginWait how long to wait for a plugin kind to appear
     */
    public SessionFactory(
            PluginRegistry registry, Numerics numerics, Path presets, Path cacheDir, Duration pluginWait) {
        this.registry = registry;
        this.numerics = numerics;
        this.loader = new ExperimentLoader(presets);
        this.cacheDir = cacheDir;
        this.pluginWait = pluginWait;
    }

    /**
     * An experiment ready to run: its plugin instances, or why it cannot run.
     *
     * @param session the plugin instances, or {@code null} on error
     * @param error why it cannot run, or {@code null}
     * @param resumeDir the run folder to continue, or {@code null} for a new run
     * @param threads BLAS and loop threads of the run
     * @param memory the memory estimate against the limits, one line, or {@code null} on error
     */
    public record Prepared(Session session, RunOutcome error, Path resumeDir, int threads, String memory) {}

    /** The preset names. */
    public List<String> presets() {
        return loader.presetNames();
    }

    /** Loads, pins and creates; nothing is written. */
    public Prepared prepare(RunRequest request) {
        ExperimentLoader.Loaded loaded;
        Path resumeDir = null;
        try {
            if (request.resume()) {
                resumeDir = Path.of(request.experiment());
                Path exp = resumeDir.resolve(RunFolder.EXPERIMENT);
                if (!Files.isRegularFile(exp)) {
                    return failed(Status.INVALID, resumeDir + " is not a run folder (no " + RunFolder.EXPERIMENT + ")");
                }
                if (!request.overrides().isEmpty()) {
                    return failed(
                            Status.INVALID, "resume continues the recorded experiment exactly; --set is not allowed");
                }
                loaded = ExperimentLoader.fromText(
                        org.mio.core.config.Json.readUtf8(exp),
                        exp.toString(),
                        resumeDir.getFileName().toString(),
                        List.of());
            } else {
                loaded = loader.load(request.experiment(), request.overrides());
            }
        } catch (ConfigException e) {
            return failed(Status.INVALID, e.getMessage());
        } catch (IOException e) {
            return failed(Status.INVALID, "cannot read " + request.experiment() + ": " + e.getMessage());
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
            return failed(Status.MISSING_PLUGIN, loaded.source() + ": " + e.getMessage());
        }

        int threads = cfg.threads() != null ? cfg.threads() : numerics.threads();
        if (threads != numerics.threads()) {
            numerics.setThreads(threads);
        }
        PluginContext context =
                new Context(cfg.dataType().equals("double") ? DataType.DOUBLE : DataType.FLOAT, threads, cacheDir);
        try {
            String src = loaded.source();
            TaskInstance ti = task.service()
                    .create(
                            new JsonPluginParams(cfg.task().params(), src, "task.params"),
                            context,
                            Rng.derive(cfg.seed(), "init", "task"));
            // sizes that cannot fit are refused before the arrays that grow with them exist: the
            // task's batch and the model first, then (with the groups the model has) the estimator
            // and the trainer's own arrays
            int batch = cfg.training().batchSize();
            long steps = ti.steps();
            JsonPluginParams modelParams = new JsonPluginParams(cfg.model().params(), src, "model.params");
            JsonPluginParams estimatorParams =
                    new JsonPluginParams(cfg.estimator().params(), src, "estimator.params");
            Footprint taskFootprint = ti.footprint(batch);
            MemoryCheck memory = new MemoryCheck(src, MemoryLimits.current())
                    .sizes(platformSizes(batch, steps, taskFootprint))
                    .add("task.params", taskFootprint)
                    .add(
                            "model.params",
                            model.service()
                                    .footprint(modelParams, context, ti.inputSize(), ti.outputSize(), batch, steps));
            memory.check();
            Network net = model.service()
                    .create(
                            modelParams,
                            context,
                            ti.inputSize(),
                            ti.outputSize(),
                            Rng.derive(cfg.seed(), "init", "model"));
            int dimX = net.groups().group1().length;
            int dimY = net.groups().group2().length;
            long rows = Footprint.product(batch, steps);
            memory.add("estimator.params", estimator.service().footprint(estimatorParams, context, dimX, dimY, rows))
                    .add("training", trainerFootprint(context, rows, dimX + dimY, net.activitySize(), ti.outputSize()))
                    .check();
            Estimator est = estimator
                    .service()
                    .create(estimatorParams, context, dimX, dimY, Rng.derive(cfg.seed(), "init", "estimator"));
            List<Session.AnalyzerUse> uses = new ArrayList<>();
            for (int i = 0; i < analyzers.size(); i++) {
                PluginSpec spec = cfg.analysis().get(i);
                uses.add(new Session.AnalyzerUse(
                        spec.kind(),
                        analyzers.get(i).service(),
                        new JsonPluginParams(spec.params(), src, "analysis[" + i + "].params")));
            }
            Session session = new Session(loaded, context, ti, net, est, uses, pinned);
            MetricCatalog.of(session).check(cfg.criteria(), src + ": criteria");
            return new Prepared(session, null, resumeDir, threads, memory.summary());
        } catch (ConfigException e) {
            return failed(Status.INVALID, e.getMessage());
        } catch (IllegalArgumentException e) {
            return failed(Status.INVALID, loaded.source() + ": " + e.getMessage());
        }
    }

    /**
     * The trainer's own arrays of a model step: the groups' activity handed to the estimator,
     * the gradient with respect to the activity and the outputs' gradient. Nothing is known
     * without the task's sequence length.
     */
    private static Footprint trainerFootprint(PluginContext context, long rows, long groups, long units, long outputs) {
        if (rows == 0) {
            return Footprint.NONE;
        }
        DataType t = context.dataType();
        return Footprint.of(
                Footprint.nd4j("activity of both groups", null, null, t, 1, rows, groups),
                Footprint.nd4j("gradient with respect to the activity", null, null, t, 1, rows, units),
                Footprint.nd4j("gradient of the outputs", null, null, t, 1, rows, outputs));
    }

    /** "training.batchSize = 20 with sequences of 3000 steps (task.params.learningSteps = 2000)". */
    private static String platformSizes(int batch, long steps, Footprint task) {
        String s = "training.batchSize = " + batch;
        if (steps > 0) {
            s += " with sequences of " + steps + " steps";
            for (Footprint.Part p : task.parts()) {
                if (p.field() != null) {
                    s += " (task.params." + p.field() + " = " + p.value() + ")";
                    break;
                }
            }
        }
        return s;
    }

    private static Prepared failed(Status status, String message) {
        return new Prepared(null, new RunOutcome(status, message, null), null, 0, null);
    }

    /**
     * The estimator plugin of a kind, for a command outside a run ({@code mio estimate}).
     *
     * @param option what named the kind, for the message
     * @throws ConfigException listing the installed kinds if none is installed
     */
    public Pinned<MIEstimator> estimator(String kind, String option) {
        Optional<Pinned<MIEstimator>> p = registry.pin(PluginType.ESTIMATOR, kind, pluginWait.toMillis());
        return p.orElseThrow(() -> new ConfigException(missing(PluginType.ESTIMATOR, kind, option)));
    }

    private String missing(PluginType type, String kind, String where) {
        List<String> kinds = registry.kinds(type);
        return where + ": " + type.label() + " plugin '" + kind + "' is not installed; installed " + type.label()
                + " kinds: " + (kinds.isEmpty() ? "(none)" : String.join(", ", kinds))
                + " (drop the plugin's bundle into plugins/ or run 'mio plugins')";
    }

    private <T> Pinned<T> pin(PluginType type, PluginSpec spec, String section, List<Pinned<?>> pinned) {
        Optional<Pinned<T>> p = registry.pin(type, spec.kind(), pluginWait.toMillis());
        if (p.isEmpty()) {
            throw new MissingPlugin(missing(type, spec.kind(), section + ".kind"));
        }
        pinned.add(p.get());
        return p.get();
    }

    private static final class MissingPlugin extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingPlugin(String message) {
            super(message, null, false, false);
        }
    }

    private record Context(DataType dataType, int threads, Path cacheDir) implements PluginContext {}
}
