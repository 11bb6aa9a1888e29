package org.mio.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mio.api.plugin.ConfigException;
import org.mio.core.command.ExperimentServiceImpl;
import org.mio.core.config.Json;
import org.mio.core.registry.PluginRegistry;
import org.mio.core.registry.PluginType;
import org.mio.core.sweep.SweepRunner;

/** A sweep on the stand-in plugins: every trial runs, a restart skips finished ones and resumes the rest. */
class SweepTest {
    @TempDir
    Path dir;

    private final Fakes.RecordingRenderer renderer = new Fakes.RecordingRenderer();

    private ExperimentServiceImpl service() {
        System.setProperty("mio.plugin.wait.ms", "0");
        PluginRegistry registry = new PluginRegistry();
        registry.addForTest(PluginType.TASK, "fake-task", new Fakes.FakeTask(), "t", "1.0.0");
        registry.addForTest(PluginType.MODEL, "fake-model", new Fakes.FakeModel(), "m", "1.0.0");
        registry.addForTest(PluginType.ESTIMATOR, "fake-mi", new Fakes.FakeEstimator(), "e", "1.0.0");
        registry.addForTest(PluginType.RENDERER, "recording", renderer, "r", "1.0.0");
        return new ExperimentServiceImpl(registry, new TrainerTest.StubNumerics());
    }

    @Test
    void runsSkipsAndResumes() throws Exception {
        Files.writeString(dir.resolve("exp.json"), TrainerTest.EXPERIMENT);
        Path sweep = dir.resolve("s.json");
        Files.writeString(sweep, """
                {"name": "s", "experiment": "exp.json", "seeds": [1, 2],
                 "conditions": {"lambda": {"training.lambdaMi": 0.5}, "control": {"training.lambdaMi": 0.0}},
                 "parallelTrials": 2, "bootstrapResamples": 200}
                """);
        var cfg = SweepRunner.load(sweep);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path out = dir.resolve("out");
        assertEquals(0, SweepRunner.run(service(), cfg, dir, out, new PrintStream(log, true)));
        for (String t : new String[] {"lambda-1", "lambda-2", "control-1", "control-2"}) {
            assertEquals("COMPLETED", Json.MAPPER.readTree(out.resolve(t + "/provenance.json").toFile()).get("status").asText());
        }
        var summary = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
        assertEquals(2, summary.at("/conditions/lambda/completed").asInt());
        assertEquals(0.5, Json.MAPPER.readTree(out.resolve("lambda-1/experiment.json").toFile()).at("/training/lambdaMi").asDouble());
        assertEquals(0.0, Json.MAPPER.readTree(out.resolve("control-2/experiment.json").toFile()).at("/training/lambdaMi").asDouble());
        assertTrue(summary.at("/between/lambda_minus_control/task_loss/difference").isNumber());
        assertEquals(5, Files.readAllLines(out.resolve("trials.csv")).size());
        // figures and reports: each trial's own, and the sweep's
        for (String t : new String[] {"lambda-1", "control-2"}) {
            assertTrue(Files.exists(out.resolve(t + "/figures/curves.png")), t);
            assertTrue(Files.exists(out.resolve(t + "/figures/curves.svg")), t);
            assertTrue(Files.readString(out.resolve(t + "/report.html")).contains("data:image/png;base64,"), t);
        }
        for (String f : new String[] {"sweep-final", "sweep-onsets"}) {
            assertTrue(Files.exists(out.resolve("figures/" + f + ".png")), f + ": " + log);
        }
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("Success and differentiation") && report.contains("lambda − control"), report);
        assertTrue(report.contains("id=\"sweep-final\""), report);

        // one trial "interrupted": the restart resumes it and skips the other three
        Path prov = out.resolve("control-2/provenance.json");
        Files.writeString(prov, Files.readString(prov).replace("\"status\" : \"COMPLETED\"", "\"status\" : \"ABORTED\""));
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        assertEquals(0, SweepRunner.run(service(), cfg, dir, out, new PrintStream(log2, true)));
        assertTrue(log2.toString().contains("3 already complete"), log2.toString());
        assertTrue(log2.toString().contains("trial control-2"), log2.toString());
        assertEquals("COMPLETED", Json.MAPPER.readTree(prov.toFile()).get("status").asText());
    }

    @Test
    void aBadConditionIsRejectedBeforeAnythingRuns() throws Exception {
        Files.writeString(dir.resolve("exp.json"), TrainerTest.EXPERIMENT);
        Path sweep = dir.resolve("bad.json");
        Files.writeString(sweep, """
                {"name": "bad", "experiment": "exp.json", "seeds": [1],
                 "conditions": {"x": {"training.lambdaMi": -1}}}
                """);
        var cfg = SweepRunner.load(sweep);
        var e = assertThrows(ConfigException.class,
                () -> SweepRunner.run(service(), cfg, dir, dir.resolve("o"), new PrintStream(new ByteArrayOutputStream())));
        assertEquals("trial x-1: exp.json: training.lambdaMi must be a finite number ≥ 0, found -1.0", e.getMessage());
        assertTrue(!Files.exists(dir.resolve("o")));
    }
}
