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
import org.mio.core.registry.Registrations;
import org.mio.core.standins.StandIns;
import org.mio.core.sweep.SweepRunner;

/** A sweep on the stand-in plugins: every trial runs, a restart skips finished ones and resumes the rest. */
class SweepTest {
    @TempDir
    Path dir;

    private final StandIns.RecordingRenderer renderer = new StandIns.RecordingRenderer();

    private ExperimentServiceImpl service() {
        PluginRegistry registry = StandIns.registry();
        Registrations.add(registry, PluginType.ANALYZER, "fake-probe", new StandIns.FakeAnalyzer(), "a", "1.0.0");
        Registrations.add(registry, PluginType.RENDERER, "recording", renderer, "r", "1.0.0");
        return new ExperimentServiceImpl(
                registry, new StandIns.StubNumerics(), org.mio.core.command.TestSettings.in(dir));
    }

    /** 2 conditions × 2 seeds of TrainerTest's experiment, written into the test's folder. */
    private Path twoByTwo() throws java.io.IOException {
        Files.writeString(dir.resolve("exp.json"), TrainerTest.EXPERIMENT);
        Path sweep = dir.resolve("s.json");
        Files.writeString(sweep, """
                {"name": "s", "experiment": "exp.json", "seeds": [1, 2],
                 "conditions": {"lambda": {"training.lambdaMi": 0.5}, "control": {"training.lambdaMi": 0.0}},
                 "parallelTrials": 2, "bootstrapResamples": 200}
                """);
        return sweep;
    }

    @Test
    void runsSkipsAndResumes() throws Exception {
        var cfg = SweepRunner.load(twoByTwo());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path out = dir.resolve("out");
        assertEquals(0, SweepRunner.run(service(), cfg, dir, out, new PrintStream(log, true)));
        for (String t : new String[] {"lambda-1", "lambda-2", "control-1", "control-2"}) {
            assertEquals(
                    "COMPLETED",
                    Json.MAPPER
                            .readTree(out.resolve(t + "/provenance.json").toFile())
                            .get("status")
                            .asText());
        }
        var summary = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
        assertEquals(2, summary.at("/conditions/lambda/completed").asInt());
        assertEquals(
                0.5,
                Json.MAPPER
                        .readTree(out.resolve("lambda-1/experiment.json").toFile())
                        .at("/training/lambdaMi")
                        .asDouble());
        assertEquals(
                0.0,
                Json.MAPPER
                        .readTree(out.resolve("control-2/experiment.json").toFile())
                        .at("/training/lambdaMi")
                        .asDouble());
        assertTrue(
                summary.at("/between/lambda_minus_control/task_loss/difference").isNumber());
        assertEquals(5, Files.readAllLines(out.resolve("trials.csv")).size());
        // figures and reports: each trial's own, and the sweep's
        for (String t : new String[] {"lambda-1", "control-2"}) {
            assertTrue(Files.exists(out.resolve(t + "/figures/curves.png")), t);
            assertTrue(Files.exists(out.resolve(t + "/figures/curves.svg")), t);
            assertTrue(Files.readString(out.resolve(t + "/report.html")).contains("data:image/png;base64,"), t);
        }
        for (String f : new String[] {"sweep-final"}) {
            assertTrue(Files.exists(out.resolve("figures/" + f + ".png")), f + ": " + log);
        }
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("Success and differentiation") && report.contains("lambda − control"), report);
        assertTrue(report.contains("id=\"sweep-final\""), report);

        // one trial "interrupted": the restart resumes it and skips the other three
        Path prov = out.resolve("control-2/provenance.json");
        Files.writeString(
                prov, Files.readString(prov).replace("\"status\" : \"COMPLETED\"", "\"status\" : \"ABORTED\""));
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        assertEquals(0, SweepRunner.run(service(), cfg, dir, out, new PrintStream(log2, true)));
        assertTrue(log2.toString().contains("3 already complete"), log2.toString());
        assertTrue(log2.toString().contains("trial control-2"), log2.toString());
        assertEquals(
                "COMPLETED", Json.MAPPER.readTree(prov.toFile()).get("status").asText());
    }

    /**
     * What a cluster does: the trials run one at a time, in another order, by separate calls with
     * no summary; then the summary of what is there. Every trial's metrics and the summary's
     * statistics equal those of the whole sweep run at once.
     */
    @Test
    void trialsRunOneByOneAndSummarizedEqualTheWholeSweep() throws Exception {
        var cfg = SweepRunner.load(twoByTwo());
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true);
        Path whole = dir.resolve("whole");
        assertEquals(0, SweepRunner.run(service(), cfg, dir, whole, log));

        Path split = dir.resolve("split");
        var plan = SweepRunner.plan(service(), cfg, dir, split);
        assertEquals(java.util.List.of("lambda-1", "lambda-2", "control-1", "control-2"), plan.labels());
        assertTrue(SweepRunner.listing(plan).contains("\"status\" : \"NEW\""), SweepRunner.listing(plan));
        var reversed = new java.util.ArrayList<>(plan.trials());
        java.util.Collections.reverse(reversed);
        for (var t : reversed) {
            assertEquals(0, SweepRunner.runTrials(service(), plan, java.util.List.of(t), split, log));
        }
        assertTrue(!Files.exists(split.resolve("summary.json")), "a share of the trials writes no summary");
        String listing = SweepRunner.listing(plan);
        assertEquals(4, listing.split("\"status\" : \"COMPLETED\"", -1).length - 1, listing);
        SweepRunner.summarize(service(), plan, split, log);

        for (String t : plan.labels()) {
            assertEquals(
                    withoutSeconds(whole.resolve(t + "/metrics.jsonl")),
                    withoutSeconds(split.resolve(t + "/metrics.jsonl")),
                    t);
        }
        var a = Json.MAPPER.readTree(whole.resolve("summary.json").toFile());
        var b = Json.MAPPER.readTree(split.resolve("summary.json").toFile());
        for (String part : new String[] {"/between", "/conditions/lambda/finals", "/conditions/control/curves"}) {
            assertTrue(a.at(part).size() > 0, part + " is in the summary");
        }
        assertEquals(a.get("between"), b.get("between"));
        assertEquals(a.at("/conditions/lambda/finals"), b.at("/conditions/lambda/finals"));
        assertEquals(a.at("/conditions/control/curves"), b.at("/conditions/control/curves"));
    }

    private static java.util.List<String> withoutSeconds(Path jsonl) throws java.io.IOException {
        return Files.readAllLines(jsonl).stream()
                .map(l -> l.replaceAll("\"seconds\":[0-9.eE+-]+,?", ""))
                .toList();
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
        var e = assertThrows(
                ConfigException.class,
                () -> SweepRunner.run(
                        service(), cfg, dir, dir.resolve("o"), new PrintStream(new ByteArrayOutputStream())));
        assertEquals("trial x-1: exp.json: training.lambdaMi must be a finite number ≥ 0, found -1.0", e.getMessage());
        assertTrue(!Files.exists(dir.resolve("o")));
    }

    /** The fake task's and analyzer's own metrics, criteria and onsets: no metric name is known to the core. */
    private static final String PROBED = TrainerTest.EXPERIMENT.trim().replaceFirst("}$", "") + """
            , "analysis": [{"kind": "fake-probe", "params": {"level": 1.0, "full": 6}}],
              "criteria": {"success": [{"metric": "signal", "above": 0.5}],
                           "differentiation": [{"metric": "echo", "above": 0.9}]}}
            """;

    @Test
    void summarizesThePluginsOwnMetricsByTheExperimentsCriteria() throws Exception {
        Files.writeString(dir.resolve("probed.json"), PROBED);
        Path sweep = dir.resolve("p.json");
        // up: succeeds and differentiates; low: echo 0.6 fails differentiation; flat: signal 0.2 fails success;
        // broken: NaN targets from the 5th batch on, so the trials fail and count as failures
        Files.writeString(sweep, """
                {"name": "p", "experiment": "probed.json", "seeds": [1, 2],
                 "conditions": {"up": {}, "low": {"analysis[0].params.level": 0.6},
                                "flat": {"analysis[0].params.level": 0.2},
                                "broken": {"task.params.nanAfter": 5}},
                 "onsets": [{"first": "signal", "then": "echo"}],
                 "parallelTrials": 1, "bootstrapResamples": 200}
                """);
        var cfg = SweepRunner.load(sweep);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path out = dir.resolve("out");
        assertEquals(1, SweepRunner.run(service(), cfg, dir, out, new PrintStream(log, true)), log.toString());
        var s = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
        assertEquals("signal > 0.5", s.at("/success/0").asText());
        assertEquals("HIGHER", s.at("/metrics/signal/better").asText());
        assertEquals("probe", s.at("/metrics/echo/panel").asText());
        assertEquals("NONE", s.at("/metrics/mean_output/better").asText());
        assertEquals(1.0, s.at("/conditions/up/successRate").asDouble());
        assertEquals(1.0, s.at("/conditions/up/differentiationRate").asDouble());
        assertEquals(1.0, s.at("/conditions/low/successRate").asDouble());
        assertEquals(0.0, s.at("/conditions/low/differentiationRate").asDouble());
        assertEquals(0.0, s.at("/conditions/flat/successRate").asDouble());
        // failed trials are finished and count as failures, not left out
        assertEquals(2, s.at("/conditions/broken/failed").asInt());
        assertEquals(2, s.at("/conditions/broken/finished").asInt());
        assertEquals(0.0, s.at("/conditions/broken/successRate").asDouble());
        // curves over all finished trials and over the successful-and-differentiated subset
        assertEquals(2, s.at("/conditions/up/curves/selected/n").asInt());
        assertEquals(0, s.at("/conditions/low/curves/selected/n").asInt());
        assertEquals(2, s.at("/conditions/low/curves/all/n").asInt());
        assertEquals("[0,3,6]", s.at("/conditions/up/curves/all/epochs").toString());
        assertEquals(
                0.5, s.at("/conditions/up/curves/all/metrics/signal/mean/1").asDouble(), 1e-12);
        // onsets over successful trials: signal reaches half its rise at epoch 3, echo at 6
        assertEquals(
                2, s.at("/conditions/up/onsets/signal_vs_echo/firstEarlier").asInt());
        assertEquals(
                3.0, s.at("/conditions/up/onsets/signal_vs_echo/medianFirst").asDouble());
        assertEquals(
                6.0, s.at("/conditions/up/onsets/signal_vs_echo/medianThen").asDouble());
        assertEquals(0, s.at("/conditions/flat/onsets/signal_vs_echo/trials").asInt());
        assertEquals(0.4, s.at("/between/up_minus_low/signal/difference").asDouble(), 1e-12);
        assertTrue(Files.readAllLines(out.resolve("trials.csv")).get(0).contains(",signal,echo"));
        for (String f : new String[] {"sweep-curves", "sweep-curves-selected", "sweep-final", "sweep-onsets"}) {
            assertTrue(Files.exists(out.resolve("figures/" + f + ".png")), f + ": " + log);
        }
        assertTrue(
                log.toString().contains("up         2/2 finished  success 1.00  differentiated 1.00  signal 1.000"),
                log.toString());
    }

    @Test
    void criteriaAndOnsetsMustNameMetricsTheTrialsProduce() throws Exception {
        Files.writeString(
                dir.resolve("probed.json"), PROBED.replace("\"metric\": \"signal\"", "\"metric\": \"signl\""));
        Path sweep = dir.resolve("c.json");
        Files.writeString(sweep, """
                {"name": "c", "experiment": "probed.json", "seeds": [1]}
                """);
        var e = assertThrows(
                ConfigException.class,
                () -> SweepRunner.run(
                        service(),
                        SweepRunner.load(sweep),
                        dir,
                        dir.resolve("o"),
                        new PrintStream(new ByteArrayOutputStream())));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "trial default-1: probed.json: criteria.success[0].metric: no metric 'signl' in this "
                                        + "experiment; its metrics: task_loss, reg_loss, mi_before, mi_after, total_loss, mean_output, signal, echo"),
                e.getMessage());
        Files.writeString(dir.resolve("probed.json"), PROBED);
        Files.writeString(sweep, """
                {"name": "c", "experiment": "probed.json", "seeds": [1], "onsets": [{"first": "signal", "then": "mean_output"}]}
                """);
        var o = assertThrows(
                ConfigException.class,
                () -> SweepRunner.run(
                        service(),
                        SweepRunner.load(sweep),
                        dir,
                        dir.resolve("o"),
                        new PrintStream(new ByteArrayOutputStream())));
        assertEquals(
                "c: onsets[0]: no curve metric 'mean_output' in this experiment; its curves: signal, echo",
                o.getMessage());
        assertTrue(!Files.exists(dir.resolve("o")));
    }
}
