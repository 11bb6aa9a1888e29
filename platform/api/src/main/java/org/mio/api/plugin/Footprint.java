package org.mio.api.plugin;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The memory a plugin instance will hold at its peak, estimated from its parameters before
 * anything is allocated, so that the platform can refuse an experiment that cannot fit with one
 * line naming the parameter that makes it large (instead of a shape error, a negative array size
 * or an out-of-memory after minutes). Only the large arrays matter: those whose size grows with
 * the sequence length, the batch, the number of units or rows; a few kilobytes more or less do
 * not.
 *
 * <p>Sizes are products of long factors that saturate at {@link Long#MAX_VALUE} instead of
 * overflowing, so a size in the billions still compares as too large.
 *
 * @param parts the large allocations, possibly none (the plugin does not say)
 */
public record Footprint(List<Part> parts) {
    /** A plugin that does not estimate its memory. */
    public static final Footprint NONE = new Footprint(List.of());

    /** Where an allocation lives. */
    public enum Place {
        /** A Java array on the heap: limited by the heap and to 2³¹ − 9 elements each. */
        HEAP,
        /** An ND4J buffer off the heap: limited by ND4J's off-heap limit and the machine. */
        NATIVE
    }

    /**
     * One allocation (or several of the same shape).
     *
     * @param what what it holds, e.g. {@code recurrent weights} or {@code trajectory kept for BPTT}
     * @param field the parameter of the plugin's {@code params} that makes it large, e.g.
     *     {@code hidden}, or {@code null} when it grows with sizes the platform chose (the batch,
     *     the sequence length the task gives, the units of the groups)
     * @param value that parameter's value, or {@code null}
     * @param place heap or off-heap
     * @param elements elements of one array, saturated at {@link Long#MAX_VALUE}
     * @param elementBytes bytes per element (4 for float, 8 for double)
     * @param copies how many arrays of this size are held at once, at least 1
     */
    public record Part(
            String what, String field, Object value, Place place, long elements, int elementBytes, int copies) {
        /** Checks the counts. */
        public Part {
            if (what == null || place == null || elements < 0 || elementBytes < 1 || copies < 1) {
                throw new IllegalArgumentException(
                        "a footprint part needs what, place, elements ≥ 0, elementBytes ≥ 1 and copies ≥ 1");
            }
        }

        /** Bytes of all copies, saturated at {@link Long#MAX_VALUE}. */
        public long bytes() {
            return product(elements, elementBytes, copies);
        }
    }

    /** Copies the parts. */
    public Footprint {
        parts = List.copyOf(parts);
    }

    /** A footprint of the given parts. */
    public static Footprint of(Part... parts) {
        return new Footprint(List.of(parts));
    }

    /**
     * {@code copies} ND4J arrays of shape {@code dims} and type {@code type}.
     *
     * @param field the plugin parameter that makes it large, or {@code null}
     * @param value its value, or {@code null}
     */
    public static Part nd4j(String what, String field, Object value, DataType type, int copies, long... dims) {
        return new Part(what, field, value, Place.NATIVE, product(dims), type.width(), copies);
    }

    /**
     * {@code copies} Java arrays of {@code dims} elements of {@code elementBytes} bytes each (one
     * flat array per copy).
     *
     * @param field the plugin parameter that makes it large, or {@code null}
     * @param value its value, or {@code null}
     */
    public static Part heap(String what, String field, Object value, int elementBytes, int copies, long... dims) {
        return new Part(what, field, value, Place.HEAP, product(dims), elementBytes, copies);
    }

    /** Both footprints' parts. */
    public Footprint plus(Footprint other) {
        List<Part> all = new ArrayList<>(parts);
        all.addAll(other.parts);
        return new Footprint(all);
    }

    /** Total bytes in {@code place}, saturated at {@link Long#MAX_VALUE}. */
    public long bytes(Place place) {
        long sum = 0;
        for (Part p : parts) {
            if (p.place() == place) {
                sum = sum(sum, p.bytes());
            }
        }
        return sum;
    }

    /** The product of non-negative factors, {@link Long#MAX_VALUE} if it overflows. */
    public static long product(long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f < 0) {
                throw new IllegalArgumentException("a size cannot be negative: " + f);
            }
            if (f != 0 && p > Long.MAX_VALUE / f) {
                for (long g : factors) {
                    if (g == 0) {
                        return 0;
                    }
                }
                return Long.MAX_VALUE;
            }
            p *= f;
        }
        return p;
    }

    private static long sum(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}
