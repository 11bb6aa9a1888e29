package org.mio.core.standins;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.mio.api.estimator.Estimator;
import org.mio.api.estimator.MIEstimator;
import org.mio.api.estimator.Sampling;
import org.mio.api.estimator.ValueAndGradient;
import org.mio.api.model.Network;
import org.mio.api.model.RecurrentModel;
import org.mio.api.model.Trajectory;
import org.mio.api.model.UnitGroups;
import org.mio.api.plugin.Rng;
import org.mio.api.task.Task;
import org.mio.api.task.TaskBatch;
import org.mio.api.task.TaskInstance;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small, exact stand-ins for the four plugin types, to test the trainer without real plugins:
 * a delayed-copy task, a linear recurrent network h_t = a·h_{t−1} + x_t·W (with optional noise)
 * and a bilinear "estimator" Î = mean_i x_i·M·y_i − mean_i x_i·M·y_π(i).
 */
public final class StandIns {
    /** A registry holding the stand-in task, model and estimator: kinds fake-task, fake-model, fake-mi. */
    public static org.mio.core.registry.PluginRegistry registry() {
        var registry = new org.mio.core.registry.PluginRegistry();
        org.mio.core.registry.Registrations.add(
                registry, org.mio.core.registry.PluginType.TASK, "fake-task", new FakeTask(), "t", "1.0.0");
        org.mio.core.registry.Registrations.add(
                registry, org.mio.core.registry.PluginType.MODEL, "fake-model", new FakeModel(), "m", "1.0.0");
        org.mio.core.registry.Registrations.add(
                registry, org.mio.core.registry.PluginType.ESTIMATOR, "fake-mi", new FakeEstimator(), "e", "1.0.0");
        return registry;
    }

    private StandIns() {}

    public record TaskParams(Integer time, Integer nanAfter) {}

    public static final class FakeTask implements Task {
        /** Calls to this task's samples, over all its instances; {@link #onSample} may act on them. */
        public final AtomicInteger samples = new AtomicInteger();

        public volatile Runnable onSample = () -> {};

        /** Where in the schedule every batch of this task's instances was drawn, in order. */
        public final java.util.List<org.mio.api.task.Draw> draws = new java.util.concurrent.CopyOnWriteArrayList<>();

        /** The inputs of those batches, in the same order. */
        public final java.util.List<INDArray> inputs = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public TaskInstance create(org.mio.api.plugin.PluginParams params, org.mio.api.plugin.PluginContext ctx) {
            TaskParams p = params.as(TaskParams.class);
            int time = p.time() == null ? 12 : p.time();
            return new TaskInstance() {
                @Override
                public int inputSize() {
                    return 2;
                }

                @Override
                public int outputSize() {
                    return 1;
                }

                @Override
                public TaskBatch sample(int batchSize, org.mio.api.task.Draw draw, Rng rng) {
                    draws.add(draw);
                    TaskBatch b = sample(batchSize, draw.split(), rng);
                    inputs.add(b.inputs());
                    return b;
                }

                @Override
                public TaskBatch sample(int batchSize, Split split, Rng rng) {
                    int n = samples.incrementAndGet();
                    onSample.run();
                    INDArray in = Nd4j.create(ctx.dataType(), batchSize, time, 2);
                    INDArray tg = Nd4j.create(ctx.dataType(), batchSize, time, 1);
                    for (int b = 0; b < batchSize; b++) {
                        for (int t = 0; t < time; t++) {
                            in.putScalar(new long[] {b, t, 0}, rng.nextGaussian());
                            in.putScalar(new long[] {b, t, 1}, rng.nextGaussian());
                            double target = t == 0 ? 0 : in.getDouble(b, t - 1, 0);
                            tg.putScalar(
                                    new long[] {b, t, 0},
                                    p.nanAfter() != null && n > p.nanAfter() ? Double.NaN : target);
                        }
                    }
                    return new TaskBatch(in, tg, 2, 1);
                }

                @Override
                public Map<String, Double> score(TaskBatch batch, INDArray outputs) {
                    return Map.of("mean_output", outputs.meanNumber().doubleValue());
                }

                @Override
                public java.util.List<org.mio.api.plugin.Metric> metrics() {
                    return java.util.List.of(org.mio.api.plugin.Metric.scalar(
                            "mean_output", "mean network output", org.mio.api.plugin.Metric.Direction.NONE));
                }
            };
        }
    }

    public record ProbeParams(Double level, Integer full) {}

    /**
     * An analyzer with metric names of its own: {@code signal} = level · min(1, epoch / full)
     * rises from epoch 0, {@code echo} = level once epoch ≥ full (rises later); both in panel
     * {@code probe}.
     */
    public static final class FakeAnalyzer implements org.mio.api.analysis.Analyzer {
        @Override
        public org.mio.api.analysis.AnalysisResult analyze(
                org.mio.api.analysis.Snapshot s, org.mio.api.plugin.PluginParams params) {
            ProbeParams p = params.as(ProbeParams.class);
            double level = p.level() == null ? 1.0 : p.level();
            int full = p.full() == null ? 6 : p.full();
            Map<String, Double> out = new java.util.LinkedHashMap<>();
            out.put("signal", level * Math.min(1.0, s.epoch() / (double) full));
            out.put("echo", s.epoch() >= full ? level : 0.0);
            return new org.mio.api.analysis.AnalysisResult(out, Map.of());
        }

        @Override
        public java.util.List<org.mio.api.plugin.Metric> metrics(org.mio.api.plugin.PluginParams params) {
            params.as(ProbeParams.class);
            return java.util.List.of(
                    org.mio.api.plugin.Metric.curve(
                            "signal", "rises from the start", org.mio.api.plugin.Metric.Direction.HIGHER, "probe"),
                    org.mio.api.plugin.Metric.curve(
                            "echo", "rises at the end", org.mio.api.plugin.Metric.Direction.HIGHER, "probe"));
        }
    }

    public record NetParams(Double noise) {}

    public static final class FakeModel implements RecurrentModel {
        @Override
        public Network create(
                org.mio.api.plugin.PluginParams params,
                org.mio.api.plugin.PluginContext ctx,
                int in,
                int out,
                Rng init) {
            double noise = params.as(NetParams.class).noise() == null
                    ? 0.0
                    : params.as(NetParams.class).noise();
            return new LinearNet(ctx.dataType(), in, out, 4, noise, init);
        }
    }

    /** h_t = 0.5·h_{t−1} + x_t·W + σξ; y_t = h_t·V. Activity = h. */
    public static final class LinearNet implements Network {
        private final DataType type;
        private final int in;
        private final int out;
        private final int hidden;
        private final double noise;
        private final Map<String, INDArray> params = new LinkedHashMap<>();

        LinearNet(DataType type, int in, int out, int hidden, double noise, Rng init) {
            this.type = type;
            this.in = in;
            this.out = out;
            this.hidden = hidden;
            this.noise = noise;
            INDArray w = Nd4j.create(type, in, hidden);
            INDArray v = Nd4j.create(type, hidden, out);
            for (long i = 0; i < w.length(); i++) {
                w.putScalar(i, 0.5 * init.nextGaussian());
            }
            for (long i = 0; i < v.length(); i++) {
                v.putScalar(i, 0.5 * init.nextGaussian());
            }
            params.put("W", w);
            params.put("V", v);
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
            return hidden;
        }

        @Override
        public int activitySize() {
            return hidden;
        }

        @Override
        public UnitGroups groups() {
            return UnitGroups.split(hidden, hidden / 2);
        }

        @Override
        public Map<String, INDArray> parameters() {
            return params;
        }

        @Override
        public INDArray zeroState(int batch) {
            return Nd4j.zeros(type, batch, hidden);
        }

        @Override
        public Trajectory forward(INDArray x, INDArray s0, Rng rng, boolean keep) {
            int b = (int) x.size(0);
            int t = (int) x.size(1);
            INDArray h = Nd4j.create(type, b, t, hidden);
            INDArray prev = s0.dup();
            for (int k = 0; k < t; k++) {
                INDArray cur = prev.mul(0.5).addi(x.slice(k, 1).mmul(params.get("W")));
                if (rng != null && noise > 0) {
                    for (long i = 0; i < cur.length(); i++) {
                        cur.putScalar(i, cur.getDouble(i) + noise * rng.nextGaussian());
                    }
                }
                for (int i = 0; i < b; i++) {
                    for (int j = 0; j < hidden; j++) {
                        h.putScalar(new long[] {i, k, j}, cur.getDouble(i, j));
                    }
                }
                prev = cur;
            }
            INDArray y = h.reshape(b * t, hidden).mmul(params.get("V")).reshape(b, t, out);
            return new Traj(x.dup(), y, h, prev);
        }

        private record Traj(INDArray x, INDArray outputs, INDArray activity, INDArray finalState)
                implements Trajectory {}

        @Override
        public Map<String, INDArray> backward(Trajectory tr, INDArray dOut, INDArray dAct) {
            Traj t = (Traj) tr;
            if (dOut == null) {
                dOut = Nd4j.zeros(type, t.outputs().shape());
            }
            int b = (int) t.x().size(0);
            int time = (int) t.x().size(1);
            INDArray dW = Nd4j.zeros(type, in, hidden);
            INDArray dV = Nd4j.zeros(type, hidden, out);
            INDArray carry = Nd4j.zeros(type, b, hidden);
            for (int k = time - 1; k >= 0; k--) {
                INDArray dy = dOut.slice(k, 1).dup();
                INDArray hk = t.activity().slice(k, 1).dup();
                dV.addi(hk.transpose().mmul(dy));
                INDArray dh = dy.mmul(params.get("V").transpose()).addi(carry);
                if (dAct != null) {
                    dh.addi(dAct.slice(k, 1));
                }
                dW.addi(t.x().slice(k, 1).dup().transpose().mmul(dh));
                carry = dh.mul(0.5);
            }
            Map<String, INDArray> g = new LinkedHashMap<>();
            g.put("W", dW);
            g.put("V", dV);
            return g;
        }

        @Override
        public double regularization(Map<String, INDArray> gradients) {
            double c = 0.01;
            double value = 0;
            for (var e : params.entrySet()) {
                value += c * e.getValue().mul(e.getValue()).sumNumber().doubleValue();
                if (gradients != null) {
                    gradients.get(e.getKey()).addi(e.getValue().mul(2 * c));
                }
            }
            return value;
        }
    }

    public record EstParams(Double lr, Integer rows) {}

    public static final class FakeEstimator implements MIEstimator {
        @Override
        public Estimator create(
                org.mio.api.plugin.PluginParams params,
                org.mio.api.plugin.PluginContext ctx,
                int dx,
                int dy,
                Rng init) {
            double lr = params.as(EstParams.class).lr() == null
                    ? 0.1
                    : params.as(EstParams.class).lr();
            INDArray m = Nd4j.create(ctx.dataType(), dx, dy);
            for (long i = 0; i < m.length(); i++) {
                m.putScalar(i, 0.1 * init.nextGaussian());
            }
            return new Estimator() {
                private final Map<String, INDArray> p = new LinkedHashMap<>(Map.of("M", m));

                private final Integer rows = params.as(EstParams.class).rows();

                /** The used rows: all ({@code null}), the given subset, or a subset drawn first from the stream. */
                private int[] subset(INDArray x, Sampling s) {
                    int total = (int) x.size(0);
                    if (s.rows() != null) {
                        return s.rows();
                    }
                    int n = rowsUsed(total);
                    return n < total ? java.util.Arrays.copyOf(s.rng().permutation(total), n) : null;
                }

                private static INDArray pick(INDArray a, int[] sub) {
                    return sub == null ? a : a.getRows(sub);
                }

                private double value(INDArray x, INDArray y, int[] perm) {
                    INDArray xm = x.mmul(p.get("M"));
                    INDArray ys = y.getRows(perm);
                    return xm.mul(y).sumNumber().doubleValue() / x.size(0)
                            - xm.mul(ys).sumNumber().doubleValue() / x.size(0);
                }

                private int[] perm(INDArray x, Sampling s) {
                    return s.permutation() != null ? s.permutation() : s.rng().permutation((int) x.size(0));
                }

                @Override
                public int rowsUsed(int total) {
                    return rows == null ? total : Math.min(rows, total);
                }

                @Override
                public double estimate(INDArray x, INDArray y, Sampling s) {
                    int[] sub = subset(x, s);
                    INDArray xs = pick(x, sub);
                    return value(xs, pick(y, sub), perm(xs, s));
                }

                @Override
                public double trainStep(INDArray x, INDArray y, Sampling s) {
                    int[] sub = subset(x, s);
                    INDArray xs = pick(x, sub);
                    INDArray ys = pick(y, sub);
                    int[] perm = perm(xs, s);
                    double v = value(xs, ys, perm);
                    p.get("M").addi(gradient(xs, ys, perm).muli(lr));
                    return v;
                }

                private INDArray gradient(INDArray xs, INDArray ys, int[] perm) {
                    return xs.transpose().mmul(ys.sub(ys.getRows(perm))).divi(xs.size(0));
                }

                @Override
                public Map<String, INDArray> parameterGradients(INDArray x, INDArray y, Sampling s) {
                    int[] sub = subset(x, s);
                    INDArray xs = pick(x, sub);
                    return Map.of("M", gradient(xs, pick(y, sub), perm(xs, s)));
                }

                @Override
                public ValueAndGradient valueAndGradient(INDArray x, INDArray y, Sampling s) {
                    int[] sub = subset(x, s);
                    INDArray xs = pick(x, sub);
                    INDArray yAll = y;
                    y = pick(y, sub);
                    int[] perm = perm(xs, s);
                    double v = value(xs, y, perm);
                    INDArray ys = y.getRows(perm);
                    INDArray dx = y.sub(ys).mmul(p.get("M").transpose()).divi(xs.size(0));
                    INDArray xm = xs.mmul(p.get("M"));
                    INDArray dy = xm.div(xs.size(0));
                    INDArray scattered = Nd4j.zeros(dy.dataType(), dy.shape());
                    for (int i = 0; i < perm.length; i++) {
                        scattered.getRow(perm[i]).addi(xm.getRow(i));
                    }
                    dy.subi(scattered.divi(xs.size(0)));
                    if (sub == null) {
                        return new ValueAndGradient(v, dx, dy);
                    }
                    INDArray dxAll = Nd4j.zeros(dx.dataType(), x.size(0), x.size(1));
                    INDArray dyAll = Nd4j.zeros(dy.dataType(), yAll.size(0), yAll.size(1));
                    for (int k = 0; k < sub.length; k++) {
                        dxAll.getRow(sub[k]).assign(dx.getRow(k));
                        dyAll.getRow(sub[k]).assign(dy.getRow(k));
                    }
                    return new ValueAndGradient(v, dxAll, dyAll);
                }

                @Override
                public Map<String, INDArray> parameters() {
                    return p;
                }

                @Override
                public Map<String, INDArray> state() {
                    return Map.of("M", p.get("M").dup());
                }

                @Override
                public void restoreState(Map<String, INDArray> state) {
                    p.get("M").assign(state.get("M"));
                }
            };
        }
    }

    /** A renderer that records the figures it was given and writes a few marker bytes. */
    public static final class RecordingRenderer implements org.mio.api.figure.FigureRenderer {
        public final java.util.List<org.mio.api.figure.Figure> figures =
                new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void render(org.mio.api.figure.Figure figure, Format format, java.io.OutputStream out)
                throws java.io.IOException {
            if (format == Format.PNG) {
                figures.add(figure);
            }
            out.write((format + " " + figure.name()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Numerics without a framework: one thread, nothing to set. */
    public static final class StubNumerics implements org.mio.numerics.Numerics {
        @Override
        public String backend() {
            return "test";
        }

        @Override
        public String blas() {
            return "test";
        }

        @Override
        public int threads() {
            return 1;
        }

        @Override
        public void setThreads(int threads) {}
    }
}
