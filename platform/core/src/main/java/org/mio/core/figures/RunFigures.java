package org.mio.core.figures;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.mio.api.analysis.StoredSnapshot;
import org.mio.api.figure.Figure;
import org.mio.api.figure.FigureRenderer;
import org.mio.api.model.UnitGroups;
import org.mio.api.plugin.ConfigException;
import org.mio.api.task.TaskInstance;
import org.mio.api.task.Trace;
import org.mio.core.run.RunFolder;
import org.mio.core.run.RunTrace;
import org.mio.core.session.Session;
import org.mio.core.train.MetricCatalog;
import org.mio.numerics.Npy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Draws every figure of a run folder from its files alone (metrics, analyses, snapshots), so a
 * finished, interrupted or still running run can be drawn at any time: the training curves, and
 * for each chosen snapshot the task's dynamics and every analyzer's figures. Writes
 * {@code figures/NAME.png} and {@code .svg}, then {@code report.html}.
 */
public final class RunFigures {
    /** Subfolder of the run folder holding the figures. */
    public static final String FIGURES = "figures";

    private RunFigures() {}

    /**
     * What the figures of a run are drawn with: the run's task instance, groups, parameter
     * names and analyzers.
     *
     * @param task the task instance (draws the dynamics)
     * @param groups the unit groups
     * @param parameterNames names of the network's parameters (the other arrays of a snapshot
     *     belong to analyzers)
     * @param analyzers the analyzers with their params
     * @param metrics the run's metrics as its plugins describe them (panels of the curves)
     */
    public record Plugins(
            TaskInstance task,
            UnitGroups groups,
            Set<String> parameterNames,
            List<Session.AnalyzerUse> analyzers,
            MetricCatalog metrics) {

        /** From a prepared session. */
        public static Plugins of(Session s) {
            return new Plugins(
                    s.task(),
                    s.network().groups(),
                    s.network().parameters().keySet(),
                    s.analyzers(),
                    MetricCatalog.of(s));
        }
    }

    /**
     * Draws the figures of a run.
     *
     * @param dir the run folder
     * @param plugins what draws the task and analyzer figures
     * @param renderer draws figures into files
     * @param snapshots which snapshots: {@code final} (the last one), {@code all}, or a
     *     comma-separated list of epochs
     * @param log where progress and problems go
     * @return what was written and what failed
     * @throws ConfigException if {@code snapshots} names no existing snapshot
     * @throws IOException if the run folder cannot be read or the report not written
     */
    public static FigureWriter draw(
            Path dir, Plugins plugins, FigureRenderer renderer, String snapshots, PrintStream log) throws IOException {
        List<Integer> epochs = snapshotEpochs(dir);
        List<Integer> chosen = choose(epochs, snapshots);
        FigureWriter w = new FigureWriter(renderer, dir.resolve(FIGURES), log);
        List<Map<String, Object>> metrics = RunFolder.readRows(dir.resolve(RunFolder.METRICS), w::problem);
        List<Map<String, Object>> analysis = RunFolder.readRows(dir.resolve(RunFolder.ANALYSIS), w::problem);
        Figure curves = Curves.figure(metrics, analysis, epochs, plugins.metrics());
        if (curves != null) {
            w.write(curves);
        }
        for (int e : chosen) {
            Path sd = RunFolder.snapshotDir(dir, e);
            Trace trace;
            try {
                trace = RunTrace.read(sd, e);
            } catch (IOException | RuntimeException x) {
                w.problem(dir.relativize(sd) + ": its trace cannot be read (" + x.getMessage()
                        + "); the task's figure of epoch " + e + " is not drawn");
                trace = null;
            }
            if (trace != null) {
                Trace t = trace;
                w.writeAll("the task", () -> plugins.task().figures(t));
            }
            StoredSnapshot snap = stored(dir, sd, e, plugins, analysis, w);
            for (Session.AnalyzerUse a : plugins.analyzers()) {
                w.writeAll("analyzer " + a.kind(), () -> a.analyzer().figures(snap, a.params()));
            }
        }
        Report.run(dir, metrics, analysis, w.written(), w.problems());
        return w;
    }

    /** Epochs with a snapshot folder, ascending. */
    public static List<Integer> snapshotEpochs(Path dir) throws IOException {
        Path root = dir.resolve("snapshots");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        TreeSet<Integer> out = new TreeSet<>();
        try (Stream<Path> s = Files.list(root)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("epoch-\\d+"))
                    .forEach(n -> out.add(Integer.parseInt(n.substring(6))));
        }
        return new ArrayList<>(out);
    }

    static List<Integer> choose(List<Integer> epochs, String spec) {
        if (epochs.isEmpty()) {
            return List.of();
        }
        String s = spec == null ? "final" : spec.trim();
        if (s.equals("final")) {
            return List.of(epochs.get(epochs.size() - 1));
        }
        if (s.equals("all")) {
            return epochs;
        }
        List<Integer> out = new ArrayList<>();
        for (String part : s.split(",")) {
            int e;
            try {
                e = Integer.parseInt(part.trim());
            } catch (NumberFormatException ex) {
                throw new ConfigException(
                        "--snapshots must be final, all or a list of epochs such as 0,100, found '" + spec + "'");
            }
            if (!epochs.contains(e)) {
                throw new ConfigException(
                        "--snapshots: no snapshot at epoch " + e + "; this run has snapshots at " + epochs);
            }
            out.add(e);
        }
        return out;
    }

    private static StoredSnapshot stored(
            Path dir, Path sd, int epoch, Plugins plugins, List<Map<String, Object>> analysis, FigureWriter w)
            throws IOException {
        Map<String, INDArray> params = new LinkedHashMap<>();
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(sd)) {
            for (Path p : s.sorted().toList()) {
                String n = p.getFileName().toString();
                if (!n.endsWith(".npy") || RunTrace.isTraceFile(n)) {
                    continue;
                }
                String stem = n.substring(0, n.length() - 4);
                INDArray a;
                try {
                    a = Npy.read(p);
                } catch (IOException | RuntimeException x) {
                    String why = String.valueOf(x.getMessage()).replace(p + ": ", "");
                    w.problem(dir.relativize(p) + ": cannot be read (" + why + "); figures that need it are not drawn");
                    continue;
                }
                (plugins.parameterNames().contains(stem) ? params : arrays).put(stem, a);
            }
        }
        Map<String, Double> scalars = new LinkedHashMap<>();
        for (Map<String, Object> row : analysis) {
            if (row.get("epoch") instanceof Number n && n.intValue() == epoch) {
                row.forEach((k, v) -> {
                    if (v instanceof Number x && !k.equals("epoch")) {
                        scalars.put(k, x.doubleValue());
                    }
                });
            }
        }
        return new StoredSnapshot(epoch, params, plugins.groups(), scalars, arrays);
    }
}
