package org.mio.core.train;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mio.api.analysis.AnalysisResult;
import org.mio.api.analysis.Snapshot;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.Sampling;
import org.mio.api.estimator.ValueAndGradient;
import org.mio.api.model.Network;
import org.mio.api.model.Trajectory;
import org.mio.api.model.UnitGroups;
import org.mio.api.plugin.Rng;
import org.mio.api.task.TaskBatch;
import org.mio.api.task.TaskInstance;
import org.mio.core.config.ExperimentConfig;
import org.mio.core.config.InitialState;
import org.mio.core.config.TrainingConfig;
import org.mio.core.run.Checkpoint;
import org.mio.core.run.RunFolder;
import org.mio.core.run.RunTrace;
import org.mio.numerics.Npy;
import org.mio.numerics.Optimizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The alternating schedule of METHOD.md §5: estimator pre-training, then per epoch
 * {@code modelStepsPerEpoch} × ({@code estimatorSteps} phase-A steps + one phase-B step on
 * task MSE + L2 + λ·Î), with snapshots, analyses and checkpoints.
 *
 * <p>Randomness: every step draws from its own stream derived from the master seed and the
 * step's coordinates ({@code pretrain/k}, {@code epoch/e/step/s/estimator/j},
 * {@code epoch/e/step/s/model}, {@code analysis/e}), each split into {@code data},
 * {@code state}, {@code noise} and {@code estimator}. A run resumed from the checkpoint of epoch
 * e therefore repeats epochs e+1… exactly as the uninterrupted run would.
 */
public final class Trainer {
    /** Groups of tensors in a checkpoint. */
    static final String MODEL = "model";
    static final String MODEL_OPTIMIZER = "model-optimizer";
    static final String ESTIMATOR = "estimator";

    private final Session session;
    private final ExperimentConfig config;
    private final TrainingConfig training;
    private final RunFolder folder;
    private final RunControl control;
    private final PrintStream progress;
    private final Optimizer modelOptimizer;
    private final long seed;
    private final UnitGroups groups;
    private final int[] g1;
    private final int[] g2;

    /**
     * @param session plugin instances of the run
     * @param folder the run folder
     * @param control abort flag checked between steps
     * @param progress where the per-epoch progress line goes
     */
    public Trainer(Session session, RunFolder folder, RunControl control, PrintStream progress) {
        this.session = session;
        this.config = session.experiment().config();
        this.training = config.training();
        this.folder = folder;
        this.control = control;
        this.progress = progress;
        this.modelOptimizer = new Optimizer(training.modelOptimizer());
        this.seed = config.seed();
        this.groups = session.network().groups();
        this.g1 = groups.group1();
        this.g2 = groups.group2();
    }

    /** Thrown when a quantity becomes NaN or exceeds {@code maxLoss}. */
    public static final class Diverged extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Diverged(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Trains from scratch, or from the folder's checkpoint if {@code resume}.
     *
     * @return the final metrics row
     * @throws Diverged if training produced NaN or diverged (the last checkpoint is kept)
     * @throws IOException if a file cannot be written (the last checkpoint is kept)
     */
    public Map<String, Object> run(boolean resume) throws IOException {
        int start;
        if (resume) {
            Checkpoint cp = Checkpoint.load(folder.dir());
            if (!cp.configHash().equals(session.experiment().hash())) {
                throw new IOException("the checkpoint belongs to another experiment (hash " + cp.configHash()
                        + ", experiment.json has " + session.experiment().hash() + ")");
            }
            restore(cp);
            start = cp.epoch();
            folder.metrics().truncateAfter(start);
            folder.analysis().truncateAfter(start);
            progress.printf("resuming %s from epoch %d%n", config.name(), start);
        } else {
            for (int k = 0; k < training.estimatorPretrainSteps(); k++) {
                control.check();
                double v = phaseA(Rng.derive(seed, "pretrain", Integer.toString(k)), training.initialStates().pretrain());
                finite("estimator pre-training step " + k, "mi", v);
            }
            snapshot(0);
            checkpoint(0);
            start = 0;
        }
        Map<String, Object> last = folder.metrics().rows().isEmpty() ? Map.of()
                : folder.metrics().rows().get(folder.metrics().rows().size() - 1);
        long t0 = System.nanoTime();
        for (int epoch = start + 1; epoch <= training.epochs(); epoch++) {
            long e0 = System.nanoTime();
            last = epoch(epoch);
            double seconds = (System.nanoTime() - e0) / 1e9;
            last.put("seconds", round(seconds));
            folder.metrics().append(last);
            boolean end = epoch == training.epochs();
            if (epoch % training.snapshotEvery() == 0 || end) {
                snapshot(epoch);
            }
            String stop = control.stopReason();
            if (epoch % training.checkpointEvery() == 0 || end || stop != null) {
                checkpoint(epoch);
            }
            if (stop != null && !end) {
                throw new RunControl.Aborted(stop + "; checkpoint written after epoch " + epoch);
            }
            double perEpoch = (System.nanoTime() - t0) / 1e9 / (epoch - start);
            progress.println(progressLine(last, perEpoch * (training.epochs() - epoch)));
        }
        return new LinkedHashMap<>(last);
    }

    private Map<String, Object> epoch(int epoch) {
        double miBefore = Double.NaN;
        double sumMse = 0;
        double sumReg = 0;
        double sumMi = 0;
        Map<String, Double> scoreSum = new LinkedHashMap<>();
        String e = Integer.toString(epoch);
        for (int s = 0; s < training.modelStepsPerEpoch(); s++) {
            String st = Integer.toString(s);
            for (int j = 0; j < training.estimatorSteps(); j++) {
                control.check();
                miBefore = phaseA(Rng.derive(seed, "epoch", e, "step", st, "estimator", Integer.toString(j)),
                        training.initialStates().estimator());
                finite("epoch " + epoch, "mi_before", miBefore);
            }
            control.check();
            StepResult r = phaseB(Rng.derive(seed, "epoch", e, "step", st, "model"));
            sumMse += r.mse;
            sumReg += r.reg;
            sumMi += r.mi;
            r.scores.forEach((k, v) -> scoreSum.merge(k, v, Double::sum));
        }
        int n = training.modelStepsPerEpoch();
        double mse = sumMse / n;
        double reg = sumReg / n;
        double miAfter = sumMi / n;
        double total = mse + reg + training.lambdaMi() * miAfter;
        finite("epoch " + epoch, "task_loss", mse);
        finite("epoch " + epoch, "mi_after", miAfter);
        finite("epoch " + epoch, "total_loss", total);
        if (total > training.maxLoss()) {
            throw new Diverged("epoch " + epoch + ": total_loss " + total + " exceeds maxLoss " + training.maxLoss()
                    + " (diverged)");
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        row.put("task_loss", mse);
        row.put("reg_loss", reg);
        row.put("mi_before", miBefore);
        row.put("mi_after", miAfter);
        row.put("total_loss", total);
        scoreSum.forEach((k, v) -> row.put(k, v / n));
        return row;
    }

    // --- phase A: one estimator step per chunk of the learning segment, no gradient into the model ---

    double phaseA(Rng rng, InitialState init) {
        TaskInstance task = session.task();
        Network net = session.network();
        TaskBatch batch = task.sample(training.batchSize(), TaskInstance.Split.TRAIN, rng.split("data"));
        Rng noise = rng.split("noise");
        INDArray state = afterTransient(batch, initialState(init, batch.batchSize(), rng.split("state")), noise);
        Sampling sampling = Sampling.of(rng.split("estimator"));
        double v = Double.NaN;
        for (int[] chunk : chunks(batch.learningSteps())) {
            INDArray in = Tensors.steps(batch.inputs(), batch.transientSteps() + chunk[0], batch.transientSteps() + chunk[1]);
            Trajectory tr = net.forward(in, state, noise, false);
            INDArray x = Tensors.gather(tr.activity(), g1);
            INDArray y = Tensors.gather(tr.activity(), g2);
            v = session.estimator().trainStep(x, y, sampling);
            state = tr.finalState();
        }
        return v;
    }

    record StepResult(double mse, double reg, double mi, Map<String, Double> scores) {}

    // --- phase B: BPTT through the task loss and the frozen estimator ---

    StepResult phaseB(Rng rng) {
        TaskInstance task = session.task();
        Network net = session.network();
        Estimator est = session.estimator();
        TaskBatch batch = task.sample(training.batchSize(), TaskInstance.Split.TRAIN, rng.split("data"));
        Rng noise = rng.split("noise");
        INDArray state = afterTransient(batch,
                initialState(training.initialStates().model(), batch.batchSize(), rng.split("state")), noise);
        Sampling sampling = Sampling.of(rng.split("estimator"));
        double lambda = training.lambdaMi();
        double sumMse = 0;
        double sumReg = 0;
        double sumMi = 0;
        int counted = 0;
        List<int[]> chunks = chunks(batch.learningSteps());
        List<INDArray> outputs = new ArrayList<>();
        for (int[] chunk : chunks) {
            int from = batch.transientSteps() + chunk[0];
            int to = batch.transientSteps() + chunk[1];
            INDArray in = Tensors.steps(batch.inputs(), from, to);
            INDArray target = Tensors.steps(batch.targets(), from, to);
            Trajectory tr = net.forward(in, state, noise, true);
            outputs.add(tr.outputs());
            INDArray dOut = Nd4j.zeros(tr.outputs().dataType(), tr.outputs().shape());
            int lossStart = Math.max(0, batch.lossStart() - chunk[0]);
            if (lossStart < chunk[1] - chunk[0]) {
                sumMse += Tensors.mse(tr.outputs(), target, lossStart, dOut);
                counted++;
            }
            INDArray x = Tensors.gather(tr.activity(), g1);
            INDArray y = Tensors.gather(tr.activity(), g2);
            INDArray dAct = null;
            double mi;
            if (lambda > 0) {
                ValueAndGradient vg = est.valueAndGradient(x, y, sampling);
                mi = vg.value();
                dAct = Nd4j.zeros(tr.activity().dataType(), tr.activity().shape());
                Tensors.scatterAdd(dAct, g1, vg.dx(), lambda);
                Tensors.scatterAdd(dAct, g2, vg.dy(), lambda);
            } else {
                mi = est.estimate(x, y, sampling);
            }
            sumMi += mi;
            Map<String, INDArray> grads = net.backward(tr, dOut, dAct);
            sumReg += net.regularization(grads);
            control.check();
            modelOptimizer.step(net.parameters(), grads);
            state = tr.finalState();
        }
        INDArray allOut = outputs.size() == 1 ? outputs.get(0) : Nd4j.concat(1, outputs.toArray(INDArray[]::new));
        Map<String, Double> scores = task.score(batch, allOut);
        return new StepResult(counted == 0 ? 0 : sumMse / counted, sumReg / chunks.size(), sumMi / chunks.size(),
                scores);
    }

    private INDArray afterTransient(TaskBatch batch, INDArray x0, Rng noise) {
        Trajectory warm = overTransient(batch, x0, noise);
        return warm == null ? x0 : warm.finalState();
    }

    /** The run over the batch's transient without gradient, or {@code null} if it has none. */
    private Trajectory overTransient(TaskBatch batch, INDArray x0, Rng noise) {
        if (batch.transientSteps() == 0) {
            return null;
        }
        INDArray in = Tensors.steps(batch.inputs(), 0, batch.transientSteps());
        return session.network().forward(in, x0, noise, false);
    }

    private INDArray initialState(InitialState kind, int batch, Rng rng) {
        Network net = session.network();
        return kind == InitialState.ZEROS ? net.zeroState(batch)
                : Tensors.normal(session.context().dataType(), batch, net.stateSize(), rng);
    }

    private List<int[]> chunks(int length) {
        int split = training.splitLength() == null ? length : Math.min(training.splitLength(), length);
        List<int[]> out = new ArrayList<>();
        for (int a = 0; a < length; a += split) {
            out.add(new int[] {a, Math.min(length, a + split)});
        }
        return out;
    }

    // --- snapshots, analyses, checkpoints ---

    private void snapshot(int epoch) throws IOException {
        var dir = folder.snapshotDir(epoch);
        for (var p : session.network().parameters().entrySet()) {
            Npy.write(dir.resolve(p.getKey() + ".npy"), p.getValue());
        }
        // the evaluation run: its own stream per epoch, so it never shifts the training numbers
        Rng rng = Rng.derive(seed, "analysis", Integer.toString(epoch));
        TaskBatch batch = session.task().sample(training.batchSize(), TaskInstance.Split.TEST, rng.split("data"));
        Rng noise = rng.split("noise");
        INDArray x0 = initialState(training.initialStates().analysis(), batch.batchSize(), rng.split("state"));
        Trajectory warm = overTransient(batch, x0, noise);
        INDArray state = warm == null ? x0 : warm.finalState();
        INDArray in = Tensors.steps(batch.inputs(), batch.transientSteps(), batch.time());
        Trajectory tr = session.network().forward(in, state, noise, false);
        RunTrace.write(dir, batch, warm, tr);
        if (session.analyzers().isEmpty()) {
            return;
        }
        Snapshot snap = new Snapshot(epoch, session.network().parameters(), groups, batch, tr);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        for (Session.AnalyzerUse a : session.analyzers()) {
            control.check();
            AnalysisResult res = a.analyzer().analyze(snap, a.params());
            res.scalars().forEach(row::put);
            for (var arr : res.arrays().entrySet()) {
                Npy.write(dir.resolve(arr.getKey() + ".npy"), arr.getValue());
            }
        }
        folder.analysis().append(row);
    }

    private void checkpoint(int epoch) throws IOException {
        Map<String, Map<String, INDArray>> g = new LinkedHashMap<>();
        Map<String, INDArray> params = new LinkedHashMap<>();
        session.network().parameters().forEach((k, v) -> params.put(k, v));
        g.put(MODEL, params);
        g.put(MODEL_OPTIMIZER, modelOptimizer.state());
        g.put(ESTIMATOR, session.estimator().state());
        new Checkpoint(epoch, session.experiment().hash(), g).save(folder.dir());
    }

    private void restore(Checkpoint cp) {
        Map<String, INDArray> saved = cp.groups().get(MODEL);
        for (var p : session.network().parameters().entrySet()) {
            INDArray v = saved.get(p.getKey());
            if (v == null) {
                throw new IllegalArgumentException("checkpoint has no model parameter " + p.getKey());
            }
            p.getValue().assign(v.castTo(p.getValue().dataType()));
        }
        modelOptimizer.restoreState(cp.groups().get(MODEL_OPTIMIZER));
        session.estimator().restoreState(cp.groups().get(ESTIMATOR));
    }

    private static void finite(String where, String quantity, double v) {
        if (!Double.isFinite(v)) {
            throw new Diverged(where + ": " + quantity + " is " + v);
        }
    }

    private String progressLine(Map<String, Object> row, double etaSeconds) {
        StringBuilder sb = new StringBuilder();
        int width = Integer.toString(training.epochs()).length();
        sb.append(String.format("epoch %" + width + "d/%d", (Integer) row.get("epoch"), training.epochs()));
        sb.append(String.format("  loss %.4f", (Double) row.get("task_loss")));
        if (row.get("accuracy") instanceof Double acc) {
            sb.append(String.format("  acc %.3f", acc));
        }
        for (var e : row.entrySet()) {
            if (e.getKey().startsWith("r2_mean")) {
                sb.append(String.format("  R² %.3f", (Double) e.getValue()));
            }
        }
        sb.append(String.format("  MI %.3f→%.3f", (Double) row.get("mi_before"), (Double) row.get("mi_after")));
        sb.append(String.format("  %.2f s/epoch  ETA %s", (Double) row.get("seconds"), duration(etaSeconds)));
        return sb.toString();
    }

    /** {@code 42s}, {@code 7m05s}, {@code 2h13m}: for progress lines. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
