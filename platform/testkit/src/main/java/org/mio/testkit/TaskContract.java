package org.mio.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mio.api.plugin.PluginParams;
import org.mio.api.plugin.Rng;
import org.mio.api.task.Task;
import org.mio.api.task.TaskBatch;
import org.mio.api.task.TaskInstance;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What every {@link Task} must do. A task's test class extends this and supplies the service and
 * small parameters.
 */
public abstract class TaskContract {

    /** The service under test, constructed directly. */
    protected abstract Task task();

    /** Parameters small enough for fast tests. */
    protected abstract PluginParams smallParams();

    /** Parameters that must be rejected. */
    protected abstract PluginParams invalidParams();

    /** Data type of the tests. */
    protected DataType dataType() {
        return DataType.FLOAT;
    }

    private TaskInstance create() {
        return task().create(smallParams(), TestParams.context(dataType()));
    }

    @Test
    void batchesHaveTheDeclaredShapes() {
        TaskInstance t = create();
        TaskBatch b = t.sample(3, TaskInstance.Split.TRAIN, Rng.of(1));
        assertEquals(3, b.batchSize());
        assertEquals(t.inputSize(), b.inputs().size(2));
        assertEquals(t.outputSize(), b.targets().size(2));
        assertEquals(dataType(), b.inputs().dataType());
        assertEquals(dataType(), b.targets().dataType());
        TaskBatch test = t.sample(2, TaskInstance.Split.TEST, Rng.of(1));
        assertEquals(b.time(), test.time());
    }

    @Test
    void sameStreamGivesSameBatchOtherStreamAnother() {
        TaskInstance t = create();
        TaskBatch a = t.sample(2, TaskInstance.Split.TRAIN, Rng.of(7));
        TaskBatch b = create().sample(2, TaskInstance.Split.TRAIN, Rng.of(7));
        TaskBatch c = t.sample(2, TaskInstance.Split.TRAIN, Rng.of(8));
        assertEquals(a.inputs(), b.inputs());
        assertEquals(a.targets(), b.targets());
        assertNotEquals(a.targets(), c.targets());
    }

    @Test
    void scoresArePerfectOnTargetsAndStable() {
        TaskInstance t = create();
        TaskBatch b = t.sample(2, TaskInstance.Split.TRAIN, Rng.of(3));
        INDArray learning = b.targets()
                .get(NDArrayIndex.all(), NDArrayIndex.interval(b.transientSteps(), b.time()), NDArrayIndex.all())
                .dup();
        Map<String, Double> s1 = t.score(b, learning);
        Map<String, Double> s2 = t.score(b, learning.mul(-1));
        assertEquals(s1.keySet(), s2.keySet(), "metric names must not depend on the outputs");
        assertTrue(!s1.isEmpty(), "a task reports at least one metric");
        s1.values().forEach(v -> assertTrue(Double.isFinite(v), "metrics must be finite: " + s1));
        assertArrayEquals(s1.keySet().toArray(), t.score(b, learning).keySet().toArray());
    }

    @Test
    void invalidParamsAreRejectedWithAMessage() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                RuntimeException.class, () -> task().create(invalidParams(), TestParams.context(dataType())));
        assertTrue(
                e.getMessage() != null
                        && !e.getMessage().isBlank()
                        && !e.getMessage().contains("\n"),
                "one-line message expected, found: " + e.getMessage());
    }
}
