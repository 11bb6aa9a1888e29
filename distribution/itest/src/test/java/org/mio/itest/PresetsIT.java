package org.mio.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mio.api.run.ExperimentService;
import org.mio.api.run.RunOutcome;
import org.mio.api.run.RunRequest;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * Every shipped preset binds against the installed plugins and runs end to end on the real
 * task, model, estimator and analyzers, shrunk to seconds: a complete run folder results.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PresetsIT {

    @Inject
    BundleContext ctx;

    ExperimentService experiments;

    @Before
    public void configure() throws Exception {
        experiments = Distribution.configured(ctx);
    }

    @Configuration
    public Option[] config() throws Exception {
        return Distribution.options();
    }

    /** How a task's presets are shrunk to seconds, and what their run folders must then hold. */
    record Shrunk(List<String> overrides, List<String> files, List<String> figures, String analysisHeader) {}

    /** How each estimator's part of a preset is shrunk. */
    static final java.util.Map<String, List<String>> ESTIMATOR_SHRUNK = java.util.Map.of(
            "mine", List.of("estimator.params.hidden=8", "estimator.params.rows=null"),
            "nwj", List.of("estimator.params.hidden=8", "estimator.params.rows=null"),
            "smile", List.of("estimator.params.hidden=8", "estimator.params.rows=null"),
            "infonce", List.of("estimator.params.hidden=8", "estimator.params.rows=null"),
            "club", List.of("estimator.params.hidden=8", "estimator.params.rows=null"),
            "gaussian", List.of("estimator.params.rows=null"));

    static final java.util.Map<String, Shrunk> SHRUNK = java.util.Map.of(
            "working-memory",
            new Shrunk(
                    List.of(
                            "training.epochs=2",
                            "training.snapshotEvery=1",
                            "training.estimatorPretrainSteps=1",
                            "training.estimatorSteps=1",
                            "task.params.transientSteps=10",
                            "task.params.learningSteps=30",
                            "training.batchSize=4"),
                    List.of(
                            "experiment.json",
                            "provenance.json",
                            "metrics.csv",
                            "analysis.csv",
                            "summary.json",
                            "snapshots/epoch-0002/W_rec.npy",
                            "snapshots/epoch-0002/corr_target.npy",
                            "checkpoint/state.json"),
                    List.of(
                            "curves",
                            "task-epoch-0002",
                            "scatter-epoch-0002",
                            "wrec-epoch-0002",
                            "wrec-blocks-epoch-0002"),
                    "epoch,Q_corr,Q_corr_norm,D_corr,align_out,align_in,Q_str,Q_str_norm,D_in,D_out"),
            "lorenz-rossler",
            new Shrunk(
                    List.of(
                            "training.epochs=2",
                            "training.snapshotEvery=1",
                            "training.checkpointEvery=1",
                            "training.estimatorPretrainSteps=1",
                            "training.estimatorSteps=1",
                            "training.modelStepsPerEpoch=1",
                            "training.batchSize=3",
                            "task.params.samples=600",
                            "task.params.drop=200",
                            "task.params.lorenzEnd=5.0",
                            "task.params.rosslerEnd=35.0",
                            "task.params.lossStart=20",
                            "task.params.sequencesPerFile=5",
                            "model.params.hidden=8",
                            "model.params.groupSplit=4"),
                    List.of(
                            "experiment.json",
                            "provenance.json",
                            "metrics.csv",
                            "analysis.csv",
                            "summary.json",
                            "snapshots/epoch-0002/U.npy",
                            "snapshots/epoch-0002/corr_outputs.npy",
                            "checkpoint/state.json"),
                    List.of("curves", "task-epoch-0002", "scatter-epoch-0002", "uh-epoch-0002"),
                    "epoch,Q_cor,Q_str,Q_str_z,Q_str_r,D_cor,corr_G1_sys1,corr_G1_sys2,corr_G2_sys1,corr_G2_sys2,std_G1,std_G2,D_out"));

    @Test
    public void everyPresetRunsShrunk() throws Exception {
        Path dir = Distribution.tempDir("mio-presets");
        List<Path> presets;
        try (var s = Files.list(Distribution.home().resolve("examples"))) {
            presets = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(presets.size() >= 4);
        for (Path preset : presets) {
            String name = preset.getFileName().toString().replace(".json", "");
            var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(preset.toFile());
            Shrunk shrunk = SHRUNK.get(tree.at("/task/kind").asText());
            assertTrue(name + ": a preset of an unknown task", shrunk != null);
            List<String> estimator =
                    ESTIMATOR_SHRUNK.get(tree.at("/estimator/kind").asText());
            assertTrue(name + ": a preset of an unknown estimator", estimator != null);
            List<String> overrides = new java.util.ArrayList<>(shrunk.overrides());
            overrides.addAll(estimator);
            Path out = dir.resolve(name);
            RunOutcome o = experiments.run(new RunRequest(name, overrides, out, false));
            assertEquals(name + ": " + o.message(), RunOutcome.Status.COMPLETED, o.status());
            for (String f : shrunk.files()) {
                assertTrue(name + ": " + f, Files.exists(out.resolve(f)));
            }
            for (String fig : shrunk.figures()) {
                for (String ext : new String[] {".png", ".svg"}) {
                    Path file = out.resolve("figures").resolve(fig + ext);
                    assertTrue(name + ": " + file, Files.size(file) > 1000);
                }
            }
            String report = Files.readString(out.resolve("report.html"));
            assertEquals(
                    name + ": every figure embedded",
                    shrunk.figures().size(),
                    report.split("data:image/png;base64,", -1).length - 1);
            if (name.equals("wm-quick")) {
                Chromium.checkReport(out.resolve("report.html"), 5);
            }
            String analysis = Files.readString(out.resolve("analysis.csv"));
            assertTrue(analysis, analysis.startsWith(shrunk.analysisHeader()));
        }
    }
}
