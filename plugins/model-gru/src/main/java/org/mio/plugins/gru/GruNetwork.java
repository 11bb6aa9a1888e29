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
import org.mio.numerics.Scratch;
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
 * The sequences of a batch run in lanes, one per thread. A lane makes the input projections and,
 * backward, the weight gradients as GEMMs over chunks of {@link #CHUNK} steps of its sequences,
 * one B×N·N×3N GEMM per step for the recurrence straight into OpenBLAS, and the gates in loops the
 * JIT turns into SIMD code (float32: rational tanh and sigmoid accurate to 2e-8, below float
 * resolution; float64: exact). Nothing of size B·T × 3N is stored. No internal noise; h₀ is the
 * given state. The activity both MINE and the analyses see is h.
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
        /** The array under {@link #outputs} (a reshape of it), which {@link #close} frees. */
        INDArray outputRows;

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
                INDArray y = Scratch.zeros(type, (long) batch * time, out);
                y.addiRowVector(params.get("b_o"));
                Blas.gemm(h, false, params.get("W_o"), false, y, 1, 1);
                outputRows = y;
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

        /** Frees h, the gates and the outputs (not the inputs, which may be the caller's). */
        @Override
        public void close() {
            Dense.release(h, z, r, cand, hu, outputRows);
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
        long rows = (long) batch * time;
        if (rows * 3 * n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("gru: batch × time × 3N = " + rows * 3 * n + " exceeds "
                    + Integer.MAX_VALUE + "; use a smaller batch or shorter segments");
        }
        INDArray u = contiguous(inputs).reshape(rows, in);
        INDArray h0 = contiguous(initialState).dup('c');
        // every element of h, the gates and the final state is written below
        INDArray h = Scratch.uninitialized(type, rows, n);
        INDArray[] gates = keepForBackward
                ? new INDArray[] {
                    Scratch.uninitialized(type, rows, n),
                    Scratch.uninitialized(type, rows, n),
                    Scratch.uninitialized(type, rows, n),
                    Scratch.uninitialized(type, rows, n)
                }
                : null;
        INDArray finalState = Nd4j.createUninitialized(type, batch, n);
        // the sequences split among lanes, each on its own core with single-threaded GEMMs
        int[] split = split(batch);
        Threads.lanes(
                split.length - 1, lane -> forwardLane(split[lane], split[lane + 1], time, u, h0, h, gates, finalState));
        return new Run(keepForBackward ? u : null, h0, h, gates, batch, time, finalState);
    }

    /** Sequences of the batch in near-equal contiguous ranges, one per lane: boundaries [0, …, batch]. */
    private int[] split(int batch) {
        int lanes = Math.max(1, Math.min(threads, batch));
        int[] start = new int[lanes + 1];
        for (int l = 0; l <= lanes; l++) {
            start[l] = Threads.start(batch, lanes, l);
        }
        return start;
    }

    /** Time steps per chunk of a lane: input projections (forward) and weight gradients (backward) are GEMMs per chunk. */
    static final int CHUNK = 128;

    private int chunkSteps = CHUNK;

    /** Another chunk length, for tests: the numbers must not depend on it. */
    GruNetwork chunk(int steps) {
        chunkSteps = steps;
        return this;
    }

    /**
     * The recurrence for sequences [b0, b1). Per chunk of {@link #CHUNK} steps the input
     * projections x_t·W of these sequences (one GEMM per sequence, written so that a step's rows
     * of all of them are contiguous); per step one (b1−b0)×N·N×3N GEMM of their h_{t−1}, kept
     * contiguous, and the gates of all of them in loops the JIT vectorizes (float32 networks use
     * the rational tanh and sigmoid of {@link Dense}). Writes h, the gates and the final state of
     * these sequences only.
     */
    private void forwardLane(
            int b0, int b1, int time, INDArray u, INDArray h0, INDArray h, INDArray[] gates, INDArray finalState) {
        int m = b1 - b0;
        if (m == 0) {
            return;
        }
        int g = 3 * n;
        boolean approximate = type == DataType.FLOAT;
        INDArray w = params.get("W");
        INDArray wRec = params.get("U");
        double[] bIn =
                params.get("b").getRow(0).castTo(DataType.DOUBLE).dup().data().asDouble();
        double[] bRec =
                params.get("b").getRow(1).castTo(DataType.DOUBLE).dup().data().asDouble();
        int chunk = Math.min(chunkSteps, time);
        // row (t − t0)·m + k: the projections of one step of all the lane's sequences are contiguous
        INDArray xp = Nd4j.createUninitialized(type, (long) chunk * m, g);
        INDArray state = Nd4j.createUninitialized(type, m, n);
        INDArray acc = Nd4j.createUninitialized(type, m, g);
        Rows xpio = Rows.of(xp);
        Rows stateio = Rows.of(state);
        Rows accio = Rows.of(acc);
        Rows hio = Rows.of(h);
        Rows[] gio = gates == null
                ? null
                : new Rows[] {Rows.of(gates[0]), Rows.of(gates[1]), Rows.of(gates[2]), Rows.of(gates[3])};
        double[] hp = new double[m * n]; // h_{t−1} of the lane's sequences, row k
        Rows.of(h0).read(b0 * n, hp);
        stateio.write(0, hp);
        // one step of all the lane's sequences, row k: the gates run as loops over m·n (m·2n) elements
        double[] a = new double[m * g];
        double[] x = new double[m * g];
        double[] zr = new double[m * 2 * n];
        double[] hu = new double[m * n];
        double[] c = new double[m * n];
        for (int t0 = 0; t0 < time; t0 += chunk) {
            int len = Math.min(chunk, time - t0);
            for (int k = 0; k < m; k++) {
                long r0 = (long) (b0 + k) * time + t0;
                Blas.gemm(type, false, false, len, g, in, 1, u, r0 * in, in, w, 0, g, 0, xp, (long) k * g, m * g);
            }
            for (int t = t0; t < t0 + len; t++) {
                // h_{t−1}·U for these sequences: one GEMM on the contiguous state
                Blas.gemm(type, false, false, m, g, n, 1, state, 0, n, wRec, 0, g, 0, acc, 0, g);
                accio.read(0, a);
                xpio.read((t - t0) * m * g, x);
                for (int k = 0; k < m; k++) {
                    int ab = k * g;
                    int zb = 2 * k * n;
                    for (int j = 0; j < 2 * n; j++) {
                        zr[zb + j] = x[ab + j] + bIn[j] + a[ab + j] + bRec[j];
                    }
                }
                Dense.sigmoid(zr, 0, m * 2 * n, approximate);
                for (int k = 0; k < m; k++) {
                    int ab = k * g + 2 * n;
                    int zb = 2 * k * n + n;
                    int hb = k * n;
                    for (int j = 0; j < n; j++) {
                        hu[hb + j] = a[ab + j] + bRec[2 * n + j];
                        c[hb + j] = x[ab + j] + bIn[2 * n + j] + zr[zb + j] * hu[hb + j];
                    }
                }
                Dense.tanh(c, 0, m * n, approximate);
                for (int k = 0; k < m; k++) {
                    int zb = 2 * k * n;
                    int hb = k * n;
                    for (int j = 0; j < n; j++) {
                        hp[hb + j] = zr[zb + j] * hp[hb + j] + (1 - zr[zb + j]) * c[hb + j];
                    }
                    int row = (b0 + k) * time + t;
                    hio.write(row * n, hp, hb, n);
                    if (gio != null) {
                        gio[0].write(row * n, zr, zb, n);
                        gio[1].write(row * n, zr, zb + n, n);
                        gio[2].write(row * n, c, hb, n);
                        gio[3].write(row * n, hu, hb, n);
                    }
                }
                stateio.write(0, hp);
            }
        }
        Rows.of(finalState).write(b0 * n, hp);
        Dense.release(xp, state, acc);
    }

    /** One lane's share of the weight gradients. */
    private record Partial(INDArray dW, INDArray dU, double[] db, double[] dbo) {}

    @Override
    public Map<String, INDArray> backward(Trajectory trajectory, INDArray dOutputs, INDArray dActivity) {
        if (!(trajectory instanceof Run run) || run.inputs == null) {
            throw new IllegalArgumentException("gru: backward needs a trajectory of forward(…, keepForBackward=true)");
        }
        int batch = run.batch;
        int time = run.time;
        int g = 3 * n;
        long rows = (long) batch * time;
        // whole arrays, [B, T, ·]: the lanes address their rows in the buffers
        INDArray dy = dOutputs == null ? null : contiguous(dOutputs);
        INDArray dAct = dActivity == null ? null : contiguous(dActivity);
        // the readout: dW_o = Hᵀ·dY; dH = dY·W_oᵀ + dActivity is formed per chunk in the lanes
        INDArray dWo = Nd4j.create(type, n, out);
        if (dy != null) {
            Blas.gemm(run.h, true, dy.reshape(rows, out), false, dWo, 1, 0);
        }
        int[] split = split(batch);
        Partial[] partial = new Partial[split.length - 1];
        Threads.lanes(
                split.length - 1, lane -> partial[lane] = backwardLane(split[lane], split[lane + 1], run, dy, dAct));
        // the lanes' shares summed in lane order: the same numbers for the same thread count
        INDArray dW = partial[0].dW();
        INDArray dU = partial[0].dU();
        double[] db = partial[0].db();
        double[] dbo = partial[0].dbo();
        for (int l = 1; l < partial.length; l++) {
            dW.addi(partial[l].dW());
            dU.addi(partial[l].dU());
            for (int i = 0; i < db.length; i++) {
                db[i] += partial[l].db()[i];
            }
            for (int i = 0; i < dbo.length; i++) {
                dbo[i] += partial[l].dbo()[i];
            }
            Dense.release(partial[l].dW(), partial[l].dU());
        }
        // copies made here of the caller's gradients
        if (dy != dOutputs) {
            Dense.release(dy);
        }
        if (dAct != dActivity) {
            Dense.release(dAct);
        }
        Map<String, INDArray> grads = new LinkedHashMap<>();
        grads.put("W", dW);
        grads.put("U", dU);
        grads.put("b", Nd4j.create(db, new long[] {2, g}, 'c').castTo(type));
        grads.put("W_o", dWo);
        grads.put("b_o", Nd4j.create(dbo, new long[] {out}, 'c').castTo(type));
        return grads;
    }

    /**
     * The reverse recursion for sequences [b0, b1), chunk by chunk from the end: ∂L/∂h_t = dY_t·W_oᵀ
     * + dActivity_t + the carry from step t+1, which arrives through z ⊙ h_{t−1} and through
     * dHU_{t+1}·Uᵀ (one (b1−b0)×3N·3N×N GEMM per step); the gate gradients of a chunk are kept
     * and turned into the lane's share of dW = Xᵀ·dXP and dU = H_{t−1}ᵀ·dHU by GEMMs per chunk,
     * and of the biases by sums, so nothing of size B·T × 3N is ever stored.
     */
    private Partial backwardLane(int b0, int b1, Run run, INDArray dy, INDArray dAct) {
        int m = b1 - b0;
        int g = 3 * n;
        INDArray dWp = Nd4j.create(type, in, g);
        INDArray dUp = Nd4j.create(type, n, g);
        double[] db = new double[2 * g];
        double[] dbo = new double[out];
        if (m == 0) {
            return new Partial(dWp, dUp, db, dbo);
        }
        int time = run.time;
        int chunk = Math.min(chunkSteps, time);
        INDArray wRec = params.get("U");
        INDArray wOut = params.get("W_o");
        // chunk buffers, row k·chunk + (t − t0); zero, so the rows a short chunk leaves add nothing
        INDArray dxpc = Nd4j.create(type, (long) m * chunk, g);
        INDArray dhuc = Nd4j.create(type, (long) m * chunk, g);
        INDArray hpc = Nd4j.create(type, (long) m * chunk, n);
        INDArray dhc = Nd4j.create(type, (long) m * chunk, n);
        INDArray next = Nd4j.create(type, m, g); // dHU_{t+1} of the lane's sequences, contiguous
        INDArray back = Nd4j.createUninitialized(type, m, n);
        Rows dxpio = Rows.of(dxpc);
        Rows dhuio = Rows.of(dhuc);
        Rows hpio = Rows.of(hpc);
        Rows dhio = Rows.of(dhc);
        Rows nextio = Rows.of(next);
        Rows backio = Rows.of(back);
        Rows hio = Rows.of(run.h);
        Rows h0io = Rows.of(run.h0);
        Rows zio = Rows.of(run.z);
        Rows rio = Rows.of(run.r);
        Rows cio = Rows.of(run.cand);
        Rows huio = Rows.of(run.hu);
        Rows dyio = dy == null ? null : Rows.of(dy);
        Rows dActio = dAct == null ? null : Rows.of(dAct);
        double[] carry = new double[m * n]; // ∂L/∂h_t through the later steps
        double[] bk = new double[m * n];
        double[] nextRows = new double[m * g];
        double[] extra = new double[n];
        double[] gh = new double[n];
        double[] hp = new double[n];
        double[] zr = new double[n];
        double[] rr = new double[n];
        double[] cr = new double[n];
        double[] hur = new double[n];
        double[] dxRow = new double[g];
        double[] duRow = new double[g];
        double[] dyBlock = new double[chunk * out];
        // the last chunk, possibly short, first: its buffers are still zero beyond its rows
        for (int t0 = (time - 1) / chunk * chunk; t0 >= 0; t0 -= chunk) {
            int len = Math.min(chunk, time - t0);
            if (dy != null) {
                for (int k = 0; k < m; k++) {
                    long r0 = (long) (b0 + k) * time + t0;
                    Blas.gemm(
                            type,
                            false,
                            true,
                            len,
                            n,
                            out,
                            1,
                            dy,
                            r0 * out,
                            out,
                            wOut,
                            0,
                            out,
                            0,
                            dhc,
                            (long) k * chunk * n,
                            n);
                    double[] block = len == chunk ? dyBlock : new double[len * out];
                    dyio.read((int) r0 * out, block);
                    for (int i = 0; i < block.length; i++) {
                        dbo[i % out] += block[i];
                    }
                }
            }
            for (int t = t0 + len - 1; t >= t0; t--) {
                if (t < time - 1) {
                    // the recurrent path of step t+1: dHU_{t+1}·Uᵀ
                    Blas.gemm(type, false, true, m, n, g, 1, next, 0, g, wRec, 0, g, 0, back, 0, n);
                    backio.read(0, bk);
                    for (int i = 0; i < carry.length; i++) {
                        carry[i] += bk[i];
                    }
                }
                for (int k = 0; k < m; k++) {
                    int b = b0 + k;
                    int row = b * time + t;
                    int local = k * chunk + t - t0;
                    // ∂L/∂h_t = (readout's + activity's gradient) + the later steps' carry
                    int kb = k * n;
                    if (dy != null) {
                        dhio.read(local * n, gh);
                    } else {
                        java.util.Arrays.fill(gh, 0);
                    }
                    if (dActio != null) {
                        dActio.read(row * n, extra);
                        for (int j = 0; j < n; j++) {
                            gh[j] += extra[j];
                        }
                    }
                    for (int j = 0; j < n; j++) {
                        gh[j] += carry[kb + j];
                    }
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
                        double zj = zr[j];
                        double rj = rr[j];
                        double cj = cr[j];
                        double daz = gh[j] * (hp[j] - cj) * zj * (1 - zj);
                        double dac = gh[j] * (1 - zj) * (1 - cj * cj);
                        double dar = dac * hur[j] * rj * (1 - rj);
                        dxRow[j] = daz;
                        dxRow[n + j] = dar;
                        dxRow[2 * n + j] = dac;
                        duRow[j] = daz;
                        duRow[n + j] = dar;
                        duRow[2 * n + j] = dac * rj;
                        carry[kb + j] = gh[j] * zj; // the direct path z ⊙ h_{t−1}
                    }
                    for (int j = 0; j < g; j++) {
                        db[j] += dxRow[j];
                        db[g + j] += duRow[j];
                    }
                    System.arraycopy(duRow, 0, nextRows, k * g, g);
                    dxpio.write(local * g, dxRow);
                    dhuio.write(local * g, duRow);
                    hpio.write(local * n, hp);
                }
                nextio.write(0, nextRows);
            }
            // the chunk's share of dU = Σ h_{t−1}ᵀ·dHU_t and of dW = Σ x_tᵀ·dXP_t
            Blas.gemm(type, true, false, n, g, m * chunk, 1, hpc, 0, n, dhuc, 0, g, 1, dUp, 0, g);
            for (int k = 0; k < m; k++) {
                long r0 = (long) (b0 + k) * time + t0;
                Blas.gemm(
                        type,
                        true,
                        false,
                        in,
                        g,
                        len,
                        1,
                        run.inputs,
                        r0 * in,
                        in,
                        dxpc,
                        (long) k * chunk * g,
                        g,
                        1,
                        dWp,
                        0,
                        g);
            }
        }
        Dense.release(dxpc, dhuc, hpc, dhc, next, back);
        return new Partial(dWp, dUp, db, dbo);
    }

    /**
     * The GEMMs: forward x·W, h·U and the readout h·W_o per step and sequence; backward the
     * recurrent path dHU·Uᵀ, dU, dW, dW_o and dY·W_oᵀ. The gates (a few dozen operations per unit)
     * are not counted.
     */
    @Override
    public double flops(int batch, long steps, boolean withBackward) {
        double g = 3.0 * n;
        double forward = 2 * g * (in + n) + 2.0 * n * out;
        double backward = 2 * g * n + 2 * g * n + 2 * g * in + 2 * 2.0 * n * out;
        return (double) batch * steps * (forward + (withBackward ? backward : 0));
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
