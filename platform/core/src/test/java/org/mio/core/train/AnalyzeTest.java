package org.mio.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mio.api.analysis.AnalysisResult;
import org.mio.api.analysis.Analyzer;
import org.mio.api.analysis.Snapshot;
import org.mio.api.plugin.Metric;
import org.mio.api.plugin.PluginParams;
import org.mio.api.run.RunOutcome;
import org.mio.api.run.RunOutcome.Status;
import org.mio.api.run.RunRequest;
import org.mio.core.command.ExperimentServiceImpl;
import org.mio.core.config.Json;
import org.mio.core.registry.PluginRegistry;
import org.mio.core.registry.PluginType;
import org.mio.core.registry.Registrations;
import org.mio.core.run.RunFolder;
import org.mio.core.run.RunLock;
import org.mio.core.standins.StandIns;

/** {@code mio analyze}: the analyzers run again on a finished run's snapshots. */
class AnalyzeTest {
    @TempDir
    Path dir;

    private final Sums sums = new Sums();
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    private ExperimentServiceImpl service;
    private Path run;

    /**
     * An analyzer of what a snapshot holds: the sum of the parameters and the mean activity of
     * the evaluation run, which differ from snapshot to snapshot; a newer version ({@code extra})
     * adds a curve.
     */
    static final class Sums implements Analyzer {
        volatile boolean extra;

        @Override
        public AnalysisResult analyze(Snapshot s, PluginParams params) {
            double sum = 0;
            for (var p : s.parameters().values()) {
                sum += p.sumNumber().doubleValue();
            }
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("param_sum", sum);
            out.put("activity_mean", s.trajectory().activity().meanNumber().doubleValue());
            if (extra) {
                out.put("param_sum_twice", 2 * sum);
            }
            return new AnalysisResult(out, Map.of());
        }

        @Override
        public List<Metric> metrics(PluginParams params) {
            return List.of(
                    Metric.curve("param_sum", "sum of the parameters", Metric.Direction.HIGHER, "sums"),
                    Metric.curve("activity_mean", "mean activity", Metric.Direction.HIGHER, "sums"));
        }
    }

    @BeforeEach
    void trainOnce() throws IOException {
        PluginRegistry registry = StandIns.registry();
        Registrations.add(registry, PluginType.ANALYZER, "sums", sums, "a", "1.0.0");
        Registrations.add(registry, PluginType.RENDERER, "recording", new StandIns.RecordingRenderer(), "r", "1.0.0");
        service = new ExperimentServiceImpl(
                registry, new StandIns.StubNumerics(), org.mio.core.command.TestSettings.in(dir));
        Files.writeString(
                dir.resolve("exp.json"),
                TrainerTest.EXPERIMENT.replace(
                        "\"estimator\": {\"kind\": \"fake-mi\"},",
                        "\"estimator\": {\"kind\": \"fake-mi\"}, \"analysis\": [{\"kind\": \"sums\"}],"));
        run = dir.resolve("run");
        RunOutcome o = service.run(
                new RunRequest(dir.resolve("exp.json").toString(), List.of(), run, false),
                new PrintStream(progress, true));
        assertEquals(Status.COMPLETED, o.status(), o.message());
    }

    private List<Map<String, Object>> analysis() throws IOException {
        return RunFolder.readRows(run.resolve(RunFolder.ANALYSIS));
    }

    @Test
    void aNewerAnalyzerVersionAddsItsCurveToEverySnapshotAndTheRunsValuesStay() throws IOException {
        List<Map<String, Object>> before = analysis();
        assertEquals(List.of(0, 3, 6), before.stream().map(r -> r.get("epoch")).toList());
        // the snapshots differ, so a re-analysis that used one snapshot's parameters for all would show
        assertNotEquals(before.get(0).get("param_sum"), before.get(2).get("param_sum"));
        assertNotEquals(before.get(0).get("activity_mean"), before.get(2).get("activity_mean"));

        sums.extra = true;
        RunOutcome o = service.analyze(run, new PrintStream(progress, true));
        assertEquals(Status.COMPLETED, o.status(), o.message());
        List<Map<String, Object>> after = analysis();
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            // the same parameters and the same evaluation run (test batch, noise, initial state)
            assertEquals(before.get(i).get("param_sum"), after.get(i).get("param_sum"));
            assertEquals(before.get(i).get("activity_mean"), after.get(i).get("activity_mean"));
            assertEquals(
                    2 * ((Number) before.get(i).get("param_sum")).doubleValue(),
                    ((Number) after.get(i).get("param_sum_twice")).doubleValue());
        }
        assertTrue(Files.readString(run.resolve("analysis.csv"))
                .startsWith("epoch,param_sum,activity_mean,param_sum_twice\n"));
        var summary = Json.MAPPER.readTree(run.resolve(RunFolder.SUMMARY).toFile());
        assertEquals(
                after.get(2).get("param_sum_twice"),
                summary.at("/finalAnalysis/param_sum_twice").doubleValue());
        assertTrue(Files.exists(run.resolve("report.html")));
    }

    @Test
    void aDamagedSnapshotStopsItBeforeAnythingIsRewritten() throws IOException {
        String before = Files.readString(run.resolve(RunFolder.ANALYSIS));
        Path param = RunFolder.snapshotDir(run, 6).resolve("V.npy"); // a parameter of the stand-in model
        Files.delete(param);
        sums.extra = true;
        RunOutcome o = service.analyze(run, new PrintStream(progress, true));
        assertEquals(Status.INVALID, o.status());
        assertTrue(o.message().startsWith(param + ": missing"), o.message());
        assertTrue(o.message().endsWith("nothing was rewritten"), o.message());
        assertEquals(before, Files.readString(run.resolve(RunFolder.ANALYSIS)));
    }

    @Test
    void aRunningRunIsNotAnalyzed() throws Exception {
        String before = Files.readString(run.resolve(RunFolder.ANALYSIS));
        try (RunLock lock = RunLock.acquire(run)) {
            RunOutcome o = service.analyze(run, new PrintStream(progress, true));
            assertEquals(Status.INVALID, o.status());
            assertTrue(o.message().contains(run.toString()), o.message());
        }
        assertEquals(before, Files.readString(run.resolve(RunFolder.ANALYSIS)));
    }

    @Test
    void aRunWithoutAnalyzersIsToldSo() throws IOException {
        Files.writeString(dir.resolve("plain.json"), TrainerTest.EXPERIMENT);
        Path plain = dir.resolve("plain");
        RunOutcome o = service.run(
                new RunRequest(dir.resolve("plain.json").toString(), List.of(), plain, false),
                new PrintStream(progress, true));
        assertEquals(Status.COMPLETED, o.status(), o.message());
        RunOutcome a = service.analyze(plain, new PrintStream(progress, true));
        assertEquals(Status.INVALID, a.status());
        assertEquals(
                plain.resolve("experiment.json") + " names no analyzers (\"analysis\": [...]); nothing to analyze",
                a.message());
        assertTrue(Files.notExists(plain.resolve(RunFolder.ANALYSIS)));
    }
}
