package org.mio.core.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.Sampling;
import org.mio.api.estimator.ValueAndGradient;
import org.mio.api.model.Trajectory;
import org.mio.api.plugin.Rng;
import org.mio.api.task.Draw;
import org.mio.api.task.TaskBatch;
import org.mio.api.task.TaskInstance;
import org.mio.core.config.TrainingConfig;
import org.mio.core.run.RunFolder;
import org.mio.core.session.Session;
import org.mio.numerics.Blas;
import org.mio.numerics.Dense;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code mio bench}: times the steps of an experiment's schedule in one process and relates them
 * to a single large float32 GEMM on the same machine and thread count, so the ratio is meaningful
 * on a shared, noisy machine. Reports medians.
 */
public final class Bench {
    private Bench() {}

    /** GEMM reference shape: 2 × 2048 stacked rows × 512 × 512, the MINE hidden layer of one block. */
    static final int GEMM_M = 4096;

    static final int GEMM_NK = 512;
    /** Untimed calls before a paired measurement. */
    static final int WARMUP = 3;

    /**
     * Runs the benchmark.
     *
     * @param repeat timed repetitions per measurement (after one warm-up call, three for the estimator)
     */
    public static void run(Session session, int repeat, int threads, PrintStream out) throws IOException {
        TrainingConfig tc = session.experiment().config().training();
        out.printf(
                "mio bench: %s, %d threads, OPENBLAS_CORETYPE=%s, %d repetitions (medians)%n",
                session.experiment().config().name(),
                threads,
                System.getenv().getOrDefault("OPENBLAS_CORETYPE", "(auto)"),
                repeat);
        // 1. the reference GEMM
        INDArray a = Nd4j.rand(DataType.FLOAT, GEMM_M, GEMM_NK);
        INDArray b = Nd4j.rand(DataType.FLOAT, GEMM_NK, GEMM_NK);
        INDArray c = Nd4j.create(DataType.FLOAT, GEMM_M, GEMM_NK);
        double gemmFlops = 2.0 * GEMM_M * GEMM_NK * GEMM_NK;
        double gemm = median(Math.max(repeat, 7) * 3, () -> Blas.gemm(a, false, b, false, c, 1, 0));
        double gemmRate = gemmFlops / gemm / 1e9;
        out.printf(
                "GEMM float32 %dx%dx%d            %9.2f ms   %7.1f GFLOP/s%n",
                GEMM_M, GEMM_NK, GEMM_NK, gemm * 1e3, gemmRate);

        // 2. the estimator alone, on the activity of a real segment
        TaskInstance task = session.task();
        var net = session.network();
        TaskBatch batch = task.sample(tc.batchSize(), new Draw(TaskInstance.Split.TRAIN, 1, tc.epochs()), Rng.of(1));
        INDArray x0 = net.zeroState(batch.batchSize());
        Rng noise = Rng.of(2);
        INDArray state = batch.transientSteps() == 0
                ? x0
                : net.forward(Tensors.steps(batch.inputs(), 0, batch.transientSteps()), x0, noise, false)
                        .finalState();
        Trajectory tr =
                net.forward(Tensors.steps(batch.inputs(), batch.transientSteps(), batch.time()), state, noise, false);
        int[] g1 = net.groups().group1();
        int[] g2 = net.groups().group2();
        INDArray x = Tensors.gather(tr.activity(), g1);
        INDArray y = Tensors.gather(tr.activity(), g2);
        long rows = x.size(0);
        Estimator est = session.estimator();
        Rng r = Rng.of(3);
        Runnable gemmCall = () -> Blas.gemm(a, false, b, false, c, 1, 0);
        double fTrain = est.flops(rows, Estimator.Call.TRAIN_STEP);
        double fVag = est.flops(rows, Estimator.Call.VALUE_AND_GRADIENT);
        Paired train = paired(repeat, gemmCall, gemmFlops, () -> est.trainStep(x, y, Sampling.of(r)), fTrain);
        Paired vag = paired(
                repeat,
                gemmCall,
                gemmFlops,
                () -> {
                    ValueAndGradient g = est.valueAndGradient(x, y, Sampling.of(r));
                    Dense.release(g.dx(), g.dy()); // as the trainer does
                },
                fVag);
        out.printf(
                "estimator train step  (phase A)   %9.3f s    %7.1f GFLOP/s  = %5.1f %% of GEMM   (%.1f GFLOP on %d rows; GEMM alongside %.1f GFLOP/s)%n",
                train.seconds(),
                fTrain / train.seconds() / 1e9,
                100 * train.ratio(),
                fTrain / 1e9,
                rows,
                train.gemmRate());
        out.printf(
                "estimator value+grad  (phase B)   %9.3f s    %7.1f GFLOP/s  = %5.1f %% of GEMM   (%.1f GFLOP; GEMM alongside %.1f GFLOP/s)%n",
                vag.seconds(), fVag / vag.seconds() / 1e9, 100 * vag.ratio(), fVag / 1e9, vag.gemmRate());

        // 3. the model alone: its forward pass over the segment (phase A) and forward + backward (phase B)
        INDArray segment = Tensors.steps(batch.inputs(), batch.transientSteps(), batch.time());
        int learning = batch.time() - batch.transientSteps();
        double fForward = net.flops(batch.batchSize(), learning, false);
        double fModel = net.flops(batch.batchSize(), learning, true);
        Paired forward = paired(
                repeat,
                gemmCall,
                gemmFlops,
                () -> net.forward(segment, state, Rng.of(4), false).close(),
                fForward);
        Paired model = paired(
                repeat,
                gemmCall,
                gemmFlops,
                () -> {
                    // freed after use, as the trainer does
                    try (Trajectory kept = net.forward(segment, state, Rng.of(4), true)) {
                        net.backward(kept, kept.outputs(), null);
                    }
                },
                fModel);
        String shape = batch.batchSize() + " x " + learning + " steps";
        out.println(modelLine("model forward         (phase A)", forward, fForward, shape));
        out.println(modelLine("model forward+backward (phase B)", model, fModel, shape));

        // 4. whole steps of the schedule (data, transient, model, estimator, optimizer)
        Path tmp = Files.createTempDirectory("mio-bench");
        try {
            Trainer trainer = new Trainer(session, new RunFolder(tmp), new RunControl(), out);
            int[] k = {0};
            double stepA = median(
                    repeat,
                    () -> trainer.phaseA(Rng.of(10 + k[0]++), tc.initialStates().estimator(), 1));
            double stepB = median(repeat, () -> trainer.phaseB(Rng.of(100 + k[0]++), 1));
            // as the trainer: an estimator with nothing to train runs only the last phase-A step
            int stepsA = session.estimator().trainable() ? tc.estimatorSteps() : Math.min(1, tc.estimatorSteps());
            double epoch = tc.modelStepsPerEpoch() * (stepsA * stepA + stepB);
            double epochFlops = tc.modelStepsPerEpoch() * (stepsA * fTrain + fVag);
            // the model's share: every phase-A step runs the transient and the segment forward,
            // the phase-B step the transient forward and the segment forward and backward
            double transientFlops = net.flops(batch.batchSize(), batch.transientSteps(), false);
            double modelFlops =
                    tc.modelStepsPerEpoch() * (stepsA * (transientFlops + fForward) + transientFlops + fModel);
            out.printf("schedule phase-A step (all)       %9.3f s%n", stepA);
            out.printf("schedule phase-B step (all)       %9.3f s%n", stepB);
            if (Double.isNaN(modelFlops)) {
                out.printf(
                        "epoch = %d x (%d A + 1 B)          %9.2f s    (estimator %.2f TFLOP per epoch; %.1f GFLOP/s overall)%n",
                        tc.modelStepsPerEpoch(), stepsA, epoch, epochFlops / 1e12, epochFlops / epoch / 1e9);
            } else {
                double all = epochFlops + modelFlops;
                out.printf(
                        "epoch = %d x (%d A + 1 B)          %9.2f s    (estimator %.2f + model %.2f TFLOP per epoch; %.1f GFLOP/s overall = %.1f %% of GEMM)%n",
                        tc.modelStepsPerEpoch(),
                        stepsA,
                        epoch,
                        epochFlops / 1e12,
                        modelFlops / 1e12,
                        all / epoch / 1e9,
                        100 * all / epoch / 1e9 / gemmRate);
            }
        } finally {
            org.mio.numerics.AtomicFiles.deleteTree(tmp);
        }
    }

    /** A model line: time, and the rate against the GEMM when the model counts its FLOPs. */
    private static String modelLine(String label, Paired p, double flops, String shape) {
        if (Double.isNaN(flops)) {
            return String.format(
                    "%-33s %9.3f s    (%s; the model does not count its FLOPs)", label, p.seconds(), shape);
        }
        return String.format(
                "%-33s %9.3f s    %7.1f GFLOP/s  = %5.1f %% of GEMM   (%.1f GFLOP, %s; GEMM alongside %.1f GFLOP/s)",
                label, p.seconds(), flops / p.seconds() / 1e9, 100 * p.ratio(), flops / 1e9, shape, p.gemmRate());
    }

    /**
     * Medians over the repetitions of a step's time, of the reference GEMM's rate measured right
     * before it (median of 5 calls), and of the ratio of the two rates: a load that comes and goes
     * on a shared machine then affects both sides of each ratio alike. The step is run
     * {@link #WARMUP} times first.
     */
    private record Paired(double seconds, double gemmRate, double ratio) {}

    private static Paired paired(int repeat, Runnable gemm, double gemmFlops, Runnable body, double flops) {
        // the JIT recompiles the estimator's loops over its first few calls
        for (int i = 0; i < WARMUP; i++) {
            body.run();
        }
        double[] t = new double[repeat];
        double[] rate = new double[repeat];
        double[] ratio = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            rate[i] = gemmFlops / median(5, gemm) / 1e9;
            long t0 = System.nanoTime();
            body.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
            ratio[i] = flops / t[i] / 1e9 / rate[i];
        }
        return new Paired(median(t), median(rate), median(ratio));
    }

    private static double median(double[] v) {
        double[] t = v.clone();
        Arrays.sort(t);
        int n = t.length;
        return n % 2 == 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
    }

    private static double median(int repeat, Runnable body) {
        body.run();
        double[] t = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long t0 = System.nanoTime();
            body.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        return median(t);
    }
}
