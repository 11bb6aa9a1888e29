package ${package};

import java.util.LinkedHashMap;
import java.util.Map;
import org.mio.api.annotations.ModelKind;
import org.mio.api.model.Network;
import org.mio.api.model.RecurrentModel;
import org.mio.api.model.Trajectory;
import org.mio.api.model.UnitGroups;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.numerics.Numerics;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * An Elman network with exact backpropagation through time:
 *
 * <pre>
 *   h_t = tanh(x_t W_in + h_{t−1} W_rec + b + σ ξ_t),   y_t = h_t W_out + b_out
 * </pre>
 *
 * with ξ_t standard Gaussian noise drawn from the stream the platform passes (none when it passes
 * {@code null}), W_in ~ N(0, 1/inputs), W_rec ~ N(0, gain²/hidden), W_out ~ N(0, 1/hidden), zero
 * biases, and the penalty {@code l2}·(‖W_in‖² + ‖W_rec‖² + ‖W_out‖²). The hidden units are the
 * activity, G1 the first {@code groupSplit} of them. It runs on ND4J operations, one step at a
 * time: clear, and fast enough for small networks; for speed at scale, see how model-leaky-rnn
 * drives OpenBLAS directly ({@code org.mio.numerics.Blas}).
 */
@Component
@ModelKind("${artifactId}")
public final class ${name}Model implements RecurrentModel {

    /**
     * What {@code model.params} may hold.
     *
     * @param hidden hidden units (required, ≥ 2)
     * @param gain scale of the recurrent weights (default 0.9)
     * @param noise σ of the noise added to the pre-activation at every step (default 0)
     * @param groupSplit units in G1, the rest in G2 (default hidden / 2)
     * @param l2 weight of the penalty on W_in, W_rec and W_out (default 0)
     */
    public record Params(int hidden, Double gain, Double noise, Integer groupSplit, Double l2) {
        /** Applies defaults and checks. */
        public Params {
            if (hidden < 2) {
                throw new IllegalArgumentException("hidden must be ≥ 2, found " + hidden);
            }
            gain = gain == null ? 0.9 : gain;
            noise = noise == null ? 0.0 : noise;
            groupSplit = groupSplit == null ? hidden / 2 : groupSplit;
            l2 = l2 == null ? 0.0 : l2;
            if (!(gain >= 0) || !Double.isFinite(gain)) {
                throw new IllegalArgumentException("gain must be a finite number ≥ 0, found " + gain);
            }
            if (!(noise >= 0) || !Double.isFinite(noise)) {
                throw new IllegalArgumentException("noise must be a finite number ≥ 0, found " + noise);
            }
            if (groupSplit < 1 || groupSplit >= hidden) {
                throw new IllegalArgumentException("groupSplit must be in [1, " + (hidden - 1) + "], found " + groupSplit);
            }
            if (!(l2 >= 0) || !Double.isFinite(l2)) {
                throw new IllegalArgumentException("l2 must be a finite number ≥ 0, found " + l2);
            }
        }
    }

    /** @param numerics orders this component's start after ND4J's initialization */
    @Activate
    public ${name}Model(@Reference Numerics numerics) {
        // nothing to keep: the component is a stateless factory
    }

    @Override
    public Network create(PluginParams params, PluginContext context, int inputSize, int outputSize, Rng init) {
        return new Elman(params.as(Params.class), context.dataType(), inputSize, outputSize, init);
    }

    /** One run's network; its weights are the live tensors the trainer updates. */
    private static final class Elman implements Network {
        private final Params p;
        private final DataType type;
        private final int in;
        private final int out;
        private final Map<String, INDArray> params = new LinkedHashMap<>();

        Elman(Params p, DataType type, int in, int out, Rng init) {
            this.p = p;
            this.type = type;
            this.in = in;
            this.out = out;
            int n = p.hidden();
            params.put("W_in", gaussian(init.split("W_in"), 1 / Math.sqrt(in), in, n));
            params.put("W_rec", gaussian(init.split("W_rec"), p.gain() / Math.sqrt(n), n, n));
            params.put("b", Nd4j.zeros(type, 1, n));
            params.put("W_out", gaussian(init.split("W_out"), 1 / Math.sqrt(n), n, out));
            params.put("b_out", Nd4j.zeros(type, 1, out));
        }

        private INDArray gaussian(Rng r, double sigma, int rows, int cols) {
            INDArray a = Nd4j.create(type, rows, cols);
            for (long i = 0; i < a.length(); i++) {
                a.putScalar(i, sigma * r.nextGaussian());
            }
            return a;
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
            return p.hidden();
        }

        @Override
        public int activitySize() {
            return p.hidden();
        }

        @Override
        public UnitGroups groups() {
            return UnitGroups.split(p.hidden(), p.groupSplit());
        }

        @Override
        public Map<String, INDArray> parameters() {
            return params;
        }

        @Override
        public INDArray zeroState(int batch) {
            return Nd4j.zeros(type, batch, p.hidden());
        }

        @Override
        public Trajectory forward(INDArray inputs, INDArray initialState, Rng noise, boolean keepForBackward) {
            int batch = (int) inputs.size(0);
            int time = (int) inputs.size(1);
            int n = p.hidden();
            // time-major [time, batch, units] inside, so that step t is the contiguous slice(t)
            INDArray x = inputs.permute(1, 0, 2).dup('c');
            // the input projection of all steps as one matrix product
            INDArray drive = x.reshape(time * batch, in)
                    .mmul(params.get("W_in"))
                    .addiRowVector(params.get("b"))
                    .reshape('c', time, batch, n);
            INDArray h = Nd4j.create(type, time, batch, n);
            INDArray previous = initialState;
            double[] xi = new double[batch * n];
            for (int t = 0; t < time; t++) {
                // h_t is computed in place in its slice: a few ND4J calls per step
                INDArray current = h.slice(t).assign(drive.slice(t)).addi(previous.mmul(params.get("W_rec")));
                if (noise != null && p.noise() > 0) {
                    for (int i = 0; i < xi.length; i++) {
                        xi[i] = p.noise() * noise.nextGaussian();
                    }
                    current.addi(Nd4j.createFromArray(xi).castTo(type).reshape(batch, n));
                }
                Transforms.tanh(current, false);
                previous = current;
            }
            INDArray outputs = h.reshape(time * batch, n)
                    .mmul(params.get("W_out"))
                    .addiRowVector(params.get("b_out"))
                    .reshape('c', time, batch, out);
            return new Run(x, initialState, h, batchMajor(outputs), batchMajor(h), previous.dup());
        }

        /** [time, batch, units] → [batch, time, units], as the platform reads tensors. */
        private static INDArray batchMajor(INDArray a) {
            return a.permute(1, 0, 2).dup('c');
        }

        @Override
        public Map<String, INDArray> backward(Trajectory trajectory, INDArray dOutputs, INDArray dActivity) {
            Run r = (Run) trajectory;
            int time = (int) r.h.size(0);
            int batch = (int) r.h.size(1);
            int n = p.hidden();
            INDArray hFlat = r.h.reshape(time * batch, n);
            INDArray dY = dOutputs == null
                    ? Nd4j.zeros(type, time * batch, out)
                    : dOutputs.permute(1, 0, 2).dup('c').reshape(time * batch, out);
            // ∂L/∂h_t from the outputs and from the estimator (dActivity), before the recurrence adds its part
            INDArray dH = dY.mmul(params.get("W_out").transpose()).reshape('c', time, batch, n);
            if (dActivity != null) {
                dH.addi(dActivity.permute(1, 0, 2));
            }
            INDArray dTanh = r.h.mul(r.h).rsubi(1); // tanh' = 1 − h², every step at once
            INDArray dPre = Nd4j.create(type, time, batch, n);
            INDArray carry = Nd4j.zeros(type, batch, n); // ∂L/∂h_t through h_{t+1}
            INDArray wRecT = params.get("W_rec").transpose();
            for (int t = time - 1; t >= 0; t--) {
                INDArray d = dPre.slice(t).assign(dH.slice(t)).addi(carry).muli(dTanh.slice(t));
                carry = d.mmul(wRecT);
            }
            // h_{t−1} for every step (h_0 the initial state), for the recurrent weights' gradient as one product
            INDArray first = r.h0.reshape(1, batch, n);
            INDArray previous = (time == 1 ? first : Nd4j.concat(0, first, r.h.get(NDArrayIndex.interval(0, time - 1))))
                    .reshape(time * batch, n);
            INDArray dPreFlat = dPre.reshape(time * batch, n);
            Map<String, INDArray> g = new LinkedHashMap<>();
            g.put("W_in", r.x.reshape(time * batch, in).transpose().mmul(dPreFlat));
            g.put("W_rec", previous.transpose().mmul(dPreFlat));
            g.put("b", dPreFlat.sum(true, 0));
            g.put("W_out", hFlat.transpose().mmul(dY));
            g.put("b_out", dY.sum(true, 0));
            return g;
        }

        @Override
        public double regularization(Map<String, INDArray> gradients) {
            double value = 0;
            for (String w : new String[] {"W_in", "W_rec", "W_out"}) {
                INDArray a = params.get(w);
                value += p.l2() * a.mul(a).sumNumber().doubleValue();
                if (gradients != null) {
                    gradients.get(w).addi(a.mul(2 * p.l2()));
                }
            }
            return value;
        }
    }

    /**
     * A forward pass: what the trainer reads (outputs and activity, [batch, time, units]) and what
     * {@link Network#backward} needs (inputs and hidden states, [time, batch, units]).
     */
    private record Run(INDArray x, INDArray h0, INDArray h, INDArray outputs, INDArray activity, INDArray last)
            implements Trajectory {
        @Override
        public INDArray finalState() {
            return last;
        }
    }
}
