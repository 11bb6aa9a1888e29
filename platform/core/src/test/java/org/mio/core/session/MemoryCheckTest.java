package org.mio.core.session;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.Footprint;
import org.mio.api.plugin.Footprint.Place;
import org.mio.numerics.MemoryLimits;
import org.nd4j.linalg.api.buffer.DataType;

class MemoryCheckTest {
    private static final long GIB = 1L << 30;
    private static final MemoryLimits LIMITS = new MemoryLimits(2 * GIB, 4 * GIB, 16 * GIB);

    @Test
    void sizesSaturateInsteadOfOverflowing() {
        assertEquals(Long.MAX_VALUE, Footprint.product(3_000_000_000L, 3_000_000_000L, 3_000_000_000L));
        assertEquals(0, Footprint.product(3_000_000_000L, 3_000_000_000L, 3_000_000_000L, 0));
        assertEquals(24, Footprint.product(2, 3, 4));
        Footprint f = Footprint.of(
                Footprint.nd4j("a", null, null, DataType.FLOAT, 2, Long.MAX_VALUE / 2),
                Footprint.nd4j("b", null, null, DataType.FLOAT, 1, 10));
        assertEquals(Long.MAX_VALUE, f.bytes(Place.NATIVE));
        assertEquals(0, f.bytes(Place.HEAP));
    }

    @Test
    void theLargestPartNamesItsOwnField() {
        MemoryCheck check = new MemoryCheck("x.json", LIMITS)
                .sizes("training.batchSize = 20 with sequences of 3000 steps (task.params.learningSteps = 2000)")
                .add(
                        "task.params",
                        Footprint.of(Footprint.nd4j("batch", "learningSteps", 2000, DataType.FLOAT, 1, 20, 3000, 6)))
                .add(
                        "model.params",
                        Footprint.of(Footprint.nd4j(
                                "recurrent weights", "hidden", 40_000, DataType.FLOAT, 4, 40_000, 40_000)));
        ConfigException e = assertThrows(ConfigException.class, check::check);
        assertTrue(
                e.getMessage()
                        .startsWith("x.json: model.params.hidden = 40000 is too large: the experiment needs "
                                + "about 23.8 GiB of ND4J memory (recurrent weights of the model: 4 × 1,600,000,000 values,"
                                + " 23.8 GiB), more than the 4.0 GiB ND4J may use"),
                e.getMessage());
    }

    @Test
    void partsThatGrowWithTheBatchNameTheBatchAndTheSequenceLength() {
        String sizes = "training.batchSize = 20 with sequences of 2000001000 steps "
                + "(task.params.learningSteps = 2000000000)";
        // the task names the field of its sequence length; the model's trajectory names none
        MemoryCheck byTask = new MemoryCheck("x.json", LIMITS)
                .sizes(sizes)
                .add(
                        "task.params",
                        Footprint.of(
                                Footprint.heap("batch", "learningSteps", 2_000_000_000, 4, 1, 20, 2_000_001_000L, 6)));
        ConfigException e = assertThrows(ConfigException.class, byTask::check);
        assertEquals(
                "x.json: " + sizes + " is too large: the batch would need Java arrays of 240,000,120,000"
                        + " elements, more than the 2147483639 one can hold",
                e.getMessage());
        MemoryCheck byModel = new MemoryCheck("x.json", LIMITS)
                .sizes(sizes)
                .add(
                        "model.params",
                        Footprint.of(
                                Footprint.nd4j("trajectory", null, null, DataType.FLOAT, 1, 20, 2_000_001_000L, 40)));
        e = assertThrows(ConfigException.class, byModel::check);
        assertTrue(
                e.getMessage().startsWith("x.json: " + sizes + " is too large: the experiment needs about 5.8 TiB"),
                e.getMessage());
    }

    @Test
    void eachPlaceHasItsOwnLimit() {
        // 3 GiB off the heap fits under 4 GiB; 3 GiB of heap does not fit under 2 GiB
        Footprint native3 = Footprint.of(Footprint.nd4j("n", null, null, DataType.BYTE, 3, GIB));
        Footprint heap1 = Footprint.of(Footprint.heap("h", "rows", 7, 1, 1, GIB));
        assertDoesNotThrow(() -> new MemoryCheck("x.json", LIMITS)
                .add("estimator.params", native3)
                .add("estimator.params", heap1)
                .check());
        Footprint heap3 = Footprint.of(Footprint.heap("h", "rows", 7, 1, 3, GIB));
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> new MemoryCheck("x.json", LIMITS)
                        .add("estimator.params", heap3)
                        .check());
        assertTrue(
                e.getMessage()
                        .startsWith("x.json: estimator.params.rows = 7 is too large: the experiment needs"
                                + " about 3.0 GiB of Java heap"),
                e.getMessage());
        // the machine, when it is smaller than ND4J's limit
        MemoryLimits small = new MemoryLimits(2 * GIB, 64 * GIB, 2 * GIB);
        e = assertThrows(
                ConfigException.class,
                () -> new MemoryCheck("x.json", small)
                        .add("model.params", native3)
                        .check());
        assertTrue(e.getMessage().endsWith("more than the 2.0 GiB this machine has"), e.getMessage());
    }
}
