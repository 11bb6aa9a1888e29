package org.mio.core.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.mio.api.figure.FigureRenderer;
import org.mio.api.plugin.ConfigException;
import org.mio.api.run.PluginInfo;
import org.mio.api.run.RunOutcome;
import org.mio.api.run.RunOutcome.Status;
import org.mio.core.config.Criteria;
import org.mio.core.config.Criterion;
import org.mio.core.figures.FigureWriter;
import org.mio.core.figures.RunFigures;
import org.mio.core.registry.Pinned;
import org.mio.core.registry.PluginRegistry;
import org.mio.core.session.Session;
import org.mio.core.session.SessionFactory.Prepared;
import org.mio.core.train.MetricCatalog;
import org.mio.core.train.RunControl;
import org.mio.core.train.Trainer;
import org.mio.core.train.TrainerMetrics;
import org.mio.numerics.Numerics;

/**
 * The life of a run from a prepared session to its outcome: the run folder (new, or the one
 * resumed), {@code provenance.json} at the start and the end, the watch on its pinned plugins
 * (a plugin that goes away aborts the run after a checkpoint), the trainer, {@code summary.json}
 * with the run's verdict under the experiment's criteria, and the figures at the end. Several
 * runs may live at once, each in its caller's thread.
 */
public final class RunLifecycle {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final PluginRegistry registry;
    private final Numerics numerics;
    private final Supplier<Path> runsRoot;
    private final List<PluginInfo> platformBundles;
    private final Supplier<Optional<FigureRenderer>> renderer;
    private final BooleanSupplier platformStopping;
    private final Set<RunControl> active = ConcurrentHashMap.newKeySet();
    /** Why runs stop ({@link #stopAll}); no run starts once it is set. */
    private volatile String stopReason;

    /**
     * @param registry the plugin registry (removal events)
     * @param numerics backend and BLAS, for provenance
     * @param runsRoot parent of new run folders when the request names none (a deployment
     *     setting, read at each run)
     * @param platformBundles the platform's bundles, for provenance
     * @param renderer the figure renderer, if one is installed
     * @param platformStopping whether the framework is shutting down (then a plugin's removal
     *     finishes the epoch instead of aborting)
     */
    public RunLifecycle(
            PluginRegistry registry,
            Numerics numerics,
            Supplier<Path> runsRoot,
            List<PluginInfo> platformBundles,
            Supplier<Optional<FigureRenderer>> renderer,
            BooleanSupplier platformStopping) {
        this.registry = registry;
        this.numerics = numerics;
        this.runsRoot = runsRoot;
        this.platformBundles = List.copyOf(platformBundles);
        this.renderer = renderer;
        this.platformStopping = platformStopping;
    }

    /**
     * A run's {@code summary.json}.
     *
     * @param experiment its name
     * @param finalMetrics the last metrics row
     * @param finalAnalysis the last analysis row, if any
     * @param success the success criteria
     * @param differentiation the differentiation criteria
     * @param successful whether it succeeded ({@code null} without success criteria)
     * @param differentiated whether it differentiated ({@code null} without differentiation criteria)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(
            String experiment,
            @JsonProperty("final") Map<String, Object> finalMetrics,
            Map<String, Object> finalAnalysis,
            List<String> success,
            List<String> differentiation,
            Boolean successful,
            Boolean differentiated) {}

    /**
     * Runs a prepared session to its end.
     *
     * @param prepared the session, or the error that stopped its preparation
     * @param outDir the folder of a new run, or {@code null} for {@code <runs>/<name>-<time>}
     * @param progress where the progress lines go
     */
    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    public RunOutcome run(Prepared prepared, Path outDir, PrintStream progress) {
        String stopping = stopping();
        if (stopping != null) {
            // a sweep's queued trial, or a command typed while the platform shuts down: its plugins
            // may already be gone, which is not what to tell the user
            return new RunOutcome(
                    Status.ABORTED,
                    "not started: " + stopping + "; run the same command again to start it",
                    prepared.resumeDir());
        }
        if (prepared.error() != null) {
            return prepared.error();
        }
        Session session = prepared.session();
        boolean resume = prepared.resumeDir() != null;
        Path dir = resume
                ? prepared.resumeDir()
                : outDir != null
                        ? outDir
                        : runsRoot.get()
                                .resolve(session.experiment().config().name() + "-"
                                        + LocalDateTime.now().format(STAMP));
        if (!resume && Files.exists(dir) && !Files.isDirectory(dir)) {
            return new RunOutcome(Status.INVALID, "--out " + dir + " is a file; name a new or empty folder", null);
        }
        if (!resume && nonEmpty(dir)) {
            return new RunOutcome(Status.INVALID, dir + " exists and is not empty; choose another --out", null);
        }
        try (RunLock lock = RunLock.acquire(dir)) {
            if (!resume && nonEmpty(dir)) {
                // another run took the folder between the check and the lock, and has left it
                return new RunOutcome(Status.INVALID, dir + " exists and is not empty; choose another --out", null);
            }
            RunFolder folder = new RunFolder(dir);
            RunOutcome outcome = train(session, folder, resume, prepared.threads(), prepared.memory(), progress);
            boolean started =
                    Files.isDirectory(dir.resolve("snapshots")) || Files.exists(dir.resolve(RunFolder.METRICS));
            if (outcome.status() == Status.ABORTED) {
                // stopping quickly matters more here; the folder can be drawn at any time
                progress.println("figures of the epochs so far: mio figures " + dir);
            } else if (started && outcome.status() != Status.INVALID) {
                // (a refused resume wrote nothing, and draws nothing either)
                // a failure here never changes how the run ended
                RunOutcome f = figures(session, dir, "final", progress);
                progress.println((f.status() == Status.COMPLETED ? "figures: " : "mio: figures: ") + f.message());
            }
            return outcome;
        } catch (RunLock.Held e) {
            return new RunOutcome(Status.INVALID, e.getMessage(), null);
        } catch (IOException e) {
            return new RunOutcome(
                    Status.FAILED, "cannot write the run folder " + dir + ": " + IoErrors.describe(e), dir);
        }
    }

    /** Whether {@code dir} holds anything but its lock file. */
    private static boolean nonEmpty(Path dir) throws java.io.UncheckedIOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var s = Files.list(dir)) {
            return s.anyMatch(p -> !RunLock.isLockFile(p));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Draws the figures and {@code report.html} of a run folder (finished, interrupted or
     * running) with the session's plugins and the installed figure renderer.
     *
     * @param snapshots {@code final}, {@code all} or a comma-separated list of snapshot epochs
     */
    public RunOutcome figures(Session session, Path dir, String snapshots, PrintStream progress) {
        Optional<FigureRenderer> r = renderer.get();
        if (r.isEmpty()) {
            return new RunOutcome(
                    Status.MISSING_PLUGIN,
                    "no figure renderer is installed (a plugin of type "
                            + "renderer, such as org.mio.render-jfreechart; see 'mio plugins')",
                    dir);
        }
        try {
            FigureWriter w = RunFigures.draw(dir, RunFigures.Plugins.of(session), r.get(), snapshots, progress);
            String done = w.written().size() + " figures in " + dir.resolve(RunFigures.FIGURES) + ", report "
                    + dir.resolve("report.html");
            return w.problems().isEmpty()
                    ? new RunOutcome(Status.COMPLETED, done, dir)
                    : new RunOutcome(
                            Status.FAILED,
                            done + "; " + w.problems().size() + " problem(s), each named above " + "and in the report",
                            dir);
        } catch (ConfigException e) {
            return new RunOutcome(Status.INVALID, e.getMessage(), dir);
        } catch (IOException e) {
            return new RunOutcome(
                    Status.FAILED,
                    "cannot draw the figures of " + dir + ": " + IoErrors.describe(e)
                            + "; draw them again with: mio figures " + dir,
                    dir);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            // a plugin's or a renderer's defect: the trace goes to the run's log, not the console
            Path log = ErrorLog.append(dir.resolve(ErrorLog.RUN_LOG), "figures of " + dir, e);
            return new RunOutcome(
                    Status.FAILED,
                    "cannot draw the figures of " + dir + ": " + e + " (" + ErrorLog.where(log) + ")",
                    dir);
        }
    }

    /**
     * Runs the analyzers of the session's experiment again on every snapshot of a run folder
     * (finished or stopped, not running: the folder is locked meanwhile), replaces its analysis
     * table, its {@code summary.json} if the run finished, and its figures. A damaged snapshot
     * stops it before anything is rewritten.
     */
    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    public RunOutcome analyze(Session session, Path dir, PrintStream progress) {
        if (session.analyzers().isEmpty()) {
            return new RunOutcome(
                    Status.INVALID,
                    dir.resolve(RunFolder.EXPERIMENT) + " names no analyzers (\"analysis\": [...]); nothing to analyze",
                    dir);
        }
        RunControl control = new RunControl();
        try (RunLock lock = RunLock.acquire(dir)) {
            List<Integer> epochs = RunFigures.snapshotEpochs(dir);
            if (epochs.isEmpty()) {
                return new RunOutcome(Status.INVALID, dir + " has no snapshots yet; nothing to analyze", dir);
            }
            active.add(control);
            RunFolder folder = new RunFolder(dir);
            progress.printf("analyzing %d snapshots of %s%n", epochs.size(), dir);
            List<Map<String, Object>> rows = new Trainer(session, folder, control, progress).reanalyze(epochs);
            folder.analysis().replace(rows);
            if (Files.exists(dir.resolve(RunFolder.SUMMARY))) {
                List<Map<String, Object>> metrics = RunFolder.readRows(dir.resolve(RunFolder.METRICS));
                Map<String, Object> last = metrics.isEmpty() ? Map.of() : metrics.get(metrics.size() - 1);
                folder.writeJson(RunFolder.SUMMARY, summary(session, folder, last));
            }
            RunOutcome f = figures(session, dir, "final", progress);
            String done = "analyzed " + rows.size() + " snapshots (epochs " + epochs.get(0) + "–"
                    + epochs.get(epochs.size() - 1) + ") into " + dir.resolve("analysis.csv") + "; " + f.message();
            return new RunOutcome(f.status() == Status.MISSING_PLUGIN ? Status.COMPLETED : f.status(), done, dir);
        } catch (RunLock.Held e) {
            return new RunOutcome(Status.INVALID, e.getMessage(), dir);
        } catch (Checkpoint.Damaged e) {
            return new RunOutcome(Status.INVALID, e.getMessage() + "; nothing was rewritten", dir);
        } catch (RunControl.Aborted e) {
            return new RunOutcome(Status.ABORTED, e.getMessage() + "; the analysis table is unchanged", dir);
        } catch (IOException e) {
            return new RunOutcome(
                    Status.FAILED, "cannot write the run folder " + dir + ": " + IoErrors.describe(e), dir);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            Path log = ErrorLog.append(dir.resolve(ErrorLog.RUN_LOG), "analyze " + dir, e);
            return new RunOutcome(
                    Status.FAILED,
                    "cannot analyze " + dir + ": " + e + " (" + ErrorLog.where(log) + "); the analysis table is"
                            + " unchanged",
                    dir);
        } finally {
            active.remove(control);
        }
    }

    /** How long runs stopped at once (their epoch being too long to wait for) get to record it. */
    static final Duration ABORT_WAIT = Duration.ofSeconds(30);

    /**
     * Asks every running run to finish its epoch, checkpoint and stop, and waits for them up to
     * {@code wait}. Runs still going then (an epoch of sep-paper takes minutes) are stopped at
     * their next step: they keep the checkpoint of their last whole epoch, record themselves as
     * aborted and say how to resume, within {@link #ABORT_WAIT}.
     */
    public void stopAll(String reason, Duration wait) {
        stopReason = reason;
        active.forEach(c -> c.stopAfterEpoch(reason));
        if (awaitIdle(wait)) {
            return;
        }
        active.forEach(c -> c.abort(reason + "; the epoch did not finish within " + wait.toSeconds() + " s"));
        awaitIdle(ABORT_WAIT);
    }

    /** Why no run may start now ({@link #stopAll} was called, or the framework is stopping), or {@code null}. */
    private String stopping() {
        String reason = stopReason;
        return reason != null ? reason : platformStopping.getAsBoolean() ? "the platform is stopping" : null;
    }

    /** Whether every run ended within {@code wait}. */
    private boolean awaitIdle(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!active.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return active.isEmpty();
            }
        }
        return active.isEmpty();
    }

    private RunOutcome train(
            Session session, RunFolder folder, boolean resume, int threads, String memory, PrintStream progress)
            throws IOException {
        RunControl control = new RunControl();
        Trainer trainer = new Trainer(session, folder, control, progress);
        Integer resumedEpoch = null;
        Provenance previous = null;
        if (resume) {
            // everything a resume trusts is checked before anything is written
            try {
                previous = Provenance.read(folder.dir());
                Checkpoint cp = Checkpoint.load(folder.dir());
                if (cp == null) {
                    progress.println(folder.dir() + " has no checkpoint yet (the run stopped before its first one): "
                            + "starting again from epoch 0");
                    folder.clearResults();
                } else {
                    RunFolder.checkRows(folder.dir().resolve(RunFolder.METRICS), cp.epoch(), true);
                    RunFolder.checkRows(folder.dir().resolve(RunFolder.ANALYSIS), cp.epoch(), false);
                    trainer.restore(cp);
                    resumedEpoch = cp.epoch();
                }
            } catch (Checkpoint.Damaged e) {
                return new RunOutcome(Status.INVALID, e.getMessage(), folder.dir());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return new RunOutcome(
                        Status.INVALID,
                        folder.dir().resolve(RunFolder.PROVENANCE) + ": not readable (" + e.getOriginalMessage() + ")",
                        folder.dir());
            }
        } else {
            folder.writeJson(RunFolder.EXPERIMENT, session.experiment().tree());
        }
        Provenance prov = Provenance.start(
                session, platformBundles, numerics.backend(), numerics.blas(), threads, resume, null, previous);
        folder.writeJson(RunFolder.PROVENANCE, prov);

        active.add(control);
        String stopping = stopping();
        if (stopping != null) {
            control.stopAfterEpoch(stopping); // stopAll ran between the start of run() and here
        }
        AutoCloseable listener = registry.onRemoval(id -> {
            for (Pinned<?> p : session.pinned()) {
                if (p.serviceId() == id) {
                    if (platformStopping.getAsBoolean()) {
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
            if (memory != null) {
                progress.println("memory estimate: " + memory);
            }
            Map<String, Object> last = trainer.run(resumedEpoch);
            int epoch = last.get(TrainerMetrics.EPOCH) instanceof Number n ? n.intValue() : 0;
            folder.writeJson(RunFolder.SUMMARY, summary(session, folder, last));
            folder.writeJson(RunFolder.PROVENANCE, prov.finish("COMPLETED", "completed " + epoch + " epochs", epoch));
            return new RunOutcome(Status.COMPLETED, "completed " + epoch + " epochs in " + folder.dir(), folder.dir());
        } catch (Trainer.Diverged e) {
            return end(folder, prov, Status.FAILED, e.getMessage() + "; the last good checkpoint is kept" + resumeHint);
        } catch (IOException e) {
            return end(
                    folder,
                    prov,
                    Status.FAILED,
                    "cannot write to " + folder.dir() + ": " + IoErrors.describe(e) + "; the last checkpoint is kept"
                            + resumeHint);
        } catch (RunControl.Aborted e) {
            String kept = control.abortReason() != null ? "; the last checkpoint is kept" : "";
            return end(folder, prov, Status.ABORTED, e.getMessage() + kept + resumeHint);
        } catch (OutOfMemoryError e) {
            // ND4J's off-heap allocator throws this itself when its limit is reached (the JVM's own
            // heap exhaustion ends the process: -XX:+ExitOnOutOfMemoryError)
            Path log = ErrorLog.append(folder.dir().resolve(ErrorLog.RUN_LOG), "run " + folder.dir(), e);
            return end(
                    folder,
                    prov,
                    Status.FAILED,
                    "out of memory: " + e.getMessage() + " (" + ErrorLog.where(log) + "); raise the limit with "
                            + "MIO_JAVA_OPTS=-Xmx… (ND4J's follows it) or make the experiment smaller; the last "
                            + "checkpoint is kept" + resumeHint);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            String reason = control.abortReason();
            if (reason != null) {
                return end(folder, prov, Status.ABORTED, reason + "; the last checkpoint is kept" + resumeHint);
            }
            // a defect (of a plugin, most likely): one line here, the trace in the run's log
            Path log = ErrorLog.append(folder.dir().resolve(ErrorLog.RUN_LOG), "run " + folder.dir(), e);
            return end(
                    folder,
                    prov,
                    Status.FAILED,
                    "the run failed: " + e + " (" + ErrorLog.where(log) + "); the last checkpoint is kept"
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

    private static Summary summary(Session session, RunFolder folder, Map<String, Object> last) throws IOException {
        var analysis = folder.analysis().rows();
        Map<String, Object> finalAnalysis = analysis.isEmpty() ? null : analysis.get(analysis.size() - 1);
        Criteria c = session.experiment().config().criteria();
        Criteria.Verdict v = c.judge(true, MetricCatalog.finals(last, finalAnalysis));
        return new Summary(
                session.experiment().config().name(),
                last,
                finalAnalysis,
                c.success().stream().map(Criterion::toString).toList(),
                c.differentiation().stream().map(Criterion::toString).toList(),
                v.successful(),
                v.differentiated());
    }

    private static RunOutcome end(RunFolder folder, Provenance prov, Status status, String message) {
        try {
            folder.writeJson(RunFolder.PROVENANCE, prov.finish(status.name(), message, null));
        } catch (IOException e) {
            message = message + " (provenance.json could not be updated: " + IoErrors.describe(e) + ")";
        }
        return new RunOutcome(status, message, folder.dir());
    }
}
