package org.mio.core.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.figure.FigureRenderer;
import org.mio.api.run.ExperimentService;
import org.mio.api.run.RunOutcome;
import org.mio.api.run.RunRequest;
import org.mio.core.registry.Pinned;
import org.mio.core.session.SessionFactory.Prepared;
import org.mio.numerics.Numerics;

/**
 * What the commands (CLI, shell, sweeps, bench, grad) use of the run service, inside the core:
 * {@link ExperimentService} plus preparing without running, figures, and the deployment's
 * folders.
 */
public interface Runs extends ExperimentService {

    /** Loads and validates an experiment, pins its plugins and creates their instances; writes nothing. */
    Prepared prepare(RunRequest request);

    /** Runs (or resumes) an experiment, printing progress to {@code progress}. */
    RunOutcome run(RunRequest request, PrintStream progress);

    /**
     * Draws the figures and {@code report.html} of a run folder.
     *
     * @param snapshots {@code final}, {@code all} or a comma-separated list of snapshot epochs
     */
    RunOutcome figures(Path dir, String snapshots, PrintStream progress);

    /**
     * Runs the analyzers of a run folder's experiment again on every snapshot it has, rewrites
     * {@code analysis.jsonl} and {@code analysis.csv} (and {@code summary.json} if the run
     * finished), and draws the figures again.
     */
    RunOutcome analyze(Path dir, PrintStream progress);

    /** The figure renderer, if one is installed. */
    Optional<FigureRenderer> renderer();

    /** The experiment presets of this deployment. */
    List<String> presets();

    /** The sweep preset called {@code name}, if the deployment has one. */
    Optional<Path> sweepPreset(String name);

    /** Default parent of new run and sweep folders. */
    Path runsRoot();

    /** Where the stack traces of commands that fail outside a run folder go. */
    Path logsRoot();

    /**
     * The estimator plugin of a kind, for {@code mio estimate}.
     *
     * @throws org.mio.api.plugin.ConfigException listing the installed kinds if none is installed
     */
    Pinned<MIEstimator> estimator(String kind);

    /** The folder where plugins may cache deterministic data. */
    Path cacheRoot();

    /** Backend, BLAS and threads, for commands that report the machine. */
    Numerics numerics();
}
