package org.mio.core.train;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mio.api.analysis.AnalysisResult;
import org.mio.api.analysis.Snapshot;
import org.mio.api.model.Trajectory;
import org.mio.api.plugin.Rng;
import org.mio.api.task.Draw;
import org.mio.api.task.TaskBatch;
import org.mio.api.task.TaskInstance;
import org.mio.core.config.TrainingConfig;
import org.mio.core.run.RunFolder;
import org.mio.core.run.RunTrace;
import org.mio.core.session.Session;
import org.mio.numerics.Npy;
import org.mio.numerics.Scratch;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A snapshot at an epoch (METHOD.md §6a.6): the parameters as {@code .npy}, one evaluation run on
 * a fresh test batch from its own stream ({@code analysis/e}, so it never shifts the training
 * numbers), its trace, and every analyzer's scalars (one {@code analysis.jsonl} row) and arrays.
 */
final class Snapshots {
    private final Session session;
    private final RunFolder folder;
    private final RunControl control;
    private final Rollouts rollouts;
    private final TrainingConfig training;
    private final long seed;

    Snapshots(Session session, RunFolder folder, RunControl control, Rollouts rollouts) {
        this.session = session;
        this.folder = folder;
        this.control = control;
        this.rollouts = rollouts;
        this.training = session.experiment().config().training();
        this.seed = session.experiment().config().seed();
    }

    void write(int epoch) throws IOException {
        var dir = folder.snapshotDir(epoch);
        for (var p : session.network().parameters().entrySet()) {
            Npy.write(dir.resolve(p.getKey() + ".npy"), p.getValue());
        }
        Map<String, Object> row = evaluate(epoch);
        if (row != null) {
            folder.analysis().append(row);
        }
    }

    /**
     * The evaluation run of the snapshot of {@code epoch} with the network's present parameters:
     * writes its trace and the analyzers' arrays into the snapshot's folder and returns the
     * analysis row ({@code null} without analyzers). The same epoch gives the same test batch,
     * noise and initial state every time.
     */
    Map<String, Object> evaluate(int epoch) throws IOException {
        // the memory training steps keep for reuse is not needed here, where the analyzers and the
        // trace need memory of their own (with it kept, a sep-paper run peaked 1.2 GiB higher)
        Scratch.clear();
        var dir = folder.snapshotDir(epoch);
        Rng rng = Rng.derive(seed, "analysis", Integer.toString(epoch));
        TaskBatch batch = session.task()
                .sample(
                        training.batchSize(),
                        new Draw(TaskInstance.Split.TEST, epoch, training.epochs()),
                        rng.split("data"));
        Rng noise = rng.split("noise");
        INDArray x0 = rollouts.initialState(training.initialStates().analysis(), batch.batchSize(), rng.split("state"));
        Trajectory warm = rollouts.overTransient(batch, x0, noise);
        INDArray state = warm == null ? x0 : warm.finalState();
        INDArray in = Tensors.steps(batch.inputs(), batch.transientSteps(), batch.time());
        // the evaluation's arrays are freed once written and analyzed (Trajectory#close)
        try (Trajectory tr = session.network().forward(in, state, noise, false)) {
            RunTrace.write(dir, batch, warm, tr);
            return analyze(epoch, dir, batch, tr);
        } finally {
            if (warm != null) {
                warm.close();
            }
        }
    }

    private Map<String, Object> analyze(int epoch, java.nio.file.Path dir, TaskBatch batch, Trajectory tr)
            throws IOException {
        if (session.analyzers().isEmpty()) {
            return null;
        }
        Snapshot snap = new Snapshot(
                epoch, session.network().parameters(), session.network().groups(), batch, tr);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(TrainerMetrics.EPOCH, epoch);
        for (Session.AnalyzerUse a : session.analyzers()) {
            control.check();
            AnalysisResult res = a.analyzer().analyze(snap, a.params());
            res.scalars().forEach(row::put);
            for (var arr : res.arrays().entrySet()) {
                Npy.write(dir.resolve(arr.getKey() + ".npy"), arr.getValue());
            }
        }
        return row;
    }
}
