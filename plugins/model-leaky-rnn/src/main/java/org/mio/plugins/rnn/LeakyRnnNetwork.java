package org.mio.plugins.rnn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mio.api.model.Network;
import org.mio.api.model.Trajectory;
import org.mio.api.model.UnitGroups;
import org.mio.api.plugin.Rng;
import org.mio.numerics.Blas;
import org.mio.numerics.Dense;
import org.mio.numerics.Rows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The leaky-integrator RNN of METHOD.md §1 (reference: wm/rnnmodel.py:205-216, 299-302):
 *
 * <pre>
 * a_t = u_t·W_in + b + Dense.tanh(x_{t−1})·W_rec
 * x_t = (1 − α)·x_{t−1} + α·a_t + σ·ξ_t        ξ_t ~ N(0, I), not scaled by α
 * z_t = Dense.tanh(x_t)·W_out + b_out                 (readout from the post-update state)
 * </pre>
 *
 * The input projection of all steps, the readout and the weight gradients are single GEMMs over
 * batch × time (OpenBLAS); the per-step recurrence (B×N·N×N, 20×40·40×40 in the paper) runs in
 * plain Java in double precision, where it is faster than any per-call library overhead. The
 * activity MINE sees is r = Dense.tanh(x); the analyses use x.
 */
final class LeakyRnnNetwork implements Network {
    private final LeakyRnnParams p;
    private final DataType type;
    private final int in;
    private final int out;
    private final int n;
    private final Map<String, INDArray> params = new LinkedHashMap<>();

    LeakyRnnNetwork(LeakyRnnParams p, DataType type, int in, int out, Rng init) {
        this.p = p;
        this.type = type;
        this.in = in;
        this.out = out;
        this.n = p.hidden();
        // Keras defaults (rnnmodel.py:251-285): Glorot-uniform W_in and W_out, Normal(0, g²/N) W_rec, zero biases
        params.put("W_in", Dense.glorot(type, in, n, init::nextDouble));
        params.put("W_rec", normal(n, n, p.recurrentScale() / Math.sqrt(n), init));
        params.put("b", Nd4j.zeros(type, n));
        params.put("W_out", Dense.glorot(type, n, out, init::nextDouble));
        params.put("b_out", Nd4j.zeros(type, out));
    }

    private INDArray normal(int rows, int cols, double std, Rng rng) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = std * rng.nextGaussian();
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

    /** A forward pass: r and x of every step ([B·T, N], row b·T + t), the readout made on demand. */
    private final class Run implements Trajectory {
        final INDArray inputs;
        final double[] x0;
        final double[] x;
        final INDArray r;
        final int batch;
        final int time;
        final INDArray finalState;
        INDArray outputs;
        INDArray analysis;

        Run(INDArray inputs, double[] x0, double[] x, INDArray r, int batch, int time, INDArray finalState) {
            this.inputs = inputs;
            this.x0 = x0;
            this.x = x;
            this.r = r;
            this.batch = batch;
            this.time = time;
            this.finalState = finalState;
        }

        @Override
        public INDArray outputs() {
            if (outputs == null) {
                // readout z = r·W_out + b_out, one GEMM over batch × time
                INDArray z = Nd4j.create(type, (long) batch * time, out);
                z.addiRowVector(params.get("b_out"));
                Blas.gemm(r, false, params.get("W_out"), false, z, 1, 1);
                outputs = z.reshape(batch, time, out);
            }
            return outputs;
        }

        @Override
        public INDArray activity() {
            return r.reshape(batch, time, n);
        }

        @Override
        public INDArray analysisActivity() {
            if (analysis == null) {
                analysis = Nd4j.create(x, new long[] {batch, time, n}, 'c').castTo(type);
            }
            return analysis;
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
        if (inputs.size(2) != in || initialState.size(0) != batch || initialState.size(1) != n) {
            throw new IllegalArgumentException("leaky-rnn: inputs must be [B, T, " + in + "] and the state [B, " + n
                    + "], found " + java.util.Arrays.toString(inputs.shape()) + " and "
                    + java.util.Arrays.toString(initialState.shape()));
        }
        INDArray u = contiguous(inputs);
        long rows = (long) batch * time;
        // input projection of every step at once: P = U·W_in, [B·T, N]
        INDArray proj = Nd4j.create(type, rows, n);
        Blas.gemm(u.reshape(rows, in), false, params.get("W_in"), false, proj, 1, 0);
        double[] pa = proj.castTo(DataType.DOUBLE).data().asDouble();
        double[] bias = params.get("b").castTo(DataType.DOUBLE).data().asDouble();
        INDArray wRec = params.get("W_rec");
        double[] x0 = initialState.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] xs = new double[batch * time * n];
        double alpha = p.alpha();
        double sigma = noise == null ? 0 : p.noise();
        // r of every step lives where the per-step GEMM reads it: rows b·T + t of [B·T, N]
        INDArray r = Nd4j.create(type, rows, n);
        Rows rio = Rows.of(r);
        INDArray r0 = Nd4j.create(type, batch, n);
        Rows r0io = Rows.of(r0);
        INDArray acc = Nd4j.create(type, batch, n);
        Rows accio = Rows.of(acc);
        double[] xPrev = x0.clone();
        double[] rowBuf = new double[n];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                rowBuf[j] = Dense.tanh(xPrev[b * n + j]);
            }
            r0io.write(b * n, rowBuf);
        }
        double[] a = new double[batch * n];
        for (int t = 0; t < time; t++) {
            // recurrent input r_{t−1}·W_rec for the whole batch: one small GEMM straight into OpenBLAS
            if (t == 0) {
                Blas.gemm(type, false, false, batch, n, n, 1, r0, 0, n, wRec, 0, n, 0, acc, 0, n);
            } else {
                Blas.gemm(
                        type, false, false, batch, n, n, 1, r, (long) (t - 1) * n, time * n, wRec, 0, n, 0, acc, 0, n);
            }
            accio.read(0, a);
            for (int b = 0; b < batch; b++) {
                int row = (b * time + t) * n;
                int prev = b * n;
                for (int j = 0; j < n; j++) {
                    double xv = (1 - alpha) * xPrev[prev + j] + alpha * (pa[row + j] + bias[j] + a[prev + j]);
                    if (sigma > 0) {
                        xv += sigma * noise.nextGaussian();
                    }
                    xs[row + j] = xv;
                    xPrev[prev + j] = xv;
                    rowBuf[j] = Dense.tanh(xv);
                }
                rio.write(row, rowBuf);
            }
        }
        INDArray finalState = Nd4j.create(xPrev, new long[] {batch, n}, 'c').castTo(type);
        return new Run(keepForBackward ? u : null, x0, xs, r, batch, time, finalState);
    }

    @Override
    public Map<String, INDArray> backward(Trajectory trajectory, INDArray dOutputs, INDArray dActivity) {
        if (!(trajectory instanceof Run run) || run.inputs == null) {
            throw new IllegalArgumentException(
                    "leaky-rnn: backward needs a trajectory of forward(…, keepForBackward=true)");
        }
        int batch = run.batch;
        int time = run.time;
        long rows = (long) batch * time;
        INDArray r = run.r;
        INDArray dz = dOutputs == null
                ? Nd4j.zeros(type, rows, out)
                : contiguous(dOutputs).reshape(rows, out);
        Map<String, INDArray> g = new LinkedHashMap<>();
        // readout: dW_out = Rᵀ·dZ, db_out = Σ dZ, dR = dZ·W_outᵀ (+ the extra gradient on the activity)
        INDArray dWout = Nd4j.create(type, n, out);
        Blas.gemm(r, true, dz, false, dWout, 1, 0);
        INDArray dr = dActivity == null
                ? Nd4j.create(type, rows, n)
                : contiguous(dActivity).reshape(rows, n).dup();
        Blas.gemm(dz, false, params.get("W_out"), true, dr, 1, 1);
        double[] dra = dr.castTo(DataType.DOUBLE).data().asDouble();
        double[] ra = r.castTo(DataType.DOUBLE).data().asDouble();
        INDArray wRec = params.get("W_rec");
        double alpha = p.alpha();
        // reverse recursion: gx_t = (dR_t + α·gx_{t+1}·W_recᵀ) ⊙ (1 − r_t²) + (1 − α)·gx_{t+1}
        double[] ga = new double[batch * time * n];
        double[] gNext = new double[batch * n];
        INDArray gArr = Nd4j.create(type, batch, n);
        Rows gio = Rows.of(gArr);
        INDArray back = Nd4j.create(type, batch, n);
        Rows backio = Rows.of(back);
        double[] bk = new double[batch * n];
        for (int t = time - 1; t >= 0; t--) {
            if (t < time - 1) {
                gio.write(0, gNext);
                Blas.gemm(type, false, true, batch, n, n, alpha, gArr, 0, n, wRec, 0, n, 0, back, 0, n);
                backio.read(0, bk);
            }
            for (int b = 0; b < batch; b++) {
                int row = (b * time + t) * n;
                int nb = b * n;
                for (int k = 0; k < n; k++) {
                    double rv = ra[row + k];
                    double carried = t < time - 1 ? bk[nb + k] : 0;
                    double gx = (dra[row + k] + carried) * (1 - rv * rv) + (1 - alpha) * gNext[nb + k];
                    gNext[nb + k] = gx;
                    ga[row + k] = alpha * gx;
                }
            }
        }
        // weight gradients over batch × time: dW_in = Uᵀ·GA, db = Σ GA, dW_rec = R_{t−1}ᵀ·GA
        INDArray gaArr = Nd4j.create(ga, new long[] {rows, n}, 'c').castTo(type);
        INDArray dWin = Nd4j.create(type, in, n);
        Blas.gemm(run.inputs.reshape(rows, in), true, gaArr, false, dWin, 1, 0);
        double[] rPrev = new double[batch * time * n];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < n; k++) {
                rPrev[b * time * n + k] = Dense.tanh(run.x0[b * n + k]);
            }
            System.arraycopy(ra, b * time * n, rPrev, b * time * n + n, (time - 1) * n);
        }
        INDArray dWrec = Nd4j.create(type, n, n);
        Blas.gemm(Nd4j.create(rPrev, new long[] {rows, n}, 'c').castTo(type), true, gaArr, false, dWrec, 1, 0);
        g.put("W_in", dWin);
        g.put("W_rec", dWrec);
        g.put("b", gaArr.sum(0));
        g.put("W_out", dWout);
        g.put("b_out", dz.sum(0));
        return g;
    }

    /**
     * The products: forward u·W_in, r·W_rec and the readout per step and sequence; backward the
     * recurrent path, dW_rec, dW_in, dW_out and dZ·W_outᵀ. Elementwise work is not counted.
     */
    @Override
    public double flops(int batch, long steps, boolean withBackward) {
        double forward = 2.0 * n * (in + n) + 2.0 * n * out;
        double backward = 2.0 * n * n + 2.0 * n * n + 2.0 * n * in + 2 * 2.0 * n * out;
        return (double) batch * steps * (forward + (withBackward ? backward : 0));
    }

    @Override
    public double regularization(Map<String, INDArray> gradients) {
        double value = 0;
        String[] names = {"W_in", "W_rec", "W_out"};
        double[] coef = {p.l2Input(), p.l2Recurrent(), p.l2Output()};
        for (int i = 0; i < names.length; i++) {
            INDArray wt = params.get(names[i]);
            // Keras l2(c) = c·Σw² without ½ (METHOD.md §1)
            value += coef[i]
                    * wt.castTo(DataType.DOUBLE).norm2Number().doubleValue()
                    * wt.castTo(DataType.DOUBLE).norm2Number().doubleValue();
            if (gradients != null) {
                gradients.get(names[i]).addi(wt.mul(2 * coef[i]));
            }
        }
        return value;
    }

    private INDArray contiguous(INDArray a) {
        return Dense.contiguous(a, type);
    }
}
