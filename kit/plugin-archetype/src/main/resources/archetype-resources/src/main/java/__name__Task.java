package ${package};

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mio.api.annotations.TaskKind;
import org.mio.api.plugin.Footprint;
import org.mio.api.plugin.Metric;
import org.mio.api.plugin.PluginContext;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.api.task.Task;
import org.mio.api.task.TaskBatch;
import org.mio.api.task.TaskInstance;
import org.mio.numerics.Numerics;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * A one-bit flip-flop: the input carries pulses of +amplitude or −amplitude at random times (the
 * first at step 0), and the target is the sign of the latest pulse, held until the next one. It is
 * the working-memory task with one bit. Replace it with your own: {@link TaskInstance#sample} draws
 * a batch from the stream it is given (the same stream must give the same batch), and
 * {@link TaskInstance#score} turns outputs into named metrics.
 */
@Component
@TaskKind("${artifactId}")
public final class ${name}Task implements Task {

    /**
     * What {@code task.params} may hold (boxed: optional, null → the default).
     *
     * @param transientSteps steps at the start that neither the loss nor the analyses see (default 200)
     * @param learningSteps steps after the transient (default 800)
     * @param pulseProbability probability that a pulse starts at a step without one (default 0.01)
     * @param pulseWidth steps a pulse lasts (default 10)
     * @param amplitude height of a pulse (default 1)
     */
    public record Params(
            Integer transientSteps,
            Integer learningSteps,
            Double pulseProbability,
            Integer pulseWidth,
            Double amplitude) {
        /** Applies defaults and checks. */
        public Params {
            transientSteps = transientSteps == null ? 200 : transientSteps;
            learningSteps = learningSteps == null ? 800 : learningSteps;
            pulseProbability = pulseProbability == null ? 0.01 : pulseProbability;
            pulseWidth = pulseWidth == null ? 10 : pulseWidth;
            amplitude = amplitude == null ? 1.0 : amplitude;
            if (transientSteps < 0) {
                throw new IllegalArgumentException("transientSteps must be ≥ 0, found " + transientSteps);
            }
            if (learningSteps < 1) {
                throw new IllegalArgumentException("learningSteps must be ≥ 1, found " + learningSteps);
            }
            if (!(pulseProbability > 0 && pulseProbability <= 1)) {
                throw new IllegalArgumentException("pulseProbability must be in (0, 1], found " + pulseProbability);
            }
            if (pulseWidth < 1) {
                throw new IllegalArgumentException("pulseWidth must be ≥ 1, found " + pulseWidth);
            }
            if (!(amplitude > 0) || !Double.isFinite(amplitude)) {
                throw new IllegalArgumentException("amplitude must be a finite number > 0, found " + amplitude);
            }
        }

        int steps() {
            return transientSteps + learningSteps;
        }
    }

    /** @param numerics orders this component's start after ND4J's initialization */
    @Activate
    public ${name}Task(@Reference Numerics numerics) {
        // nothing to keep: the component is a stateless factory
    }

    @Override
    public TaskInstance create(PluginParams params, PluginContext context) {
        return new FlipFlop(params.as(Params.class), context.dataType());
    }

    /** One run's task. */
    private static final class FlipFlop implements TaskInstance {
        private final Params p;
        private final DataType type;

        FlipFlop(Params p, DataType type) {
            this.p = p;
            this.type = type;
        }

        @Override
        public int inputSize() {
            return 1;
        }

        @Override
        public int outputSize() {
            return 1;
        }

        @Override
        public long steps() {
            return p.steps();
        }

        @Override
        public Footprint footprint(int batchSize) {
            return Footprint.of(
                    Footprint.nd4j("inputs and targets", "learningSteps", p.learningSteps(), type, 2, batchSize, p.steps()),
                    Footprint.heap("one sequence while it is drawn", "learningSteps", p.learningSteps(), 8, 2, p.steps()));
        }

        @Override
        public TaskBatch sample(int batchSize, Split split, Rng rng) {
            int steps = p.steps();
            double[] in = new double[steps];
            double[] out = new double[steps];
            INDArray inputs = Nd4j.create(type, batchSize, steps, 1);
            INDArray targets = Nd4j.create(type, batchSize, steps, 1);
            for (int b = 0; b < batchSize; b++) {
                double held = 0;
                int pulseLeft = 0;
                double sign = 0;
                for (int t = 0; t < steps; t++) {
                    if (pulseLeft == 0 && (t == 0 || rng.nextDouble() < p.pulseProbability())) {
                        sign = rng.nextBoolean() ? 1 : -1;
                        pulseLeft = p.pulseWidth();
                        held = sign;
                    }
                    in[t] = pulseLeft > 0 ? sign * p.amplitude() : 0;
                    out[t] = held;
                    pulseLeft = Math.max(0, pulseLeft - 1);
                }
                inputs.tensorAlongDimension(b, 1, 2).assign(Nd4j.createFromArray(in).castTo(type).reshape(steps, 1));
                targets.tensorAlongDimension(b, 1, 2).assign(Nd4j.createFromArray(out).castTo(type).reshape(steps, 1));
            }
            return new TaskBatch(inputs, targets, p.transientSteps(), 0);
        }

        /** {@code accuracy}: the fraction of learning steps whose output has the target's sign; {@code mse}. */
        @Override
        public Map<String, Double> score(TaskBatch batch, INDArray outputs) {
            double[] y = outputs.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double[] target = batch.targets()
                    .get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(batch.transientSteps(), batch.time()),
                            org.nd4j.linalg.indexing.NDArrayIndex.all())
                    .castTo(DataType.DOUBLE)
                    .dup('c')
                    .data()
                    .asDouble();
            int right = 0;
            double squares = 0;
            for (int i = 0; i < y.length; i++) {
                right += Math.signum(y[i]) == target[i] ? 1 : 0;
                squares += (y[i] - target[i]) * (y[i] - target[i]);
            }
            Map<String, Double> s = new LinkedHashMap<>();
            s.put("accuracy", right / (double) y.length);
            s.put("mse", squares / y.length);
            return s;
        }

        @Override
        public List<Metric> metrics() {
            return List.of(
                    Metric.scalar("accuracy", "fraction of steps with the sign of the latest pulse", Metric.Direction.HIGHER),
                    Metric.scalar("mse", "mean squared error over the learning steps", Metric.Direction.LOWER));
        }
    }
}
