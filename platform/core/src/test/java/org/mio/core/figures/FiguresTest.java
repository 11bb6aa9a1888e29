package org.mio.core.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mio.api.analysis.AnalysisResult;
import org.mio.api.analysis.Analyzer;
import org.mio.api.analysis.Snapshot;
import org.mio.api.analysis.StoredSnapshot;
import org.mio.api.figure.Figure;
import org.mio.api.figure.Series;
import org.mio.api.figure.Style;
import org.mio.api.figure.XYPlot;
import org.mio.api.model.UnitGroups;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.Metric;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.api.task.TaskBatch;
import org.mio.api.task.TaskInstance;
import org.mio.api.task.Trace;
import org.mio.core.session.Session;
import org.mio.core.standins.StandIns;
import org.mio.core.train.MetricCatalog;
import org.mio.core.train.TrainerMetrics;
import org.mio.numerics.Npy;
import org.nd4j.linalg.factory.Nd4j;

/** Curves grouping, snapshot choice, and drawing a run folder from its files alone. */
class FiguresTest {
    @TempDir
    Path dir;

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static final MetricCatalog NO_METRICS = new MetricCatalog(TrainerMetrics.DESCRIBED, List.of(), false);

    private static List<String> names(XYPlot p) {
        return p.series().stream().map(Series::name).toList();
    }

    @Test
    void curvesGroupMetricsAndAnalysesIntoPanels() {
        List<Map<String, Object>> metrics = List.of(
                row(
                        "epoch",
                        1,
                        "task_loss",
                        1.0,
                        "total_loss",
                        1.2,
                        "reg_loss",
                        0.1,
                        "mi_before",
                        0.5,
                        "mi_after",
                        0.4,
                        "seconds",
                        2.0,
                        "accuracy",
                        0.5,
                        "accuracy_bit1",
                        0.6),
                row(
                        "epoch",
                        2,
                        "task_loss",
                        0.5,
                        "total_loss",
                        0.7,
                        "reg_loss",
                        0.1,
                        "mi_before",
                        0.3,
                        "mi_after",
                        0.2,
                        "seconds",
                        2.0,
                        "accuracy",
                        0.8,
                        "accuracy_bit1",
                        0.9));
        List<Map<String, Object>> analysis = List.of(
                row(
                        "epoch",
                        0,
                        "Q_corr",
                        0.0,
                        "Q_corr_norm",
                        0.0,
                        "D_corr",
                        0.1,
                        "Q_str",
                        0.0,
                        "D_in",
                        0.2,
                        "D_out",
                        0.3),
                row(
                        "epoch",
                        2,
                        "Q_corr",
                        0.3,
                        "Q_corr_norm",
                        0.6,
                        "D_corr",
                        0.5,
                        "Q_str",
                        0.1,
                        "D_in",
                        0.2,
                        "D_out",
                        0.4));
        // panels as the analyzers describe them; D_in is left undescribed and gets a panel of its own
        MetricCatalog catalog = new MetricCatalog(
                TrainerMetrics.DESCRIBED,
                List.of(
                        Metric.curve("Q_corr", "", Metric.Direction.HIGHER, "Q"),
                        Metric.curve("Q_corr_norm", "", Metric.Direction.HIGHER, "Q_norm"),
                        Metric.curve("D_corr", "", Metric.Direction.HIGHER, "D"),
                        Metric.curve("Q_str", "", Metric.Direction.HIGHER, "Q"),
                        Metric.curve("D_out", "", Metric.Direction.HIGHER, "D")),
                false);
        Figure f = Curves.figure(metrics, analysis, List.of(0, 2), catalog);
        assertNotNull(f);
        Map<String, XYPlot> panels = new LinkedHashMap<>();
        f.plots().forEach(p -> panels.put(p.title(), (XYPlot) p));
        assertEquals(
                List.of(
                        "Loss",
                        "Task performance",
                        "Mutual information estimate",
                        "Q at snapshots",
                        "Q_norm at snapshots",
                        "D at snapshots",
                        "D_in at snapshots"),
                new ArrayList<>(panels.keySet()));
        assertTrue(panels.get("Loss").logY(), "positive losses on a log axis");
        assertEquals(List.of("task_loss", "total_loss"), names(panels.get("Loss")));
        assertEquals(List.of("accuracy", "accuracy_bit1"), names(panels.get("Task performance")));
        assertEquals(List.of("mi_before", "mi_after"), names(panels.get("Mutual information estimate")));
        assertEquals(List.of("Q_corr", "Q_str"), names(panels.get("Q at snapshots")));
        assertEquals(List.of("D_corr", "D_out"), names(panels.get("D at snapshots")));
        assertEquals(List.of("D_in"), names(panels.get("D_in at snapshots")));
        assertEquals(List.of(0.0, 2.0), panels.get("Loss").xMarkers());
        Series dOut = panels.get("D at snapshots").series().get(1);
        assertEquals(0.4, dOut.y()[1]);
        assertEquals(2.0, dOut.x()[1]);
        assertEquals(2, f.columns());
    }

    @Test
    void aNegativeLossKeepsALinearAxis() {
        Figure f = Curves.figure(
                List.of(row("epoch", 1, "task_loss", -1.0, "total_loss", 1.0)), List.of(), List.of(), NO_METRICS);
        assertFalse(((XYPlot) f.plots().get(0)).logY());
        assertEquals(null, Curves.figure(List.of(), List.of(), List.of(), NO_METRICS));
        Figure scoresOnly = Curves.figure(List.of(row("epoch", 1, "r2_mean", 0.5)), List.of(), List.of(), NO_METRICS);
        assertEquals(
                List.of("Task performance"),
                scoresOnly.plots().stream().map(p -> p.title()).toList(),
                "no empty loss or MI panels");
    }

    @Test
    void snapshotsAreChosenByFinalAllOrList() {
        List<Integer> e = List.of(0, 25, 50);
        assertEquals(List.of(50), RunFigures.choose(e, "final"));
        assertEquals(e, RunFigures.choose(e, "all"));
        assertEquals(List.of(0, 50), RunFigures.choose(e, "0, 50"));
        ConfigException missing = assertThrows(ConfigException.class, () -> RunFigures.choose(e, "30"));
        assertEquals(
                "--snapshots: no snapshot at epoch 30; this run has snapshots at [0, 25, 50]", missing.getMessage());
        assertThrows(ConfigException.class, () -> RunFigures.choose(e, "last"));
        assertEquals(List.of(), RunFigures.choose(List.of(), "final"));
    }

    /** Renders nothing real: records names, writes marker bytes. */
    private static List<String> names(StandIns.RecordingRenderer r) {
        return r.figures.stream().map(Figure::name).toList();
    }

    private static Figure one(String name) {
        return Figure.grid(
                name,
                name,
                1,
                List.of(XYPlot.of("", "x", "y")
                        .with(new Series("s", new double[] {0, 1}, new double[] {0, 1}, Style.LINE))),
                200,
                200);
    }

    @Test
    void aRunFolderIsDrawnFromItsFilesAndAFailingFigureDoesNotStopTheOthers() throws IOException {
        Files.writeString(
                dir.resolve("metrics.jsonl"),
                "{\"epoch\":1,\"task_loss\":0.5,\"mi_before\":0.2,"
                        + "\"mi_after\":0.1,\"accuracy\":0.7}\n{\"epoch\":2,\"task_lo"); // a killed run's half line
        Files.writeString(dir.resolve("analysis.jsonl"), "{\"epoch\":0,\"Q_str\":0.0}\n{\"epoch\":2,\"Q_str\":0.25}\n");
        Files.writeString(
                dir.resolve("provenance.json"),
                "{\"status\":\"ABORTED\",\"experiment\":{\"name\":\"x<y\",\"seed\":7}}");
        for (int e : new int[] {0, 2}) {
            Path s = dir.resolve(String.format("snapshots/epoch-%04d", e));
            Files.createDirectories(s);
            Npy.write(s.resolve("W_rec.npy"), Nd4j.createFromArray(new double[][] {{e, 1}, {2, 3}}));
            Npy.write(s.resolve("corr_target.npy"), Nd4j.createFromArray(new double[][] {{0.5, 0.1}}));
            Npy.write(s.resolve("trace_inputs.npy"), Nd4j.zeros(5, 1));
            Npy.write(s.resolve("trace_targets.npy"), Nd4j.zeros(5, 1));
            Npy.write(s.resolve("trace_outputs.npy"), Nd4j.ones(5, 1));
            Files.writeString(s.resolve("trace.json"), "{\"sequence\":0,\"transientSteps\":2}");
        }
        AtomicReference<StoredSnapshot> seen = new AtomicReference<>();
        AtomicReference<Trace> trace = new AtomicReference<>();
        Analyzer good = new Analyzer() {
            @Override
            public AnalysisResult analyze(Snapshot snapshot, PluginParams params) {
                throw new AssertionError("figures must not re-run analyses");
            }

            @Override
            public List<Figure> figures(StoredSnapshot s, PluginParams params) {
                seen.set(s);
                return List.of(one("good-" + s.epoch()));
            }
        };
        Analyzer bad = new Analyzer() {
            @Override
            public AnalysisResult analyze(Snapshot snapshot, PluginParams params) {
                return null;
            }

            @Override
            public List<Figure> figures(StoredSnapshot s, PluginParams params) {
                throw new IllegalStateException("no corr_units");
            }
        };
        TaskInstance task = new TaskInstance() {
            @Override
            public int inputSize() {
                return 1;
            }

            @Override
            public int outputSize() {
                return 1;
            }

            @Override
            public TaskBatch sample(int batchSize, Split split, Rng rng) {
                throw new AssertionError();
            }

            @Override
            public Map<String, Double> score(TaskBatch batch, org.nd4j.linalg.api.ndarray.INDArray outputs) {
                throw new AssertionError();
            }

            @Override
            public List<Figure> figures(Trace t) {
                trace.set(t);
                return List.of(one("task-" + t.epoch()));
            }
        };
        RunFigures.Plugins plugins = new RunFigures.Plugins(
                task,
                UnitGroups.split(2, 1),
                Set.of("W_rec"),
                List.of(new Session.AnalyzerUse("good", good, null), new Session.AnalyzerUse("bad", bad, null)),
                NO_METRICS);
        StandIns.RecordingRenderer r = new StandIns.RecordingRenderer();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        FigureWriter w = RunFigures.draw(dir, plugins, r, "final", new PrintStream(log, true));

        assertEquals(List.of("curves", "task-2", "good-2"), names(r));
        assertEquals(1, w.problems().size());
        assertTrue(
                w.problems().get(0).startsWith("analyzer bad gave no figures: java.lang.IllegalStateException"),
                w.problems().get(0));
        StoredSnapshot s = seen.get();
        assertEquals(Set.of("W_rec"), s.parameters().keySet());
        assertEquals(Set.of("corr_target"), s.arrays().keySet(), "the trace is not an analysis array");
        assertEquals(Map.of("Q_str", 0.25), s.scalars());
        assertEquals(2.0, s.parameters().get("W_rec").getDouble(0, 0));
        assertEquals(2, trace.get().transientSteps());
        assertEquals(5, trace.get().outputs().rows());
        assertEquals("PNG curves", Files.readString(dir.resolve("figures/curves.png")));
        assertEquals("SVG good-2", Files.readString(dir.resolve("figures/good-2.svg")));
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<h1>Run x&lt;y</h1>"), "escaped name");
        assertTrue(html.contains("ABORTED"));
        assertTrue(html.contains("src=\"data:image/png;base64,UE5HIGN1cnZlcw==\""), "PNG embedded");
        assertTrue(html.contains("href=\"figures/task-2.svg\""));
        assertTrue(html.contains("analyzer bad gave no figures"));
        assertFalse(html.contains("http://") || html.contains("https://"), "nothing from the network");

        r.figures.clear();
        RunFigures.draw(dir, plugins, r, "all", new PrintStream(log, true));
        assertEquals(List.of("curves", "task-0", "good-0", "task-2", "good-2"), names(r));

        // a damaged folder: what can be drawn is drawn, and the report says what was missing
        Files.writeString(dir.resolve("snapshots/epoch-0002/corr_target.npy"), "garbage");
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("metrics.jsonl")));
        lines.add(0, "not json");
        Files.write(dir.resolve("metrics.jsonl"), lines);
        r.figures.clear();
        FigureWriter damaged = RunFigures.draw(dir, plugins, r, "final", new PrintStream(log, true));
        assertEquals(List.of("curves", "task-2", "good-2"), names(r), "the rest is drawn");
        assertEquals(
                "metrics.jsonl line 1: not a JSON row; left out",
                damaged.problems().get(0));
        assertTrue(
                damaged.problems()
                        .get(1)
                        .startsWith("snapshots/epoch-0002/corr_target.npy: cannot be read (not a .npy"),
                damaged.problems().get(1));
        String report = Files.readString(dir.resolve("report.html"));
        assertTrue(report.contains("snapshots/epoch-0002/corr_target.npy: cannot be read"), "the report names it");
    }
}
