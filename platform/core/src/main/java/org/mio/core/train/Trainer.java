package org.mio.core.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.Sampling;
import org.mio.api.estimator.ValueAndGradient;
import org.mio.api.model.Network;
import org.mio.api.model.Trajectory;
import org.mio.api.model.UnitGroups;
import org.mio.api.plugin.Rng;
import org.mio.api.task.Draw;
import org.mio.api.task.TaskBatch;
import org.mio.api.task.TaskInstance;
import org.mio.core.config.ExperimentConfig;
import org.mio.core.config.InitialState;
import org.mio.core.config.TrainingConfig;
import org.mio.core.run.Checkpoint;
import org.mio.core.run.RunFolder;
import org.mio.core.session.Session;
import org.mio.numerics.Dense;
import org.mio.numerics.Npy;
import org.mio.numerics.Optimizer;
import org.mio.numerics.Scratch;
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
    private final Session session;
    private final ExperimentConfig config;
    private final TrainingConfig training;
    private final RunFolder folder;
    private final RunControl control;
    private final PrintStream progress;
    private final Optimizer modelOptimizer;
    private final long seed;
    private final int[] g1;
    private final int[] g2;
    private final Rollouts rollouts;
    private final Snapshots snapshots;
    private final Checkpoints checkpoints;
    private final String headline;

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
        UnitGroups groups = session.network().groups();
        this.g1 = groups.group1();
        this.g2 = groups.group2();
        this.rollouts = new Rollouts(session);
        this.snapshots = new Snapshots(session, folder, control, rollouts);
        this.checkpoints = new Checkpoints(session, folder, modelOptimizer);
        this.headline = session.task().metrics().isEmpty()
                ? null
                : session.task().metrics().get(0).name();
    }

    /**
     * Runs the analyzers again on the snapshots of {@code epochs}, each with its saved parameters
     * and the same test batch, noise and initial state as in the run (e.g. after an analyzer
     * gained curves, or to add one): rewrites each snapshot's trace and analyzer arrays and
     * returns the analysis rows. Every snapshot's parameters are read and checked before anything
     * is written.
     *
     * @return the analysis rows in the order of {@code epochs} (none without analyzers)
     * @throws Checkpoint.Damaged naming a parameter file of a snapshot that is missing, not
     *     readable or of another shape than the model's
     */
    public List<Map<String, Object>> reanalyze(List<Integer> epochs) throws IOException {
        Map<String, INDArray> live = session.network().parameters();
        List<Map<String, INDArray>> saved = new ArrayList<>();
        for (int epoch : epochs) {
            Path dir = RunFolder.snapshotDir(folder.dir(), epoch);
            Map<String, INDArray> params = new LinkedHashMap<>();
            for (String name : live.keySet()) {
                Path file = dir.resolve(name + ".npy");
                if (Files.isRegularFile(file)) {
                    try {
                        params.put(name, Npy.read(file));
                    } catch (IOException e) {
                        throw new Checkpoint.Damaged(file + ": not readable (" + e.getMessage() + ")");
                    }
                }
            }
            Checkpoints.checkModel(params, live, name -> dir.resolve(name + ".npy"));
            saved.add(params);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < epochs.size(); i++) {
            control.check();
            Checkpoints.assignModel(saved.get(i), live);
            Map<String, Object> row = snapshots.evaluate(epochs.get(i));
            if (row != null) {
                rows.add(row);
            }
            progress.printf("snapshot of epoch %d analyzed (%d of %d)%n", epochs.get(i), i + 1, epochs.size());
        }
        return rows;
    }

    /** Thrown when a quantity becomes NaN or exceeds {@code maxLoss}. */
    public static final class Diverged extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Diverged(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Restores a checkpoint of the folder (checked against the experiment and the shapes of what
     * it restores) before the run writes anything; {@link #run(Integer)} then continues after its
     * epoch.
     *
     * @throws Checkpoint.Damaged naming the file and what is wrong
     */
    public void restore(Checkpoint cp) throws Checkpoint.Damaged {
        checkpoints.restore(cp);
    }

    /**
     * Trains from scratch, or, after {@link #restore}, from the epoch after {@code resumedEpoch}.
     *
     * @param resumedEpoch the restored checkpoint's epoch, or {@code null} to start from scratch
     * @return the final metrics row
     * @throws Diverged if training produced NaN or diverged (the last checkpoint is kept)
     * @throws IOException if a file cannot be written (the last checkpoint is kept)
     */
    public Map<String, Object> run(Integer resumedEpoch) throws IOException {
        try {
            return train(resumedEpoch);
        } finally {
            // however the run ends, the figures and whatever runs next need the memory more than
            // a next step would
            Scratch.clear();
        }
    }

    private Map<String, Object> train(Integer resumedEpoch) throws IOException {
        int start;
        if (resumedEpoch != null) {
            start = resumedEpoch;
            folder.metrics().truncateAfter(start);
            folder.analysis().truncateAfter(start);
            progress.printf("resuming %s from epoch %d%n", config.name(), start);
        } else {
            // an estimator with nothing to train has nothing to pre-train
            int pretrain = session.estimator().trainable() ? training.estimatorPretrainSteps() : 0;
            for (int k = 0; k < pretrain; k++) {
                control.check();
                double v = phaseA(
                        Rng.derive(seed, "pretrain", Integer.toString(k)),
                        training.initialStates().pretrain(),
                        0);
                finite("estimator pre-training step " + k, "the MI estimate", v);
            }
            snapshots.write(0);
            checkpoints.save(0);
            start = 0;
        }
        Map<String, Object> last = folder.metrics().rows().isEmpty()
                ? Map.of()
                : folder.metrics().rows().get(folder.metrics().rows().size() - 1);
        long t0 = System.nanoTime();
        for (int epoch = start + 1; epoch <= training.epochs(); epoch++) {
            long e0 = System.nanoTime();
            last = epoch(epoch);
            double seconds = (System.nanoTime() - e0) / 1e9;
            last.put(TrainerMetrics.SECONDS, round(seconds));
            folder.metrics().append(last);
            boolean end = epoch == training.epochs();
            if (epoch % training.snapshotEvery() == 0 || end) {
                snapshots.write(epoch);
            }
            String stop = control.stopReason();
            if (epoch % training.checkpointEvery() == 0 || end || stop != null) {
                checkpoints.save(epoch);
            }
            if (stop != null && !end) {
                throw new RunControl.Aborted(stop + "; checkpoint written after epoch " + epoch);
            }
            double perEpoch = (System.nanoTime() - t0) / 1e9 / (epoch - start);
            progress.println(
                    ProgressLine.format(last, training.epochs(), perEpoch * (training.epochs() - epoch), headline));
        }
        return new LinkedHashMap<>(last);
    }

    private Map<String, Object> epoch(int epoch) {
        double miBefore = Double.NaN;
        double sumMse = 0;
        double sumReg = 0;
        double sumMi = 0;
        double sumReevaluated = 0;
        Map<String, Double> scoreSum = new LinkedHashMap<>();
        String e = Integer.toString(epoch);
        for (int s = 0; s < training.modelStepsPerEpoch(); s++) {
            String st = Integer.toString(s);
            // without parameters only the last phase-A step matters: its estimate is the one recorded,
            // and every step draws from a stream of its own
            int firstStep = session.estimator().trainable() ? 0 : Math.max(0, training.estimatorSteps() - 1);
            for (int j = firstStep; j < training.estimatorSteps(); j++) {
                control.check();
                boolean last = j == training.estimatorSteps() - 1;
                double[] a = phaseA(
                        Rng.derive(seed, "epoch", e, "step", st, "estimator", Integer.toString(j)),
                        training.initialStates().estimator(),
                        epoch,
                        last && training.reevaluateEstimate());
                miBefore = a[0];
                finite("epoch " + epoch, TrainerMetrics.MI_BEFORE, miBefore);
                if (last && training.reevaluateEstimate()) {
                    finite("epoch " + epoch, TrainerMetrics.MI_REEVALUATED, a[1]);
                    sumReevaluated += a[1];
                }
            }
            control.check();
            StepResult r = phaseB(Rng.derive(seed, "epoch", e, "step", st, "model"), epoch);
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
        finite("epoch " + epoch, TrainerMetrics.TASK_LOSS, mse);
        finite("epoch " + epoch, TrainerMetrics.MI_AFTER, miAfter);
        finite("epoch " + epoch, TrainerMetrics.TOTAL_LOSS, total);
        if (total > training.maxLoss()) {
            throw new Diverged("epoch " + epoch + ": " + TrainerMetrics.TOTAL_LOSS + " " + total + " exceeds maxLoss "
                    + training.maxLoss() + " (diverged)");
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(TrainerMetrics.EPOCH, epoch);
        row.put(TrainerMetrics.TASK_LOSS, mse);
        row.put(TrainerMetrics.REG_LOSS, reg);
        row.put(TrainerMetrics.MI_BEFORE, miBefore);
        row.put(TrainerMetrics.MI_AFTER, miAfter);
        row.put(TrainerMetrics.TOTAL_LOSS, total);
        if (training.reevaluateEstimate() && training.estimatorSteps() > 0) {
            row.put(TrainerMetrics.MI_REEVALUATED, sumReevaluated / n);
        }
        scoreSum.forEach((k, v) -> row.put(k, v / n));
        return row;
    }

    // --- phase A: one estimator step per chunk of the learning segment, no gradient into the model ---

    double phaseA(Rng rng, InitialState init, int epoch) {
        return phaseA(rng, init, epoch, false)[0];
    }

    /**
     * One phase-A step.
     *
     * @param reevaluate also estimate again after the update, on the last chunk with a new
     *     permutation from the step's own {@code reevaluate} stream
     * @return the estimate before the update, and after it (NaN unless {@code reevaluate})
     */
    double[] phaseA(Rng rng, InitialState init, int epoch, boolean reevaluate) {
        TaskInstance task = session.task();
        Network net = session.network();
        TaskBatch batch = task.sample(
                training.batchSize(), new Draw(TaskInstance.Split.TRAIN, epoch, training.epochs()), rng.split("data"));
        Rng noise = rng.split("noise");
        INDArray state = rollouts.afterTransient(
                batch, rollouts.initialState(init, batch.batchSize(), rng.split("state")), noise);
        Sampling sampling = Sampling.of(rng.split("estimator"));
        double v = Double.NaN;
        INDArray x = null;
        INDArray y = null;
        for (int[] chunk : chunks(batch.learningSteps())) {
            INDArray in =
                    Tensors.steps(batch.inputs(), batch.transientSteps() + chunk[0], batch.transientSteps() + chunk[1]);
            // the step's large arrays are freed as soon as they are used (Trajectory#close)
            try (Trajectory tr = net.forward(in, state, noise, false)) {
                Dense.release(x, y);
                x = Tensors.gather(tr.activity(), g1);
                y = Tensors.gather(tr.activity(), g2);
                v = session.estimator().trainStep(x, y, sampling);
                state = tr.finalState();
            }
            Dense.release(in);
        }
        double after = reevaluate && x != null
                ? session.estimator().estimate(x, y, Sampling.of(rng.split("reevaluate")))
                : Double.NaN;
        Dense.release(x, y);
        return new double[] {v, after};
    }

    record StepResult(double mse, double reg, double mi, Map<String, Double> scores) {}

    // --- phase B: BPTT through the task loss and the frozen estimator ---

    StepResult phaseB(Rng rng, int epoch) {
        TaskInstance task = session.task();
        Network net = session.network();
        Estimator est = session.estimator();
        TaskBatch batch = task.sample(
                training.batchSize(), new Draw(TaskInstance.Split.TRAIN, epoch, training.epochs()), rng.split("data"));
        Rng noise = rng.split("noise");
        INDArray state = rollouts.afterTransient(
                batch,
                rollouts.initialState(training.initialStates().model(), batch.batchSize(), rng.split("state")),
                noise);
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
            // the step's large arrays are freed as soon as they are used (Trajectory#close)
            try (Trajectory tr = net.forward(in, state, noise, true)) {
                outputs.add(tr.outputs().dup());
                INDArray dOut =
                        Scratch.zeros(tr.outputs().dataType(), tr.outputs().shape());
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
                    dAct = Scratch.zeros(tr.activity().dataType(), tr.activity().shape());
                    Tensors.scatterAdd(dAct, g1, vg.dx(), lambda);
                    Tensors.scatterAdd(dAct, g2, vg.dy(), lambda);
                    Dense.release(vg.dx(), vg.dy());
                } else {
                    mi = est.estimate(x, y, sampling);
                }
                Dense.release(x, y);
                sumMi += mi;
                Map<String, INDArray> grads = net.backward(tr, dOut, dAct);
                Dense.release(dOut, dAct);
                sumReg += net.regularization(grads);
                control.check();
                modelOptimizer.step(net.parameters(), grads);
                state = tr.finalState();
            }
            Dense.release(in, target);
        }
        INDArray allOut = outputs.size() == 1 ? outputs.get(0) : Nd4j.concat(1, outputs.toArray(INDArray[]::new));
        Map<String, Double> scores = task.score(batch, allOut);
        Dense.release(outputs.toArray(INDArray[]::new));
        Dense.release(allOut);
        return new StepResult(
                counted == 0 ? 0 : sumMse / counted, sumReg / chunks.size(), sumMi / chunks.size(), scores);
    }

    private List<int[]> chunks(int length) {
        int split = training.splitLength() == null ? length : Math.min(training.splitLength(), length);
        List<int[]> out = new ArrayList<>();
        for (int a = 0; a < length; a += split) {
            out.add(new int[] {a, Math.min(length, a + split)});
        }
        return out;
    }

    private static void finite(String where, String quantity, double v) {
        if (!Double.isFinite(v)) {
            throw new Diverged(where + ": " + quantity + " is " + v);
        }
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
