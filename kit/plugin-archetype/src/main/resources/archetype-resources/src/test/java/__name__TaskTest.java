package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.api.task.Task;
import org.mio.api.task.TaskBatch;
import org.mio.api.task.TaskInstance;
import org.mio.testkit.TaskContract;
import org.mio.testkit.TestParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The contract suite (shapes, determinism, stable metrics, one-line errors) and the flip-flop's rule. */
class ${name}TaskTest extends TaskContract {

    @Override
    protected Task task() {
        return new ${name}Task(null);
    }

    @Override
    protected PluginParams smallParams() {
        return TestParams.of(
                "{\"transientSteps\": 5, \"learningSteps\": 60, \"pulseProbability\": 0.1, \"pulseWidth\": 2}");
    }

    @Override
    protected PluginParams invalidParams() {
        return TestParams.of("{\"pulseWidth\": 0}");
    }

    @Test
    void theTargetIsTheSignOfTheLatestPulse() {
        TaskInstance t = task().create(smallParams(), TestParams.context(DataType.DOUBLE));
        TaskBatch b = t.sample(4, TaskInstance.Split.TRAIN, Rng.of(1));
        for (int s = 0; s < 4; s++) {
            double held = 0;
            for (int i = 0; i < b.time(); i++) {
                double in = b.inputs().getDouble(s, i, 0);
                if (in != 0) {
                    held = Math.signum(in);
                }
                assertEquals(held, b.targets().getDouble(s, i, 0), "sequence " + s + ", step " + i);
            }
        }
        var learning = b.targets()
                .get(NDArrayIndex.all(), NDArrayIndex.interval(b.transientSteps(), b.time()), NDArrayIndex.all())
                .dup();
        Map<String, Double> right = t.score(b, learning);
        assertEquals(1.0, right.get("accuracy"));
        assertEquals(0.0, right.get("mse"));
        assertEquals(0.0, t.score(b, learning.neg()).get("accuracy"));
    }
}
