package org.mio.plugins.gru;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.mio.api.model.Network;
import org.mio.api.model.Trajectory;
import org.mio.api.model.UnitGroups;
import org.mio.api.plugin.Rng;
import org.mio.numerics.Blas;
import org.mio.numerics.Dense;
import org.mio.numerics.Rows;
import org.mio.numerics.Threads;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras {@code GRU(reset_after=True)} with a linear readout, as in the separation experiment
 * (METHOD.md §2; separation/model.py:7-22). Row vectors, gate blocks [z | r | h̃] in the columns
 * of the kernels W [in, 3N] and U [N, 3N], bias b [2, 3N] (row 0 input bias, row 1 recurrent):
 *
 * <pre>
 * z_t = σ(x_t W_z + b⁰_z + h_{t−1} U_z + b¹_z)
 * r_t = σ(x_t W_r + b⁰_r + h_{t−1} U_r + b¹_r)
 * h̃_t = Dense.tanh(x_t W_h + b⁰_h + r_t ⊙ (h_{t−1} U_h + b¹_h))      reset applied after the matmul
 * h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ h̃_t                         z keeps the old state
 * y_t = h_t W_o + b_o
 * </pre>
 *
 * The input projection of every step, the readout and the weight gradients are GEMMs over
 * batch × time (OpenBLAS); the recurrence makes one B×N·N×3N GEMM per step straight into
 * OpenBLAS on the stored activity and the gates in plain Java. No internal noise; h₀ is the given
 * state. The activity both MINE and the analyses see is h.
 */
final class GruNetwork implements Network {
    private final GruParams p;
    private final DataType type;
    private final int in;
    private final int out;
    private final int n;
    private final int threads;
    private final Map<String, INDArray> params = new LinkedHashMap<>();

    GruNetwork(GruParams p, DataType type, int threads, int in, int out, Rng init) {
        this.p = p;
        this.threads = Math.max(1, threads);
        this.type = type;
        this.in = in;
        this.out = out;
        this.n = p.hidden();
        int g = 3 * n;
        // Keras defaults: Glorot-uniform kernel, orthogonal recurrent kernel, zero biases; Dense readout Glorot-uniform
        params.put("W", Dense.glorot(type, in, g, init::nextDouble));
        params.put("U", orthogonal(n, g, init));
        params.put("b", Nd4j.zeros(type, 2, g));
        params.put("W_o", Dense.glorot(type, n, out, init::nextDouble));
        params.put("b_o", Nd4j.zeros(type, out));
    }

    /**
     * Keras' {@code Orthogonal} initializer (gain 1) for a [rows, cols] kernel with rows &lt; cols:
     * the QR decomposition of a [cols, rows] standard normal matrix, Q's columns signed by the
     * diagonal of R, transposed: the rows of the result are orthonormal.
     */
    private INDArray orthogonal(int rows, int cols, Rng rng) {
        double[][] a = new double[cols][rows];
        for (double[] row : a) {
            for (int j = 0; j < rows; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        QRDecomposition qr = new QRDecomposition(MatrixUtils.createRealMatrix(a));
        RealMatrix q = qr.getQ();
        RealMatrix r = qr.getR();
        double[] v = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            double sign = Math.signum(r.getEntry(i, i));
            sign = sign == 0 ? 1 : sign;
            for (int c = 0; c < cols; c++) {
                v[i * cols + c] = q.getEntry(c, i) * sign;
            }
        }
        return Nd4j.create(v, new long[] {rows, cols}, 'c').castTo(type);
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int outputSize() {
        return out;
    }

    @Override
    public int stateSize() {
        return n;
    }

    @Override
    public int activitySize() {
        return n;
    }

    @Override
    public UnitGroups groups() {
        return UnitGroups.split(n, p.groupSplit());
    }

    @Override
    public Map<String, INDArray> parameters() {
        return params;
    }

    @Override
    public INDArray zeroState(int batch) {
        return Nd4j.zeros(type, batch, n);
    }

    /** A forward pass: h of every step ([B·T, N], row b·T + t) and, kept for backward, the gates. */
    private final class Run implements Trajectory {
        final INDArray inputs;
        final INDArray h0;
        final INDArray h;
        final INDArray z;
        final INDArray r;
        final INDArray cand;
        final INDArray hu;
        final int batch;
        final int time;
        final INDArray finalState;
        INDArray outputs;

        Run(INDArray inputs, INDArray h0, INDArray h, INDArray[] gates, int batch, int time, INDArray finalState) {
            this.inputs = inputs;
            this.h0 = h0;
            this.h = h;
            this.z = gates == null ? null : gates[0];
            this.r = gates == null ? null : gates[1];
            this.cand = gates == null ? null : gates[2];
            this.hu = gates == null ? null : gates[3];
            this.batch = batch;
            this.time = time;
            this.finalState = finalState;
        }

        @Override
        public INDArray outputs() {
            if (outputs == null) {
                // readout y = h·W_o + b_o, one GEMM over batch × time
                INDArray y = Nd4j.create(type, (long) batch * time, out);
                y.addiRowVector(params.get("b_o"));
                Blas.gemm(h, false, params.get("W_o"), false, y, 1, 1);
                outputs = y.reshape(batch, time, out);
            }
            return outputs;
        }

        @Override
        public INDArray activity() {
            return h.reshape(batch, time, n);
        }

        @Override
        public INDArray finalState() {
            return finalState;
        }
    }

    @Override
    public Trajectory forward(INDArray inputs, INDArray initialState, Rng noise, boolean keepForBackward) {
        int batch = (int) inputs.size(0);
        int time = (int) inputs.size(1);
        if (inputs.rank() != 3 || inputs.size(2) != in || initialState.size(0) != batch || initialState.size(1) != n) {
            throw new IllegalArgumentException("gru: inputs must be [B, T, " + in + "] and the state [B, " + n
                    + "], found " + java.util.Arrays.toString(inputs.shape()) + " and "
                    + java.util.Arrays.toString(initialState.shape()));
        }
        int g = 3 * n;
        long rows = (long) batch * time;
        if (rows * g > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("gru: batch × time × 3N = " + rows * g + " exceeds " + Integer.MAX_VALUE
                    + "; use a smaller batch or shorter segments");
        }
        INDArray u = contiguous(inputs);
        // input projection of every step at once: XP = X·W + b⁰, [B·T, 3N]
        INDArray xp = Nd4j.create(type, rows, g);
        xp.addiRowVector(params.get("b").getRow(0));
        Blas.gemm(u.reshape(rows, in), false, params.get("W"), false, xp, 1, 1);
        double[] bRec =
                params.get("b").getRow(1).castTo(DataType.DOUBLE).dup().data().asDouble();
        INDArray h0 = contiguous(initialState).dup('c');
        INDArray h = Nd4j.create(type, rows, n);
        INDArray[] gates = keepForBackward
                ? new INDArray[] {
                    Nd4j.create(type, rows, n),
                    Nd4j.create(type, rows, n),
                    Nd4j.create(type, rows, n),
                    Nd4j.create(type, rows, n)
                }
                : null;
        double[] hPrev = h0.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        // the sequences split among lanes, each on its own core with single-threaded GEMMs
        int[] split = split(batch);
        Threads.lanes(
                split.length - 1,
                lane -> forwardLane(split[lane], split[lane + 1], time, xp, bRec, h0, h, gates, hPrev));
        INDArray finalState = Nd4j.create(hPrev, new long[] {batch, n}, 'c').castTo(type);
        return new Run(keepForBackward ? u : null, h0, h, gates, batch, time, finalState);
    }

    /** Sequences of the batch in near-equal contiguous ranges, one per lane: boundaries [0, …, batch]. */
    private int[] split(int batch) {
        int lanes = Math.max(1, Math.min(threads, batch));
        int[] start = new int[lanes + 1];
        for (int l = 0; l <= lanes; l++) {
            start[l] = (int) ((long) batch * l / lanes);
        }
        return start;
    }

    /**
     * The recurrence for sequences [b0, b1): per step one (b1−b0)×N·N×3N GEMM of their h_{t−1}
     * (rows b·T + t − 1 of h, strided) and the gates in plain Java; writes h, the gates and the
     * final state of those sequences only.
     */
    private void forwardLane(
            int b0,
            int b1,
            int time,
            INDArray xp,
            double[] bRec,
            INDArray h0,
            INDArray h,
            INDArray[] gates,
            double[] hPrev) {
        int m = b1 - b0;
        if (m == 0) {
            return;
        }
        int g = 3 * n;
        INDArray wRec = params.get("U");
        Rows xpio = Rows.of(xp);
        Rows hio = Rows.of(h);
        Rows[] gio = gates == null
                ? null
                : new Rows[] {Rows.of(gates[0]), Rows.of(gates[1]), Rows.of(gates[2]), Rows.of(gates[3])};
        INDArray acc = Nd4j.create(type, m, g);
        Rows accio = Rows.of(acc);
        double[] a = new double[m * g];
        double[] x = new double[g];
        double[] hRow = new double[n];
        double[][] gRow = new double[4][n];
        for (int t = 0; t < time; t++) {
            // h_{t−1}·U for these sequences: one GEMM straight into OpenBLAS on the stored activity
            if (t == 0) {
                Blas.gemm(type, false, false, m, g, n, 1, h0, (long) b0 * n, n, wRec, 0, g, 0, acc, 0, g);
            } else {
                Blas.gemm(
                        type,
                        false,
                        false,
                        m,
                        g,
                        n,
                        1,
                        h,
                        ((long) b0 * time + t - 1) * n,
                        time * n,
                        wRec,
                        0,
                        g,
                        0,
                        acc,
                        0,
                        g);
            }
            accio.read(0, a);
            for (int k = 0; k < m; k++) {
                int b = b0 + k;
                int row = b * time + t;
                xpio.read(row * g, x);
                int ab = k * g;
                for (int j = 0; j < n; j++) {
                    double zj = Dense.sigmoid(x[j] + a[ab + j] + bRec[j]);
                    double rj = Dense.sigmoid(x[n + j] + a[ab + n + j] + bRec[n + j]);
                    double hu = a[ab + 2 * n + j] + bRec[2 * n + j];
                    double cj = Dense.tanh(x[2 * n + j] + rj * hu);
                    double hj = zj * hPrev[b * n + j] + (1 - zj) * cj;
                    hPrev[b * n + j] = hj;
                    hRow[j] = hj;
                    gRow[0][j] = zj;
                    gRow[1][j] = rj;
                    gRow[2][j] = cj;
                    gRow[3][j] = hu;
                }
                hio.write(row * n, hRow);
                if (gio != null) {
                    for (int q = 0; q < 4; q++) {
                        gio[q].write(row * n, gRow[q]);
                    }
                }
            }
        }
    }

    @Override
    public Map<String, INDArray> backward(Trajectory trajectory, INDArray dOutputs, INDArray dActivity) {
        if (!(trajectory instanceof Run run) || run.inputs == null) {
            throw new IllegalArgumentException("gru: backward needs a trajectory of forward(…, keepForBackward=true)");
        }
        int batch = run.batch;
        int time = run.time;
        int g = 3 * n;
        long rows = (long) batch * time;
        INDArray dy = dOutputs == null
                ? Nd4j.zeros(type, rows, out)
                : contiguous(dOutputs).reshape(rows, out);
        Map<String, INDArray> grads = new LinkedHashMap<>();
        // readout: dW_o = Hᵀ·dY, db_o = Σ dY, dH = dY·W_oᵀ (+ the extra gradient on the activity)
        INDArray dWo = Nd4j.create(type, n, out);
        Blas.gemm(run.h, true, dy, false, dWo, 1, 0);
        INDArray dh = dActivity == null
                ? Nd4j.create(type, rows, n)
                : contiguous(dActivity).reshape(rows, n).dup('c');
        Blas.gemm(dy, false, params.get("W_o"), true, dh, 1, 1);
        INDArray dxp = Nd4j.create(type, rows, g);
        INDArray dhu = Nd4j.create(type, rows, g);
        int[] split = split(batch);
        Threads.lanes(split.length - 1, lane -> backwardLane(split[lane], split[lane + 1], run, dh, dxp, dhu));
        // weight gradients over batch × time: dW = Xᵀ·dXP, dU = Σ_t h_{t−1}ᵀ·dHU_t, db = [Σ dXP; Σ dHU]
        INDArray dW = Nd4j.create(type, in, g);
        Blas.gemm(run.inputs.reshape(rows, in), true, dxp, false, dW, 1, 0);
        INDArray dU = Nd4j.create(type, n, g);
        // step 0 of every sequence: h₀ᵀ·dHU_0 (rows b·T of dHU)
        Blas.gemm(type, true, false, n, g, batch, 1, run.h0, 0, n, dhu, 0, time * g, 0, dU, 0, g);
        if (time > 1) {
            for (int b = 0; b < batch; b++) {
                // steps 1..T−1 of sequence b: H[b·T .. b·T+T−2]ᵀ · dHU[b·T+1 .. b·T+T−1]
                long r0 = (long) b * time;
                Blas.gemm(type, true, false, n, g, time - 1, 1, run.h, r0 * n, n, dhu, (r0 + 1) * g, g, 1, dU, 0, g);
            }
        }
        INDArray db = Nd4j.create(type, 2, g);
        db.getRow(0).assign(dxp.sum(0));
        db.getRow(1).assign(dhu.sum(0));
        grads.put("W", dW);
        grads.put("U", dU);
        grads.put("b", db);
        grads.put("W_o", dWo);
        grads.put("b_o", dy.sum(0));
        return grads;
    }

    /**
     * The reverse recursion for sequences [b0, b1): ∂L/∂h_t = dH_t + carried, the gate and
     * candidate gradients into dXP and dHU (rows of these sequences only), and the carry to h_{t−1}
     * through z ⊙ h_{t−1} and through dHU_t·Uᵀ (one (b1−b0)×3N·3N×N GEMM per step).
     */
    private void backwardLane(int b0, int b1, Run run, INDArray dh, INDArray dxp, INDArray dhu) {
        int m = b1 - b0;
        if (m == 0) {
            return;
        }
        int time = run.time;
        int g = 3 * n;
        INDArray u = params.get("U");
        Rows dhio = Rows.of(dh);
        Rows hio = Rows.of(run.h);
        Rows h0io = Rows.of(run.h0);
        Rows zio = Rows.of(run.z);
        Rows rio = Rows.of(run.r);
        Rows cio = Rows.of(run.cand);
        Rows huio = Rows.of(run.hu);
        Rows dxpio = Rows.of(dxp);
        Rows dhuio = Rows.of(dhu);
        INDArray back = Nd4j.create(type, m, n);
        Rows backio = Rows.of(back);
        double[] carry = new double[m * n]; // ∂L/∂h_t through the later steps
        double[] bk = new double[m * n];
        double[] dhRow = new double[n];
        double[] hp = new double[n];
        double[] zr = new double[n];
        double[] rr = new double[n];
        double[] cr = new double[n];
        double[] hur = new double[n];
        double[] dxRow = new double[g];
        double[] duRow = new double[g];
        for (int t = time - 1; t >= 0; t--) {
            if (t < time - 1) {
                // the recurrent path of step t+1: dHU_{t+1}·Uᵀ
                Blas.gemm(
                        type,
                        false,
                        true,
                        m,
                        n,
                        g,
                        1,
                        dhu,
                        ((long) b0 * time + t + 1) * g,
                        time * g,
                        u,
                        0,
                        g,
                        0,
                        back,
                        0,
                        n);
                backio.read(0, bk);
                for (int i = 0; i < carry.length; i++) {
                    carry[i] += bk[i];
                }
            }
            for (int k = 0; k < m; k++) {
                int b = b0 + k;
                int row = b * time + t;
                dhio.read(row * n, dhRow);
                zio.read(row * n, zr);
                rio.read(row * n, rr);
                cio.read(row * n, cr);
                huio.read(row * n, hur);
                if (t > 0) {
                    hio.read((row - 1) * n, hp);
                } else {
                    h0io.read(b * n, hp);
                }
                for (int j = 0; j < n; j++) {
                    double gh = dhRow[j] + carry[k * n + j];
                    double zj = zr[j];
                    double rj = rr[j];
                    double cj = cr[j];
                    double daz = gh * (hp[j] - cj) * zj * (1 - zj);
                    double dac = gh * (1 - zj) * (1 - cj * cj);
                    double dar = dac * hur[j] * rj * (1 - rj);
                    dxRow[j] = daz;
                    dxRow[n + j] = dar;
                    dxRow[2 * n + j] = dac;
                    duRow[j] = daz;
                    duRow[n + j] = dar;
                    duRow[2 * n + j] = dac * rj;
                    carry[k * n + j] = gh * zj; // the direct path z ⊙ h_{t−1}
                }
                dxpio.write(row * g, dxRow);
                dhuio.write(row * g, duRow);
            }
        }
    }

    @Override
    public double regularization(Map<String, INDArray> gradients) {
        double value = 0;
        String[] names = {"W", "U", "W_o"};
        double[] coef = {p.l2Input(), p.l2Recurrent(), p.l2Output()};
        for (int i = 0; i < names.length; i++) {
            INDArray w = params.get(names[i]);
            double norm = w.castTo(DataType.DOUBLE).norm2Number().doubleValue();
            // Keras l2(c) = c·Σw² without ½ (METHOD.md §2)
            value += coef[i] * norm * norm;
            if (gradients != null) {
                gradients.get(names[i]).addi(w.mul(2 * coef[i]));
            }
        }
        return value;
    }

    private INDArray contiguous(INDArray a) {
        return Dense.contiguous(a, type);
    }
}
