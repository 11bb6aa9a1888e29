package org.mio.core.session;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.mio.api.plugin.ConfigException;
import org.mio.api.plugin.Footprint;
import org.mio.api.plugin.Footprint.Part;
import org.mio.api.plugin.Footprint.Place;
import org.mio.numerics.MemoryLimits;

/**
 * Refuses an experiment whose sizes cannot fit, before the large arrays exist: the plugins'
 * {@link Footprint}s and the trainer's own arrays are added up per place (heap, ND4J off-heap) and
 * compared with this JVM's limits, and no Java array may exceed the 2³¹ − 9 elements Java allows.
 * The sum is an upper bound of the peak (phases that never overlap are counted together), so a
 * refused experiment names the parameter that makes it large, its value and the estimate.
 */
final class MemoryCheck {
    /** The most elements a Java array can have on common JVMs. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private record Owned(String section, Part part) {}

    private final String source;
    private final MemoryLimits limits;
    private final List<Owned> parts = new ArrayList<>();
    private String sizes = "";

    /**
     * @param source the experiment file, for messages
     * @param limits the limits to check against
     */
    MemoryCheck(String source, MemoryLimits limits) {
        this.source = source;
        this.limits = limits;
    }

    /**
     * Adds a footprint.
     *
     * @param section where its fields live, e.g. {@code model.params}; {@code training} for the
     *     trainer's own arrays
     */
    MemoryCheck add(String section, Footprint footprint) {
        footprint.parts().forEach(p -> parts.add(new Owned(section, p)));
        return this;
    }

    /**
     * The sizes the platform chose, named in a message when the largest part grows with them
     * (e.g. {@code training.batchSize = 20, sequences of 3000 steps (task.params.learningSteps = 2000)}).
     */
    MemoryCheck sizes(String sizes) {
        this.sizes = sizes;
        return this;
    }

    /**
     * Checks everything added so far.
     *
     * @throws ConfigException naming the parameter, its value and the estimate
     */
    void check() {
        for (Owned o : parts) {
            if (o.part().place() == Place.HEAP && o.part().elements() > MAX_ARRAY) {
                throw new ConfigException(source + ": " + cause(o) + " is too large: the "
                        + o.part().what()
                        + " would need Java arrays of " + count(o.part().elements())
                        + " elements, more than the " + MAX_ARRAY + " one can hold");
            }
        }
        long heap = total(Place.HEAP);
        long nd4j = total(Place.NATIVE);
        if (nd4j > limits.nd4j()) {
            boolean machine = limits.physical() > 0 && limits.physical() <= limits.offHeap();
            throw new ConfigException(source + ": " + cause(largest(Place.NATIVE)) + " is too large: the experiment"
                    + " needs about " + MemoryLimits.format(nd4j) + " of ND4J memory ("
                    + describe(largest(Place.NATIVE)) + "), more than the "
                    + MemoryLimits.format(limits.nd4j())
                    + (machine
                            ? " this machine has"
                            : " ND4J may use (its limit follows -Xmx, or -Dorg.bytedeco.javacpp.maxbytes;"
                                    + " raise it with MIO_JAVA_OPTS if the machine has more)"));
        }
        if (heap > limits.heap()) {
            throw new ConfigException(source + ": " + cause(largest(Place.HEAP)) + " is too large: the experiment"
                    + " needs about " + MemoryLimits.format(heap) + " of Java heap ("
                    + describe(largest(Place.HEAP)) + "), more than the "
                    + MemoryLimits.format(limits.heap()) + " of -Xmx (raise it with MIO_JAVA_OPTS=-Xmx… if the "
                    + "machine has more)");
        }
    }

    /** The estimate in {@code place} so far. */
    long total(Place place) {
        return new Footprint(parts.stream().map(Owned::part).toList()).bytes(place);
    }

    /** "1.2 GiB of ND4J memory (of 5.9 GiB), 310 MiB of heap (of 5.9 GiB)", for the run's header. */
    String summary() {
        return MemoryLimits.format(total(Place.NATIVE)) + " of ND4J memory (of " + MemoryLimits.format(limits.nd4j())
                + "), " + MemoryLimits.format(total(Place.HEAP)) + " of heap (of " + MemoryLimits.format(limits.heap())
                + ")";
    }

    private Owned largest(Place place) {
        return parts.stream()
                .filter(o -> o.part().place() == place)
                .max(Comparator.comparingLong(o -> o.part().bytes()))
                .orElseThrow();
    }

    private String cause(Owned o) {
        String field = o.section() + "." + o.part().field() + " =";
        if (o.part().field() != null && !sizes.contains("(" + field)) {
            return o.section() + "." + o.part().field() + " = " + o.part().value();
        }
        return sizes.isEmpty() ? o.section() : sizes;
    }

    private static String describe(Owned o) {
        Part p = o.part();
        return p.what() + " of the " + o.section().replace(".params", "") + ": "
                + (p.copies() > 1 ? p.copies() + " × " : "") + count(p.elements()) + " values, "
                + MemoryLimits.format(p.bytes());
    }

    private static String count(long n) {
        return n == Long.MAX_VALUE ? "more than 9.2e18" : String.format(java.util.Locale.ROOT, "%,d", n);
    }
}
