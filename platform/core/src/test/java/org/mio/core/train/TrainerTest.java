package org.mio.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mio.api.run.RunOutcome;
import org.mio.api.run.RunOutcome.Status;
import org.mio.api.run.RunRequest;
import org.mio.core.command.ExperimentServiceImpl;
import org.mio.core.config.Json;
import org.mio.core.registry.PluginRegistry;
import org.mio.core.registry.PluginType;
import org.mio.core.registry.Registrations;
import org.mio.core.run.Checkpoint;
import org.mio.core.standins.StandIns;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The run service and trainer end to end on exact stand-in plugins (no framework). */
class TrainerTest {
    static final String EXPERIMENT = """
            {"seed": 42, "dataType": "double",
             "task": {"kind": "fake-task", "params": {"time": 10}},
             "model": {"kind": "fake-model", "params": {"noise": 0.05}},
             "estimator": {"kind": "fake-mi"},
             "training": {"epochs": 6, "batchSize": 3, "lambdaMi": 0.5, "estimatorPretrainSteps": 2,
                          "estimatorSteps": 2, "snapshotEvery": 3, "checkpointEvery": 2,
                          "modelOptimizer": {"type": "rmsprop", "learningRate": 0.01, "clipnorm": 4.0}}}
            """;

    @TempDir
    Path dir;

    PluginRegistry registry;
    ExperimentServiceImpl service;
    long taskId;
    StandIns.FakeTask task;
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws IOException {
        registry = new PluginRegistry();
        task = new StandIns.FakeTask();
        taskId = Registrations.add(registry, PluginType.TASK, "fake-task", task, "test.task", "1.0.0");
        Registrations.add(registry, PluginType.MODEL, "fake-model", new StandIns.FakeModel(), "test.model", "1.0.0");
        Registrations.add(registry, PluginType.ESTIMATOR, "fake-mi", new StandIns.FakeEstimator(), "test.mi", "1.0.0");
        service = new ExperimentServiceImpl(
                registry, new StandIns.StubNumerics(), org.mio.core.command.TestSettings.in(dir));
        Files.writeString(dir.resolve("exp.json"), EXPERIMENT);
    }

    private RunOutcome run(String out, String... sets) {
        return service.run(
                new RunRequest(dir.resolve("exp.json").toString(), List.of(sets), dir.resolve(out), false),
                new PrintStream(progress, true));
    }

    private List<String> metricsWithoutTimes(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            out.add(line.replaceAll(",\"seconds\":[0-9.Ee-]+", ""));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Path run) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            Map<String, Object> row = Json.MAPPER.readValue(line, java.util.LinkedHashMap.class);
            row.remove("seconds");
            out.add(row);
        }
        return out;
    }

    /**
     * An estimator without parameters ({@code x·y} summed over paired columns, mean over rows) that
     * counts its phase-A calls; {@code trainable} says what it claims.
     */
    static final class Untrained implements org.mio.api.estimator.MIEstimator {
        final boolean claimsTrainable;
        int trainSteps;

        Untrained(boolean claimsTrainable) {
            this.claimsTrainable = claimsTrainable;
        }

        @Override
        public org.mio.api.estimator.Estimator create(
                org.mio.api.plugin.PluginParams params,
                org.mio.api.plugin.PluginContext context,
                int dimX,
                int dimY,
                org.mio.api.plugin.Rng init) {
            int d = Math.min(dimX, dimY);
            return new org.mio.api.estimator.Estimator() {
                @Override
                public double estimate(INDArray x, INDArray y, org.mio.api.estimator.Sampling s) {
                    return x.getColumns(range(d))
                                    .mul(y.getColumns(range(d)))
                                    .sumNumber()
                                    .doubleValue()
                            / x.size(0);
                }

                @Override
                public double trainStep(INDArray x, INDArray y, org.mio.api.estimator.Sampling s) {
                    trainSteps++;
                    return estimate(x, y, s);
                }

                @Override
                public org.mio.api.estimator.ValueAndGradient valueAndGradient(
                        INDArray x, INDArray y, org.mio.api.estimator.Sampling s) {
                    INDArray dx = org.nd4j.linalg.factory.Nd4j.zeros(x.dataType(), x.shape());
                    INDArray dy = org.nd4j.linalg.factory.Nd4j.zeros(y.dataType(), y.shape());
                    for (int q = 0; q < d; q++) {
                        dx.putColumn(q, y.getColumn(q).div(x.size(0)));
                        dy.putColumn(q, x.getColumn(q).div(x.size(0)));
                    }
                    return new org.mio.api.estimator.ValueAndGradient(estimate(x, y, s), dx, dy);
                }

                @Override
                public boolean trainable() {
                    return claimsTrainable;
                }

                @Override
                public Map<String, INDArray> parameters() {
                    return Map.of();
                }

                @Override
                public Map<String, INDArray> state() {
                    return Map.of();
                }

                @Override
                public void restoreState(Map<String, INDArray> state) {}
            };
        }

        private static int[] range(int d) {
            int[] r = new int[d];
            for (int q = 0; q < d; q++) {
                r[q] = q;
            }
            return r;
        }
    }

    /**
     * The trainer skips the pre-training and all but the last phase-A step before each model step
     * of an estimator that is not trainable, and the run is the same, value for value.
     */
    @Test
    void anEstimatorWithoutParametersSkipsPhaseAStepsThatChangeNothing() throws IOException {
        Untrained all = new Untrained(true);
        Untrained skipping = new Untrained(false);
        Registrations.add(registry, PluginType.ESTIMATOR, "untrained-all", all, "test.all", "1.0.0");
        Registrations.add(registry, PluginType.ESTIMATOR, "untrained-skip", skipping, "test.skip", "1.0.0");
        RunOutcome a = run("all", "estimator.kind=untrained-all", "training.estimatorSteps=3");
        RunOutcome b = run("skip", "estimator.kind=untrained-skip", "training.estimatorSteps=3");
        assertEquals(Status.COMPLETED, a.status(), a.message());
        assertEquals(Status.COMPLETED, b.status(), b.message());
        assertEquals(metricsWithoutTimes(a.runDir()), metricsWithoutTimes(b.runDir()));
        // 2 pre-training steps and 6 epochs × 1 model step × 3 phase-A steps, against the last of each 3
        assertEquals(2 + 6 * 3, all.trainSteps);
        assertEquals(6, skipping.trainSteps);
    }

    @Test
    void completesAndWritesTheRunFolder() throws IOException {
        RunOutcome o = run("a");
        assertEquals(Status.COMPLETED, o.status(), o.message());
        Path r = o.runDir();
        for (String f : new String[] {
            "experiment.json",
            "provenance.json",
            "metrics.jsonl",
            "metrics.csv",
            "summary.json",
            "checkpoint/state.json",
            "snapshots/epoch-0000/W.npy",
            "snapshots/epoch-0003/V.npy",
            "snapshots/epoch-0006/W.npy"
        }) {
            assertTrue(Files.exists(r.resolve(f)), f);
        }
        assertEquals(6, Files.readAllLines(r.resolve("metrics.jsonl")).size());
        assertEquals(7, Files.readAllLines(r.resolve("metrics.csv")).size());
        var prov = Json.MAPPER.readTree(r.resolve("provenance.json").toFile());
        assertEquals("COMPLETED", prov.get("status").asText());
        assertEquals(42, prov.at("/experiment/seed").asInt());
        assertEquals("test.task", prov.at("/bundles/0/bundle").asText());
        assertEquals(6, Checkpoint.load(r).epoch());
        assertTrue(progress.toString().contains("epoch 6/6"), progress.toString());
    }

    @Test
    void sameSeedSameMetricsOtherSeedOtherMetrics() throws IOException {
        assertEquals(Status.COMPLETED, run("a").status());
        assertEquals(Status.COMPLETED, run("b").status());
        assertEquals(Status.COMPLETED, run("c", "seed=43").status());
        assertEquals(metricsWithoutTimes(dir.resolve("a")), metricsWithoutTimes(dir.resolve("b")));
        assertNotEquals(metricsWithoutTimes(dir.resolve("a")), metricsWithoutTimes(dir.resolve("c")));
    }

    @Test
    void abortedRunResumesToTheSameNumbers() throws IOException {
        assertEquals(Status.COMPLETED, run("full").status());
        // the task plugin goes away during epoch 5 (after the checkpoint of epoch 4)
        int samplesPerEpoch = 3;
        int before = 2 + 1 + 4 * samplesPerEpoch; // pre-training, no analyzers, 4 epochs
        task.samples.set(0);
        task.onSample = () -> {
            if (task.samples.get() == before + 2) {
                Registrations.remove(registry, PluginType.TASK, taskId);
            }
        };
        RunOutcome aborted = run("cut");
        assertEquals(Status.ABORTED, aborted.status(), aborted.message());
        assertTrue(
                aborted.message().startsWith("task 'fake-task' (bundle test.task 1.0.0) went away during the run"),
                aborted.message());
        assertEquals(4, Checkpoint.load(dir.resolve("cut")).epoch());
        Registrations.add(registry, PluginType.TASK, "fake-task", new StandIns.FakeTask(), "test.task", "1.0.1");
        RunOutcome resumed = service.run(
                new RunRequest(dir.resolve("cut").toString(), List.of(), null, true), new PrintStream(progress, true));
        assertEquals(Status.COMPLETED, resumed.status(), resumed.message());
        assertEquals(metricsWithoutTimes(dir.resolve("full")), metricsWithoutTimes(dir.resolve("cut")));
        var prov = Json.MAPPER.readTree(dir.resolve("cut/provenance.json").toFile());
        assertEquals(2, prov.get("sessions").size());
    }

    @Test
    void nanStopsWithEpochAndQuantityAndKeepsTheLastCheckpoint() throws IOException {
        // samples: 2 pre-training, then 3 per epoch; NaN targets from epoch 4's model step on
        RunOutcome o = run("nan", "task.params.nanAfter=" + (2 + 3 * 3 + 2));
        assertEquals(Status.FAILED, o.status());
        assertTrue(
                o.message().startsWith("epoch 4: task_loss is NaN; the last good checkpoint is kept; resume with"),
                o.message());
        assertEquals(2, Checkpoint.load(o.runDir()).epoch());
        assertEquals(
                "FAILED",
                Json.MAPPER
                        .readTree(o.runDir().resolve("provenance.json").toFile())
                        .get("status")
                        .asText());
    }

    @Test
    void missingPluginAndBadParamsFailBeforeAnyFolderExists() {
        RunOutcome missing = run("m", "estimator.kind=mine");
        assertEquals(Status.MISSING_PLUGIN, missing.status());
        assertEquals(
                "exp.json: estimator.kind: estimator plugin 'mine' is not installed; installed estimator kinds: "
                        + "fake-mi (drop the plugin's bundle into plugins/ or run 'mio plugins')",
                missing.message());
        RunOutcome bad = run("b", "task.params.tme=3");
        assertEquals(Status.INVALID, bad.status());
        assertTrue(
                bad.message().startsWith("exp.json: task.params.tme is not a known key; allowed here: nanAfter, time"),
                bad.message());
        assertTrue(!Files.exists(dir.resolve("m")) && !Files.exists(dir.resolve("b")));
        assertEquals(2, missing.status().exitCode());
    }

    @Test
    void refusesToOverwriteARunFolder() {
        assertEquals(Status.COMPLETED, run("x").status());
        RunOutcome again = run("x");
        assertEquals(Status.INVALID, again.status());
        assertTrue(again.message().endsWith("exists and is not empty; choose another --out"), again.message());
    }

    @Test
    void metricsRowHasTheScheduleQuantities() throws IOException {
        run("q");
        Map<?, ?> row = Json.MAPPER.readValue(
                Files.readAllLines(dir.resolve("q/metrics.jsonl")).get(0), Map.class);
        for (String k : new String[] {
            "epoch", "task_loss", "reg_loss", "mi_before", "mi_after", "total_loss", "mean_output", "seconds"
        }) {
            assertTrue(row.containsKey(k), k + " in " + row);
        }
        double total = ((Number) row.get("task_loss")).doubleValue()
                + ((Number) row.get("reg_loss")).doubleValue()
                + 0.5 * ((Number) row.get("mi_after")).doubleValue();
        assertEquals(total, ((Number) row.get("total_loss")).doubleValue(), 1e-12);
    }

    /**
     * The task is told where each batch is drawn: epoch 0 for the estimator's pre-training and the
     * first snapshot, then per epoch its estimator and model steps, and the snapshots' test batches.
     */
    @Test
    void everyBatchIsDrawnWithItsSplitAndEpoch() {
        assertEquals(Status.COMPLETED, run("draws").status());
        // 2 pre-training steps; per epoch 2 estimator steps + 1 model step; snapshots at 0, 3, 6
        List<String> expected = new ArrayList<>(List.of("TRAIN 0", "TRAIN 0", "TEST 0"));
        for (int e = 1; e <= 6; e++) {
            expected.addAll(List.of("TRAIN " + e, "TRAIN " + e, "TRAIN " + e));
            if (e % 3 == 0) {
                expected.add("TEST " + e);
            }
        }
        assertEquals(
                expected,
                task.draws.stream().map(d -> d.split() + " " + d.epoch()).toList());
        assertTrue(task.draws.stream().allMatch(d -> d.epochs() == 6));
    }

    /**
     * The re-evaluated estimate (the separation reference's logged MI) is an extra column from its
     * own stream: every other number of the run is unchanged.
     */
    @Test
    void reevaluatingTheEstimateAddsAColumnAndChangesNothingElse() throws IOException {
        assertEquals(Status.COMPLETED, run("plain").status());
        assertEquals(
                Status.COMPLETED,
                run("reeval", "training.reevaluateEstimate=true").status());
        List<Map<String, Object>> plain = rows(dir.resolve("plain"));
        List<Map<String, Object>> reeval = rows(dir.resolve("reeval"));
        for (int i = 0; i < plain.size(); i++) {
            Map<String, Object> r = new java.util.LinkedHashMap<>(reeval.get(i));
            Object v = r.remove("mi_reevaluated");
            assertTrue(v instanceof Number n && Double.isFinite(n.doubleValue()), "mi_reevaluated in " + reeval.get(i));
            assertEquals(plain.get(i), r);
        }
        assertTrue(!plain.get(0).containsKey("mi_reevaluated"));
    }

    /**
     * A run folder has one writer: while a run holds it, a resume of the same folder (as a second
     * `mio resume` would) is refused with the folder and the holder, and nothing in it changes.
     */
    @Test
    void aSecondWriterOfARunFolderIsRefusedAndChangesNothing() throws Exception {
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        int[] calls = {0};
        task.onSample = () -> {
            if (++calls[0] == 8) { // during epoch 2, after the checkpoint of epoch 0
                inside.countDown();
                try {
                    release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        var first = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            var done = first.submit(() -> run("busy"));
            assertTrue(inside.await(30, java.util.concurrent.TimeUnit.SECONDS));
            String metrics = Files.readString(dir.resolve("busy/metrics.jsonl"));
            RunOutcome second = service.run(
                    new RunRequest(dir.resolve("busy").toString(), List.of(), null, true),
                    new PrintStream(progress, true));
            assertEquals(Status.INVALID, second.status(), second.message());
            assertTrue(
                    second.message()
                            .startsWith(dir.resolve("busy") + " is in use by another run (process "
                                    + ProcessHandle.current().pid() + ", lock "),
                    second.message());
            RunOutcome fresh = run("busy");
            assertEquals(Status.INVALID, fresh.status(), fresh.message());
            assertEquals(metrics, Files.readString(dir.resolve("busy/metrics.jsonl")));
            release.countDown();
            assertEquals(Status.COMPLETED, done.get().status());
        } finally {
            release.countDown();
            first.shutdownNow();
        }
        // once the writer is gone the folder can be written again
        RunOutcome again = service.run(
                new RunRequest(dir.resolve("busy").toString(), List.of(), null, true), new PrintStream(progress, true));
        assertEquals(Status.COMPLETED, again.status(), again.message());
    }

    /** Every file of a folder and its bytes, to show that nothing was written. */
    private static Map<String, String> contents(Path folder) throws IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        try (var files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(
                        folder.relativize(f).toString(),
                        java.util.HexFormat.of().formatHex(Files.readAllBytes(f)));
            }
        }
        return out;
    }

    private RunOutcome resume(Path folder) {
        return service.run(new RunRequest(folder.toString(), List.of(), null, true), new PrintStream(progress, true));
    }

    /**
     * A resume checks everything it trusts before it writes anything: the checkpoint against its
     * manifest (sizes, SHA-256), the manifest itself, the shapes it restores, the rows of
     * metrics.jsonl and the experiment. Each problem is one line naming the file, status INVALID
     * (exit 2), and the folder is unchanged.
     */
    @Test
    void resumeRefusesADamagedFolderWithOneLineAndWritesNothing() throws IOException {
        // with a figure renderer installed, as in the distribution: a refused resume draws nothing
        Registrations.add(registry, PluginType.RENDERER, "recording", new StandIns.RecordingRenderer(), "r", "1.0.0");
        assertEquals(Status.COMPLETED, run("ok", "training.epochs=4").status());
        assertTrue(Files.exists(dir.resolve("ok/report.html")), "the renderer draws");
        Path ok = dir.resolve("ok");
        String w = "checkpoint/model/W.npy";
        String[][] damage = {
            {"truncated", w},
            {"changed", w},
            {"state", "checkpoint/state.json"},
            {"row", "metrics.jsonl"},
            {"experiment", "experiment.json"},
            {"shape", w}
        };
        for (String[] d : damage) {
            Path copy = dir.resolve("damaged-" + d[0]);
            copyTree(ok, copy);
            Path f = copy.resolve(d[1]);
            byte[] bytes = Files.readAllBytes(f);
            switch (d[0]) {
                case "truncated" -> Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 8));
                case "changed" -> {
                    bytes[bytes.length - 1] ^= 0x55;
                    Files.write(f, bytes);
                }
                case "state" -> Files.writeString(f, "{\"epoch\": \"four\"");
                case "row" -> {
                    List<String> lines = new ArrayList<>(Files.readAllLines(f));
                    lines.set(1, "garbage");
                    Files.write(f, lines);
                }
                case "experiment" -> Files.writeString(f, Files.readString(f).replace("0.5", "0.25"));
                case "shape" -> {
                    // an older checkpoint without digests, whose W has another shape
                    Path state = copy.resolve("checkpoint/state.json");
                    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(state.toFile());
                    tree.remove("files");
                    Files.writeString(state, Json.canonical(tree));
                    org.mio.numerics.Npy.write(
                            f, org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 1, 1));
                }
                default -> throw new IllegalStateException(d[0]);
            }
            Map<String, String> before = contents(copy);
            RunOutcome o = resume(copy);
            assertEquals(Status.INVALID, o.status(), d[0] + ": " + o.message());
            assertTrue(!o.message().contains("\n") && !o.message().startsWith("cannot write"), o.message());
            String expected = switch (d[0]) {
                case "truncated" ->
                    copy.resolve(w) + ": " + (bytes.length - 8) + " bytes, the checkpoint's manifest says "
                            + bytes.length + " (truncated or replaced)";
                case "changed" -> copy.resolve(w) + ": its SHA-256 differs from the checkpoint's manifest";
                case "state" -> copy.resolve("checkpoint/state.json") + ": not a checkpoint manifest";
                case "row" -> copy.resolve("metrics.jsonl") + " line 2: not a JSON row";
                case "experiment" -> copy.resolve("experiment.json") + ": differs from the experiment the checkpoint";
                default -> copy.resolve(w) + ": shape [1, 1], the model's W is [";
            };
            assertTrue(o.message().startsWith(expected), d[0] + ": " + o.message());
            assertEquals(before, contents(copy), d[0] + ": nothing written");
        }
        // stopped before its first checkpoint: the resume starts again from epoch 0, and says so
        Path early = dir.resolve("early");
        copyTree(ok, early);
        org.mio.numerics.AtomicFiles.deleteTree(early.resolve("checkpoint"));
        RunOutcome again = resume(early);
        assertEquals(Status.COMPLETED, again.status(), again.message());
        assertTrue(
                progress.toString()
                        .contains(early + " has no checkpoint yet (the run stopped before its first "
                                + "one): starting again from epoch 0"),
                progress.toString());
        assertEquals(metricsWithoutTimes(ok), metricsWithoutTimes(early));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }

    /**
     * mio sample writes the batches a run of the experiment draws: the first model step's of
     * epoch 1 and the first snapshot's test batch, read back with the .npy reader.
     */
    @Test
    void sampleWritesTheBatchesARunDraws() throws IOException {
        var prepared = service.prepare(new RunRequest(dir.resolve("exp.json").toString(), List.of(), null, false));
        Path out = dir.resolve("sample");
        Sample.write(prepared.session(), out, new PrintStream(progress, true));
        INDArray train = org.mio.numerics.Npy.read(out.resolve("train/inputs.npy"));
        INDArray test = org.mio.numerics.Npy.read(out.resolve("test/inputs.npy"));
        assertTrue(Files.exists(out.resolve("train/targets.npy")) && Files.exists(out.resolve("sample.json")));
        task.draws.clear();
        task.inputs.clear();
        assertEquals(Status.COMPLETED, run("r", "training.epochs=1").status());
        // draws: 2 pre-training steps, the snapshot of epoch 0, 2 estimator steps, then the model step
        assertEquals(
                "TEST 0", task.draws.get(2).split() + " " + task.draws.get(2).epoch());
        assertEquals(
                "TRAIN 1", task.draws.get(5).split() + " " + task.draws.get(5).epoch());
        assertEquals(task.inputs.get(5), train);
        assertEquals(task.inputs.get(2), test);
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> Sample.write(prepared.session(), out, new PrintStream(progress, true)));
        assertEquals("--out " + out + " exists and is not empty; name a new folder", e.getMessage());
    }
}
