package org.mio.core.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mio.api.estimator.Sampling;
import org.mio.api.estimator.ValueAndGradient;
import org.mio.api.model.Network;
import org.mio.api.model.Trajectory;
import org.mio.api.plugin.Rng;
import org.mio.core.run.RunFolder;
import org.mio.core.session.Session;
import org.mio.numerics.Npy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code mio grad}: the loss terms of one phase-B step and their exact gradients for given
 * parameters and data, deterministic (internal and estimator noise off, a fixed permutation), so
 * that mio can be compared number by number with another implementation.
 *
 * <pre>
 * inputs:  --inputs  inputs.npy  [B, T, in]    the segment (no transient is run; loss from step 0)
 *          --targets targets.npy [B, T, out]
 *          --state   state.npy   [B, stateSize]  optional, default zeros
 *          --rows    rows.npy    int [R]         optional: the rows the estimator uses, R = its rowsUsed(B·T)
 *                                (MINE: min(rows, B·T)); default drawn from the seed when R &lt; B·T (and written)
 *          --perm    perm.npy    int [R]         optional, default drawn from the seed (and written)
 *          --params  DIR         DIR/model/&lt;name&gt;.npy and DIR/estimator/&lt;name&gt;.npy; absent files keep
 *                                the experiment's seeded initialization
 * outputs: values.json           task_loss, reg_loss, mi, lambda, total
 *          outputs.npy [B, T, out], activity.npy [B, T, N], perm.npy, rows.npy (when R &lt; B·T)
 *          mi_dx.npy [B·T, |G1|], mi_dy.npy [B·T, |G2|]   ∂Î/∂X, ∂Î/∂Y (row b·T + t)
 *          grad_task/, grad_reg/, grad_mi/, grad_total/  &lt;param&gt;.npy: ∂(term)/∂param
 *                                (grad_mi is ∂Î/∂θ without λ; grad_total = task + reg + λ·mi)
 *          grad_estimator/       &lt;param&gt;.npy: ∂Î/∂φ for the estimator's parameters φ, the gradient
 *                                phase A ascends (when the estimator offers it)
 * </pre>
 */
public final class GradCheck {
    private GradCheck() {}

    /** Evaluates and writes everything into {@code out}. */
    public static void run(
            Session s,
            Path inputs,
            Path targets,
            Path state,
            Path rowsFile,
            Path perm,
            Path params,
            Path out,
            PrintStream log)
            throws IOException {
        Network net = s.network();
        var type = s.context().dataType();
        INDArray u = Npy.read(inputs).castTo(type);
        INDArray y = Npy.read(targets).castTo(type);
        if (u.rank() != 3
                || u.size(2) != net.inputSize()
                || y.rank() != 3
                || y.size(2) != net.outputSize()
                || y.size(0) != u.size(0)
                || y.size(1) != u.size(1)) {
            throw new IllegalArgumentException(
                    "--inputs " + inputs + " and --targets " + targets + ": inputs must be [B, T, "
                            + net.inputSize() + "] and targets [B, T, " + net.outputSize() + "], found "
                            + java.util.Arrays.toString(u.shape()) + " and " + java.util.Arrays.toString(y.shape()));
        }
        int batch = (int) u.size(0);
        int time = (int) u.size(1);
        if (params != null) {
            int loaded = load(params.resolve("model"), net.parameters())
                    + load(params.resolve("estimator"), s.estimator().parameters());
            log.println("loaded " + loaded + " parameter files from " + params);
        }
        INDArray x0 = state == null ? net.zeroState(batch) : Npy.read(state).castTo(type);
        int rows = batch * time;
        int used = s.estimator().rowsUsed(rows);
        long seed = s.experiment().config().seed();
        int[] subset = rowsFile != null
                ? indices(rowsFile, "--rows", used, rows)
                : used < rows
                        ? java.util.Arrays.copyOf(
                                Rng.derive(seed, "grad", "rows").permutation(rows), used)
                        : null;
        int[] permutation = perm != null
                ? indices(perm, "--perm", used, used)
                : Rng.derive(seed, "grad", "permutation").permutation(used);
        Sampling sampling = new Sampling(Rng.of(0), permutation, false, subset);
        Trajectory tr = net.forward(u, x0, null, true);
        INDArray dOut = Nd4j.zeros(type, tr.outputs().shape());
        double mse = Tensors.mse(tr.outputs(), y, 0, dOut);
        int[] g1 = net.groups().group1();
        int[] g2 = net.groups().group2();
        INDArray gx = Tensors.gather(tr.activity(), g1);
        INDArray gy = Tensors.gather(tr.activity(), g2);
        ValueAndGradient vg = s.estimator().valueAndGradient(gx, gy, sampling);
        Map<String, INDArray> gEstimator = s.estimator().parameterGradients(gx, gy, sampling);
        INDArray dAct = Nd4j.zeros(type, tr.activity().shape());
        Tensors.scatterAdd(dAct, g1, vg.dx(), 1.0);
        Tensors.scatterAdd(dAct, g2, vg.dy(), 1.0);
        Map<String, INDArray> gTask = net.backward(tr, dOut, null);
        Trajectory tr2 = net.forward(u, x0, null, true);
        Map<String, INDArray> gMi = net.backward(tr2, null, dAct);
        Map<String, INDArray> gReg = new LinkedHashMap<>();
        net.parameters().forEach((k, v) -> gReg.put(k, Nd4j.zeros(type, v.shape())));
        double reg = net.regularization(gReg);
        double lambda = s.experiment().config().training().lambdaMi();
        Files.createDirectories(out);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(TrainerMetrics.TASK_LOSS, mse);
        values.put(TrainerMetrics.REG_LOSS, reg);
        values.put("mi", vg.value());
        values.put("lambda", lambda);
        values.put("total", mse + reg + lambda * vg.value());
        new RunFolder(out).writeJson("values.json", values);
        Npy.write(out.resolve("outputs.npy"), tr.outputs());
        Npy.write(out.resolve("activity.npy"), tr.activity());
        Npy.write(out.resolve("perm.npy"), Nd4j.createFromArray(permutation));
        if (subset != null) {
            Npy.write(out.resolve("rows.npy"), Nd4j.createFromArray(subset));
        }
        for (var e : gEstimator.entrySet()) {
            Npy.write(out.resolve("grad_estimator").resolve(e.getKey() + ".npy"), e.getValue());
        }
        Npy.write(out.resolve("mi_dx.npy"), vg.dx());
        Npy.write(out.resolve("mi_dy.npy"), vg.dy());
        for (String name : net.parameters().keySet()) {
            Npy.write(out.resolve("grad_task").resolve(name + ".npy"), gTask.get(name));
            Npy.write(out.resolve("grad_reg").resolve(name + ".npy"), gReg.get(name));
            Npy.write(out.resolve("grad_mi").resolve(name + ".npy"), gMi.get(name));
            INDArray total =
                    gTask.get(name).add(gReg.get(name)).addi(gMi.get(name).mul(lambda));
            Npy.write(out.resolve("grad_total").resolve(name + ".npy"), total);
        }
        log.printf(
                "task_loss %.10g  reg_loss %.10g  mi %.10g  total %.10g → %s%n",
                mse, reg, vg.value(), mse + reg + lambda * vg.value(), out);
    }

    /**
     * Row indices from an integer {@code .npy}: {@code length} distinct values in [0, bound).
     *
     * @throws IllegalArgumentException naming the option, the file and what is wrong
     */
    private static int[] indices(Path file, String option, int length, int bound) throws IOException {
        INDArray a = Npy.read(file);
        if (a.dataType().isFPType() || a.dataType() == org.nd4j.linalg.api.buffer.DataType.BOOL) {
            throw new IllegalArgumentException(
                    option + " " + file + ": must hold integers (int32 or int64), found " + a.dataType());
        }
        if (a.length() != length) {
            throw new IllegalArgumentException(option + " " + file + ": must hold " + length + " indices (the rows the "
                    + "estimator uses of the " + "batch's B·T rows), found " + a.length());
        }
        int[] out = new int[length];
        boolean[] seen = new boolean[bound];
        for (int i = 0; i < length; i++) {
            long v = a.getLong(i);
            if (v < 0 || v >= bound || seen[(int) v]) {
                throw new IllegalArgumentException(option + " " + file + ": must hold distinct indices in [0, " + bound
                        + "), found " + v + " at position " + i);
            }
            seen[(int) v] = true;
            out[i] = (int) v;
        }
        return out;
    }

    private static int load(Path dir, Map<String, INDArray> params) throws IOException {
        int n = 0;
        for (var e : params.entrySet()) {
            Path f = dir.resolve(e.getKey() + ".npy");
            if (Files.isRegularFile(f)) {
                INDArray v = Npy.read(f);
                if (!java.util.Arrays.equals(v.shape(), e.getValue().shape())) {
                    throw new IllegalArgumentException(f + " has shape " + java.util.Arrays.toString(v.shape())
                            + ", the parameter " + e.getKey() + " is "
                            + java.util.Arrays.toString(e.getValue().shape()));
                }
                e.getValue().assign(v.castTo(e.getValue().dataType()));
                n++;
            }
        }
        return n;
    }
}
