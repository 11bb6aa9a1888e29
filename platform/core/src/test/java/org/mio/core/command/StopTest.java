package org.mio.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mio.api.run.RunOutcome;
import org.mio.api.run.RunOutcome.Status;
import org.mio.api.run.RunRequest;
import org.mio.core.config.Json;
import org.mio.core.registry.PluginRegistry;
import org.mio.core.standins.StandIns;

/** The platform stopping (Ctrl-C, SIGTERM) while a run is in an epoch too long to wait for. */
class StopTest {
    @TempDir
    Path dir;

    @Test
    void aRunWhoseEpochOutlastsTheWaitIsCutAtAStepAndSaysHowToResume() throws Exception {
        PluginRegistry registry = StandIns.registry();
        ExperimentServiceImpl service =
                new ExperimentServiceImpl(registry, new StandIns.StubNumerics(), TestSettings.in(dir));
        // one epoch of a million model steps: far longer than the wait below
        writeExperiment(1000000);
        Path run = dir.resolve("run");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        CompletableFuture<RunOutcome> outcome = CompletableFuture.supplyAsync(() -> service.run(
                new RunRequest(dir.resolve("exp.json").toString(), List.of(), run, false),
                new PrintStream(progress, true)));
        Path checkpoint = run.resolve("checkpoint/state.json");
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(checkpoint) && !outcome.isDone() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20); // the checkpoint of epoch 0, after pre-training
        }
        assertTrue(
                Files.exists(checkpoint),
                "the run did not reach its first checkpoint: "
                        + (outcome.isDone() ? outcome.get().message() : "still running") + "; " + progress);

        long t0 = System.nanoTime();
        service.stopRuns(Duration.ofMillis(300));
        double seconds = (System.nanoTime() - t0) / 1e9;
        RunOutcome o = outcome.get(10, TimeUnit.SECONDS);
        assertTrue(seconds < 10, "stopRuns returned after " + seconds + " s");
        assertEquals(Status.ABORTED, o.status(), o.message());
        assertTrue(
                o.message()
                        .startsWith("the platform is stopping; the epoch did not finish within 0 s; the last "
                                + "checkpoint is kept; resume with: mio resume " + run),
                o.message());
        var provenance = Json.MAPPER.readTree(run.resolve("provenance.json").toFile());
        assertEquals("ABORTED", provenance.get("status").asText());
        assertEquals(0, Json.MAPPER.readTree(checkpoint.toFile()).get("epoch").asInt());
    }

    @Test
    void noRunStartsOnceThePlatformIsStopping() throws Exception {
        ExperimentServiceImpl service =
                new ExperimentServiceImpl(StandIns.registry(), new StandIns.StubNumerics(), TestSettings.in(dir));
        writeExperiment(2);
        service.stopRuns(Duration.ofMillis(10));
        // a sweep's next trial, started as the platform goes down: nothing written, and not
        // reported as a missing plugin (its plugins may be gone by then)
        Path run = dir.resolve("late");
        RunOutcome o = service.run(
                new RunRequest(dir.resolve("exp.json").toString(), List.of(), run, false),
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(Status.ABORTED, o.status(), o.message());
        assertEquals("not started: the platform is stopping; run the same command again to start it", o.message());
        assertFalse(Files.exists(run), "the run folder was created");
    }

    /** An experiment of stand-ins whose one epoch has {@code steps} model steps. */
    private void writeExperiment(int steps) throws java.io.IOException {
        Files.writeString(dir.resolve("exp.json"), """
                {"seed": 7, "dataType": "double",
                 "task": {"kind": "fake-task", "params": {"time": 10}},
                 "model": {"kind": "fake-model"},
                 "estimator": {"kind": "fake-mi"},
                 "training": {"epochs": 1, "batchSize": 3, "lambdaMi": 0.5, "estimatorPretrainSteps": 1,
                              "estimatorSteps": 1, "modelStepsPerEpoch": %d,
                              "snapshotEvery": 1, "checkpointEvery": 1,
                              "modelOptimizer": {"type": "rmsprop", "learningRate": 0.01}}}
                """.formatted(steps));
    }
}
